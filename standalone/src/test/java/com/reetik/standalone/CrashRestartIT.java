package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged server ({@code serve}, from the unpacked application: see {@link ServeProcess}) is killed with SIGKILL while blocks
 * render, then started again on the same data directory: the video completes, and no block that had
 * completed is rendered again (the bridge logs one "render" line per generation started).
 */
@Timeout(600)
class CrashRestartIT {

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
    void shouldCompleteTheVideoWithoutRenderingCompletedBlocksAgainAfterAKill() throws Exception {
        int port = RunningServer.freePort();
        ApiClient api = new ApiClient(port);

        // Given a server rendering a nine-block video, one block at a time
        Path firstLog = dataDir.resolve("first-run.out");
        server = startServer(port, firstLog);
        awaitHealthy(api);
        String token = ServeProcess.register(api, "crash@example.com");
        String videoId = api.createVideo(token, "Les volcans d'Islande", 36);
        Set<Integer> completedBeforeKill = awaitSomeBlocksCompleted(api, videoId, token);
        assertThat(completedBeforeKill).hasSizeBetween(2, 8);

        // When the server is killed (SIGKILL: no shutdown hook runs) and started again
        System.out.println("killed at " + java.time.Instant.now() + " with blocks " + completedBeforeKill + " completed");
        server.destroyForcibly().waitFor();
        Path secondLog = dataDir.resolve("second-run.out");
        server = startServer(port, secondLog);
        // A new client, as a browser opening the page again would: the old one's pooled keep-alive connections
        // were to the killed process, and the JDK 17 client can leave a request on such a connection waiting for
        // its timeout instead of failing it (the stall of docs/performance.md, seen in this test).
        api = new ApiClient(port);
        awaitHealthy(api);
        System.out.println("healthy again at " + java.time.Instant.now());
        String again = ServeProcess.login(api, "crash@example.com");

        // Then the video completes
        JsonNode done = api.awaitTerminal(videoId, again, Duration.ofMinutes(5));
        System.out.println("completed at " + java.time.Instant.now());
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("completed_blocks").asInt()).isEqualTo(9);

        // and every block that had completed before the kill was rendered exactly once
        Map<Integer, Integer> renders = renderCounts(videoId, List.of(firstLog, secondLog));
        System.out.println("renders per block: " + renders);
        for (int block : completedBeforeKill) {
            assertThat(renders.get(block)).as("renders of completed block %d", block).isEqualTo(1);
        }
        // and at most the one block in flight at the kill was rendered twice
        int total = renders.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isBetween(9, 10);
        assertThat(renders.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    private Process startServer(int port, Path out) throws Exception {
        return ServeProcess.start(dataDir, port, out, Map.of("REETIK_BLOCK_WORKERS", "1"));
    }

    private Set<Integer> awaitSomeBlocksCompleted(ApiClient api, String videoId, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("/api/videos/" + videoId, token);
            if (response.statusCode() == 200) {
                JsonNode view = ApiClient.json(response);
                Set<Integer> completed = new TreeSet<>();
                for (JsonNode block : view.get("blocks")) {
                    if (block.get("state").asText().equals("completed")) {
                        completed.add(block.get("index").asInt());
                    }
                }
                if (completed.size() >= 2) {
                    return completed;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no two blocks completed in time");
    }

    static Map<Integer, Integer> renderCounts(String videoId, List<Path> logs) throws Exception {
        Pattern render = Pattern.compile("render video=" + Pattern.quote(videoId) + " block=(\\d+)/\\d+ attempt=");
        Map<Integer, Integer> counts = new HashMap<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = render.matcher(line);
                if (m.find()) {
                    counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private void awaitHealthy(ApiClient api) throws Exception {
        api.awaitHealthy(Duration.ofSeconds(120), server::isAlive);
    }
}
