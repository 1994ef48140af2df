package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9's drill "20 SIGKILLs of {@code serve} at random moments over 20 videos (local failure rate 0.2): none
 * lost", run by hand: {@code -Dreetik.drill.kills=20} (skipped otherwise: it takes minutes). The packaged server
 * ({@code java -jar target/reetik.jar serve}) renders 20 videos with one clip in five failing (retried by
 * check-and-retry); it is killed with SIGKILL at a random moment, 2 to 12 s after it is healthy, and started again on
 * the same data, as many times as asked. Then every accepted video must end (completed, or failed with a code after
 * its last attempt): none lost, none stuck. Prints the figures: outcomes, renders per block, time.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ServeKillDrillIT {

    private static final int VIDEOS = 20;

    @TempDir
    Path dataDir;

    private Process server;

    @AfterEach
    void killServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void shouldLoseNoVideoThroughRepeatedKills() throws Exception {
        int kills = Integer.getInteger("reetik.drill.kills", 0);
        Assumptions.assumeTrue(kills > 0, "a drill run by hand: -Dreetik.drill.kills=20");
        long started = System.nanoTime();
        Random random = new Random(20261201L);
        int port = RunningServer.freePort();
        List<Path> logs = new ArrayList<>();
        ApiClient api = new ApiClient(port);
        server = start(port, logs);
        api.awaitHealthy(Duration.ofMinutes(2), server::isAlive);
        String token = ServeProcess.register(api, "drill@example.com");

        // Given 20 videos of 8 to 16 s asked for at once
        List<String> videos = new ArrayList<>();
        for (int i = 0; i < VIDEOS; i++) {
            videos.add(api.createVideo(token, "Vidéo de l'exercice numéro " + i, 8 + 4 * (i % 3)));
        }

        // When the server is killed at random moments and started again, time after time
        for (int kill = 1; kill <= kills; kill++) {
            Thread.sleep(2_000 + random.nextInt(10_000));
            server.destroyForcibly().waitFor();
            System.out.printf("kill %d at %.1f s%n", kill, (System.nanoTime() - started) / 1e9);
            server = start(port, logs);
            api = new ApiClient(port); // the killed process's pooled connections are dead (see CrashRestartIT)
            api.awaitHealthy(Duration.ofMinutes(2), server::isAlive);
        }
        token = ServeProcess.login(api, "drill@example.com");

        // Then every video ends: none lost, none stuck
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String videoId : videos) {
            JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(10));
            String status = view.get("status").asText();
            outcomes.merge(status + (status.equals("failed") ? " (" + view.get("error").get("code").asText() + " at "
                    + view.get("error").get("stage").asText() + ")" : ""), 1, Integer::sum);
            assertThat(status).as(view.toString()).isIn("completed", "failed");
        }
        Map<Integer, Integer> rendersPerBlock = new TreeMap<>();
        int blocks = 0;
        for (String videoId : videos) {
            for (int renders : CrashRestartIT.renderCounts(videoId, logs).values()) {
                rendersPerBlock.merge(renders, 1, Integer::sum);
                blocks++;
            }
        }
        System.out.printf("Drill: %d kills over %d videos, %d blocks: outcomes %s; blocks by renders (attempts"
                + " and renders repeated after a kill) %s; %.0f s in all%n", kills, VIDEOS, blocks, outcomes,
                rendersPerBlock, (System.nanoTime() - started) / 1e9);
    }

    private Process start(int port, List<Path> logs) throws Exception {
        Path out = dataDir.resolve("run-" + (logs.size() + 1) + ".out");
        logs.add(out);
        return ServeProcess.start(dataDir, port, out, Map.of("REETIK_BLOCK_WORKERS", "2",
                "REETIK_LOCAL_FAILURE_RATE", "0.2", "REETIK_MAX_ACTIVE_VIDEOS", "100", "REETIK_DAILY_SECONDS", "100000",
                "REETIK_CREATES_PER_MINUTE", "1000"));
    }
}
