package com.reetik.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.post;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    private static DrillChecks.Stack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JavaProcess.javaExecutable()), "no java executable to start services");
        stack = DrillChecks.Stack.start("services-drill");
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldCompleteEveryVideoWhenABridgeAProjectorAndABrokerAreKilled() throws Exception {
        String token = field(post(stack.service("gateway-1"), "/api/auth/register", null,
                "{\"email\":\"drill@example.com\",\"password\":\"correct horse battery\"}"), "access_token");

        // Given ten videos of 16 to 36 s, created alternately through both gateways, each followed on the other
        DrillChecks.Videos videos = DrillChecks.createAlternately(stack, token, VIDEOS, DURATIONS,
                "Exercice de panne numéro");

        // When, while blocks render on both bridges, a bridge, a projector and a broker are killed
        ServiceProcesses.Service bridge1 = stack.service("bridge-1");
        ServiceProcesses.Service bridge2 = stack.service("bridge-2");
        await("both bridges rendering, some blocks completed").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200)).until(() ->
                        DrillChecks.renders(bridge1).size() >= 2 && DrillChecks.renders(bridge2).size() >= 2);
        mark("both bridges rendering: bridge-1 " + DrillChecks.renders(bridge1).size() + " renders, bridge-2 "
                + DrillChecks.renders(bridge2).size());
        bridge1.process().kill();
        mark("SIGKILL bridge-1");
        stack.service("projector-1").process().kill();
        mark("SIGKILL projector-1");
        stack.cluster.kill(2);
        mark("SIGKILL kafka node 2");
        long killedAt = System.nanoTime();

        // Then every video completes, its stream on the other gateway ends on "Terminé", its final.mp4 plays for
        // about its target duration
        Map<String, Double> completedAt = DrillChecks.awaitAllCompleted(stack.service("gateway-1"), token,
                videos.ids(), killedAt, Duration.ofMinutes(7));
        mark("all " + VIDEOS + " videos completed");
        DrillChecks.assertStreamsAndFiles(stack, videos);

        // And both bridges rendered blocks, and no block completed was generated again
        assertThat(DrillChecks.renders(bridge1)).as("blocks rendered by bridge-1").isNotEmpty();
        assertThat(DrillChecks.renders(bridge2)).as("blocks rendered by bridge-2").isNotEmpty();
        assertThat(DrillChecks.renderedAfterCompletion(stack.cluster.bootstrapServers(), videos.ids(), stack.timeline))
                .as("blocks generated again after they had completed").isEmpty();

        // And both gateways list the same library
        DrillChecks.assertSameLibrary(stack, token, videos.ids());

        mark(String.format("figures: last video completed %.1f s after the kills; renders per block %s (renders: "
                        + "bridge-1 %d, bridge-2 %d); videos completed after the kills at %s s",
                completedAt.values().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                DrillChecks.rendersPerBlock(stack), DrillChecks.renders(bridge1).size(),
                DrillChecks.renders(bridge2).size(), completedAt.values().stream().sorted()
                        .map(s -> String.format("%.0f", s)).toList()));
    }

    private static void mark(String what) {
        stack.timeline.mark(what);
    }
}
