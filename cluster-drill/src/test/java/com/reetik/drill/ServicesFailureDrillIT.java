package com.reetik.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.get;
import static com.reetik.drill.ServiceProcesses.post;
import static com.reetik.drill.ServiceProcesses.postUntilAccepted;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The product as it is deployed, on this machine: a 3-node Kafka cluster (three {@code kafka.Kafka} JVMs),
 * 2 gateways, 2 agent bridges and 2 status projectors, each its own JVM started from its jar
 * ({@code java -jar gateway/target/gateway.jar}, …), sharing one storage directory. Ten videos are created
 * alternately through both gateways and followed over SSE on the other one; while blocks render, one bridge,
 * one projector and one broker are killed with SIGKILL and not restarted.
 *
 * <p>Passes only if every video completes with a playable {@code final.mp4}, both bridges rendered blocks, no
 * block was generated again after it had completed, every SSE stream ends on "Terminé" with its "(X/Y blocs)"
 * never going back, both gateways list the same library, and every record of {@code reetik.video-events}
 * follows {@code docs/asyncapi.yaml}. It prints its timeline and figures. Logs stay in
 * {@code target/services-drill-*}.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ServicesFailureDrillIT {

    private static final int VIDEOS = 10;
    /** 16 to 36 s, mostly short: 51 blocks in all, so the drill stays a few minutes on 2 cores. */
    private static final int[] DURATIONS = {16, 20, 16, 24, 16, 36, 16, 20, 16, 24};
    private static final DrillChecks.Timeline timeline = new DrillChecks.Timeline();

    private static Path base;
    private static LocalKafkaCluster cluster;
    private static ServiceProcesses services;
    private static ExecutorService streams;

    @BeforeAll
    static void startEverything() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JavaProcess.javaExecutable()), "no java executable to start services");
        base = DrillChecks.newBase("services-drill");
        Path storage = Files.createDirectories(base.resolve("storage"));
        services = new ServiceProcesses(base);

        cluster = LocalKafkaCluster.start(base.resolve("kafka"), 3);
        mark("3-node cluster ready: " + cluster.bootstrapServers());
        DrillChecks.startSixServices(services, cluster, storage);
        mark("6 services ready");
        streams = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopEverything() {
        if (streams != null) {
            streams.shutdownNow();
        }
        if (services != null) {
            services.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (base != null) {
            timeline.print(base);
        }
    }

    @Test
    void shouldCompleteEveryVideoWhenABridgeAProjectorAndABrokerAreKilled() throws Exception {
        ServiceProcesses.Service gateway1 = services.get("gateway-1");
        ServiceProcesses.Service gateway2 = services.get("gateway-2");
        String token = field(post(gateway1, "/api/auth/register", null,
                "{\"email\":\"drill@example.com\",\"password\":\"correct horse battery\"}"), "access_token");

        // Given ten videos of 16 to 36 s, created alternately through both gateways, each followed on the other
        List<String> ids = new ArrayList<>();
        Map<String, Integer> durations = new LinkedHashMap<>();
        Map<String, Future<List<JsonNode>>> sse = new LinkedHashMap<>();
        for (int i = 0; i < VIDEOS; i++) {
            ServiceProcesses.Service via = i % 2 == 0 ? gateway1 : gateway2;
            ServiceProcesses.Service other = i % 2 == 0 ? gateway2 : gateway1;
            int duration = DURATIONS[i];
            String id = field(postUntilAccepted(via, "/api/videos", token,
                    "{\"theme\":\"Exercice de panne numéro " + (i + 1) + "\",\"target_duration\":" + duration + "}"), "video_id");
            ids.add(id);
            durations.put(id, duration);
            sse.put(id, streams.submit(() -> DrillChecks.follow(other, id, token)));
        }
        mark(VIDEOS + " videos accepted");

        // When, while blocks render on both bridges, a bridge, a projector and a broker are killed
        await("both bridges rendering, some blocks completed").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200)).until(() ->
                        DrillChecks.renders(services.get("bridge-1")).size() >= 2
                                && DrillChecks.renders(services.get("bridge-2")).size() >= 2);
        mark("both bridges rendering: bridge-1 " + DrillChecks.renders(services.get("bridge-1")).size()
                + " renders, bridge-2 " + DrillChecks.renders(services.get("bridge-2")).size());
        services.get("bridge-1").process().kill();
        mark("SIGKILL bridge-1");
        services.get("projector-1").process().kill();
        mark("SIGKILL projector-1");
        cluster.kill(2);
        mark("SIGKILL kafka node 2");
        long killedAt = System.nanoTime();

        // Then every video completes, and its stream on the other gateway ends on "Terminé"
        Map<String, Double> completedAt = new TreeMap<>();
        await("every video completed").atMost(Duration.ofMinutes(7)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                if (completedAt.containsKey(id)) {
                    continue;
                }
                JsonNode view = Json.mapper().readTree(get(gateway1, "/api/videos/" + id, token));
                assertThat(view.get("status").asText()).as("%s: %s", id, view)
                        .isNotIn("failed", "cancelled");
                if (view.get("status").asText().equals("completed")) {
                    completedAt.put(id, seconds(killedAt));
                }
            }
            assertThat(completedAt).hasSize(VIDEOS);
        });
        mark("all " + VIDEOS + " videos completed");

        for (String id : ids) {
            DrillChecks.assertStreamEndedDone(id, sse.get(id).get(2, TimeUnit.MINUTES));
        }

        // And each final.mp4 plays for about its target duration
        Path ffmpeg = DrillChecks.bundledFfmpeg(services.get("bridge-2").dataDir());
        for (String id : ids) {
            JsonNode view = Json.mapper().readTree(get(gateway2, "/api/videos/" + id, token));
            Path file = base.resolve("storage").resolve(id).resolve("final.mp4");
            assertThat(file).as("final.mp4 of %s (%s)", id, view.get("final_url")).isRegularFile();
            double seconds = DrillChecks.decodedSeconds(ffmpeg, file);
            assertThat(seconds).as("decoded duration of %s", id).isBetween(durations.get(id) - 1.0, durations.get(id) + 4.5);
        }

        // And both bridges rendered blocks, and no block completed was generated again
        Map<String, Integer> rendersPerBlock = new TreeMap<>();
        for (String bridge : List.of("bridge-1", "bridge-2")) {
            List<String> rendered = DrillChecks.renders(services.get(bridge));
            assertThat(rendered).as("blocks rendered by %s", bridge).isNotEmpty();
            rendered.forEach(block -> rendersPerBlock.merge(block, 1, Integer::sum));
        }
        List<String> renderedAgainAfterCompletion = DrillChecks.renderedAfterCompletion(cluster.bootstrapServers(), ids,
                timeline);
        assertThat(renderedAgainAfterCompletion).as("blocks generated again after they had completed").isEmpty();

        // And both gateways list the same library
        await("both gateways list the same library").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(DrillChecks.libraryIds(gateway2, token)).isEqualTo(DrillChecks.libraryIds(gateway1, token))
                        .containsExactlyInAnyOrderElementsOf(ids));

        Map<Integer, Long> histogram = new TreeMap<>();
        rendersPerBlock.values().forEach(n -> histogram.merge(n, 1L, Long::sum));
        mark(String.format("figures: last video completed %.1f s after the kills; renders per block %s (renders: "
                        + "bridge-1 %d, bridge-2 %d); videos completed after the kills at %s s", completedAt.values().stream()
                        .mapToDouble(Double::doubleValue).max().orElse(0), histogram,
                DrillChecks.renders(services.get("bridge-1")).size(),
                DrillChecks.renders(services.get("bridge-2")).size(), completedAt.values().stream().sorted()
                        .map(s -> String.format("%.0f", s)).toList()));
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    private static double seconds(long since) {
        return DrillChecks.seconds(since);
    }

    private static void mark(String what) {
        timeline.mark(what);
    }
}
