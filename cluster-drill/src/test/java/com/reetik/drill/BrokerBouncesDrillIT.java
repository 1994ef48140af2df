package com.reetik.drill;

import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.get;
import static com.reetik.drill.ServiceProcesses.post;
import static com.reetik.drill.ServiceProcesses.postUntilAccepted;
import static org.assertj.core.api.Assertions.assertThat;
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
 * Issue 9's cluster drill, run by hand: {@code -Dreetik.drill.bounces=5} (with {@code -Dreetik.drill.videos=20} by
 * default). The six services of {@link ServicesFailureDrillIT} on the 3-node cluster; while the videos render, one
 * bridge and one projector are killed with SIGKILL, then the brokers are bounced one after the other (SIGKILL, 8 s
 * down, started again on the same ports and data, back in the cluster) as many times as asked. Passes only if every
 * accepted video reaches {@code completed} with a playable file, no completed block was rendered again, every SSE
 * stream ends on "Terminé" without going back, and both gateways list the same library. Prints its timeline and
 * figures. Skipped in {@code mvn verify}: about ten minutes on 2 cores.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class BrokerBouncesDrillIT {

    private static final int BOUNCES = Integer.getInteger("reetik.drill.bounces", 0);
    private static final int VIDEOS = Integer.getInteger("reetik.drill.videos", 20);
    private static final int[] DURATIONS = {16, 20, 16, 24, 16, 36, 16, 20, 16, 24};
    private static final Duration DOWN = Duration.ofSeconds(8);

    private static final DrillChecks.Timeline timeline = new DrillChecks.Timeline();
    private static Path base;
    private static LocalKafkaCluster cluster;
    private static ServiceProcesses services;
    private static ExecutorService streams;

    @BeforeAll
    static void startEverything() throws Exception {
        Assumptions.assumeTrue(BOUNCES > 0, "the broker-bounce drill runs by hand: -Dreetik.drill.bounces=5 "
                + "(about ten minutes; see docs/reliability.md)");
        Assumptions.assumeTrue(Files.isExecutable(JavaProcess.javaExecutable()), "no java executable to start services");
        base = DrillChecks.newBase("bounces-drill");
        Path storage = Files.createDirectories(base.resolve("storage"));
        services = new ServiceProcesses(base);
        cluster = LocalKafkaCluster.start(base.resolve("kafka"), 3);
        timeline.mark("3-node cluster ready: " + cluster.bootstrapServers());
        DrillChecks.startSixServices(services, cluster, storage);
        timeline.mark("6 services ready");
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
    void shouldCompleteEveryVideoThroughBrokerBounces() throws Exception {
        ServiceProcesses.Service gateway1 = services.get("gateway-1");
        ServiceProcesses.Service gateway2 = services.get("gateway-2");
        String token = field(post(gateway1, "/api/auth/register", null,
                "{\"email\":\"bounces@example.com\",\"password\":\"correct horse battery\"}"), "access_token");

        // Given the videos, created alternately through both gateways, each followed on the other
        List<String> ids = new ArrayList<>();
        Map<String, Integer> durations = new LinkedHashMap<>();
        Map<String, Future<List<JsonNode>>> sse = new LinkedHashMap<>();
        for (int i = 0; i < VIDEOS; i++) {
            ServiceProcesses.Service via = i % 2 == 0 ? gateway1 : gateway2;
            ServiceProcesses.Service other = i % 2 == 0 ? gateway2 : gateway1;
            int duration = DURATIONS[i % DURATIONS.length];
            String id = field(postUntilAccepted(via, "/api/videos", token,
                    "{\"theme\":\"Rebonds de brokers numéro " + (i + 1) + "\",\"target_duration\":" + duration + "}"),
                    "video_id");
            ids.add(id);
            durations.put(id, duration);
            sse.put(id, streams.submit(() -> DrillChecks.follow(other, id, token)));
        }
        timeline.mark(VIDEOS + " videos accepted");

        // When, while blocks render, a bridge and a projector are killed and the brokers bounced in turn
        await("both bridges rendering").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() ->
                DrillChecks.renders(services.get("bridge-1")).size() >= 2
                        && DrillChecks.renders(services.get("bridge-2")).size() >= 2);
        services.get("bridge-1").process().kill();
        timeline.mark("SIGKILL bridge-1");
        services.get("projector-1").process().kill();
        timeline.mark("SIGKILL projector-1");
        long firstFault = System.nanoTime();
        for (int bounce = 1; bounce <= BOUNCES; bounce++) {
            int node = 1 + (bounce - 1) % 3;
            cluster.kill(node);
            timeline.mark("bounce " + bounce + ": SIGKILL kafka node " + node);
            Thread.sleep(DOWN.toMillis());
            long restarting = System.nanoTime();
            cluster.restart(node);
            timeline.mark(String.format("bounce %d: kafka node %d back in %.1f s", bounce, node,
                    DrillChecks.seconds(restarting)));
            cluster.awaitCluster(Duration.ofMinutes(2));
            timeline.mark("bounce " + bounce + ": cluster of 3 again; completed so far: "
                    + completed(gateway2, token, ids).size() + "/" + VIDEOS);
        }

        // Then every accepted video completes
        Map<String, Double> completedAt = new TreeMap<>();
        await("every video completed").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                if (completedAt.containsKey(id)) {
                    continue;
                }
                JsonNode view = Json.mapper().readTree(get(gateway1, "/api/videos/" + id, token));
                assertThat(view.get("status").asText()).as("%s: %s", id, view).isNotIn("failed", "cancelled");
                if (view.get("status").asText().equals("completed")) {
                    completedAt.put(id, DrillChecks.seconds(firstFault));
                }
            }
            assertThat(completedAt).hasSize(VIDEOS);
        });
        timeline.mark("all " + VIDEOS + " videos completed");

        // and its stream on the other gateway ended on "Terminé", never going back
        for (String id : ids) {
            DrillChecks.assertStreamEndedDone(id, sse.get(id).get(2, TimeUnit.MINUTES));
        }
        // and each final.mp4 plays for about its target duration
        Path ffmpeg = DrillChecks.bundledFfmpeg(services.get("bridge-2").dataDir());
        for (String id : ids) {
            Path file = base.resolve("storage").resolve(id).resolve("final.mp4");
            assertThat(file).as("final.mp4 of %s", id).isRegularFile();
            assertThat(DrillChecks.decodedSeconds(ffmpeg, file)).as("decoded duration of %s", id)
                    .isBetween(durations.get(id) - 1.0, durations.get(id) + 4.5);
        }
        // and no block completed was generated again
        Map<String, Integer> rendersPerBlock = new TreeMap<>();
        for (String bridge : List.of("bridge-1", "bridge-2")) {
            DrillChecks.renders(services.get(bridge)).forEach(block -> rendersPerBlock.merge(block, 1, Integer::sum));
        }
        assertThat(DrillChecks.renderedAfterCompletion(cluster.bootstrapServers(), ids, timeline))
                .as("blocks generated again after they had completed").isEmpty();
        // and both gateways list the same library
        await("both gateways list the same library").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(DrillChecks.libraryIds(gateway2, token)).isEqualTo(DrillChecks.libraryIds(gateway1, token))
                        .containsExactlyInAnyOrderElementsOf(ids));

        Map<Integer, Long> histogram = new TreeMap<>();
        rendersPerBlock.values().forEach(n -> histogram.merge(n, 1L, Long::sum));
        timeline.mark(String.format("figures: %d accepted, %d completed; %d broker bounces; last video completed "
                        + "%.1f s after the first fault; renders per block %s (bridge-1 %d, bridge-2 %d)", VIDEOS,
                completedAt.size(), BOUNCES, completedAt.values().stream().mapToDouble(Double::doubleValue).max()
                        .orElse(0), histogram, DrillChecks.renders(services.get("bridge-1")).size(),
                DrillChecks.renders(services.get("bridge-2")).size()));
    }

    private static List<String> completed(ServiceProcesses.Service gateway, String token, List<String> ids) {
        List<String> done = new ArrayList<>();
        for (String id : ids) {
            try {
                if (Json.mapper().readTree(get(gateway, "/api/videos/" + id, token)).get("status").asText()
                        .equals("completed")) {
                    done.add(id);
                }
            } catch (Exception | AssertionError e) {
                // not projected yet (404), or a gateway still catching up after a bounce: counted at the next mark
            }
        }
        return done;
    }
}
