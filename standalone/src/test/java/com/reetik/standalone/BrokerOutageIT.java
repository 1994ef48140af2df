package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.kafka.ListenerRestarter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, case 3: a broker stall does not kill the bridge's workers silently. The whole product in one JVM on its
 * embedded broker, the real local agents rendering with ffmpeg; the test stops the broker for more than a minute
 * while a block renders (the transaction coordinator gone with it) and starts it again on the same port and
 * directory, and kills a listener's thread with an {@link Error}. The bridge's health says DOWN while its workers
 * cannot run, a dead listener is started again, and the videos complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class BrokerOutageIT {

    @TempDir
    static Path dataDir;

    private final CountDownLatch rendering = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean dieOnce = new AtomicBoolean(true);
    private RunningServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        server = RunningServer.start(dataDir, Map.of("REETIK_BLOCK_WORKERS", "1"), this::staged);
        api = server.api;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldCompleteAVideoWhoseBrokerWasGoneForMoreThanAMinuteAndSayDownMeanwhile() throws Exception {
        // Given a video whose first block is rendering
        String token = api.newUser();
        String videoId = api.createVideo(token, "Glaciers du Groenland [hold]", 8);
        assertThat(rendering.await(60, TimeUnit.SECONDS)).as("a block started rendering").isTrue();
        assertThat(workers().getStatus()).isEqualTo(Status.UP);

        // When the broker goes away for 65 s while the block renders (its outcome cannot commit)
        long stopped = System.nanoTime();
        server.stack.broker().close();
        release.countDown();

        // Then the bridge's health says DOWN, naming Kafka, while it is gone
        Health down = awaitWorkers(Status.DOWN, Duration.ofSeconds(30));
        assertThat(down.getDetails().get("reason").toString()).startsWith("Kafka does not answer");
        Thread.sleep(Math.max(0, Duration.ofSeconds(65).toMillis() - Duration.ofNanos(System.nanoTime() - stopped)
                .toMillis()));
        assertThat(workers().getStatus()).isEqualTo(Status.DOWN);

        // When it comes back on the same port and directory
        server.stack.broker().start();

        // Then the video completes, and the bridge is UP again
        JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(4));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
        awaitWorkers(Status.UP, Duration.ofSeconds(30));
    }

    @Test
    void shouldStartAgainAListenerWhoseThreadDiedAndSayDownUntilThen() throws Exception {
        // Given the bridge's health watched from now on
        List<Status> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                seen.add(workers().getStatus());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            // When a block's handling throws an Error, which stops its listener's consumer for good in Spring Kafka
            String token = api.newUser();
            String videoId = api.createVideo(token, "Forêts de lave [die]", 8);

            // Then the listener is started again, the block is read again, and the video completes
            JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(3));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(dieOnce.get()).as("the Error was thrown").isFalse();
            MeterRegistry registry = server.stack.bridge().getBean(MeterRegistry.class);
            assertThat(registry.get(ListenerRestarter.RESTARTS).tag("listener", "bridge-blocks").counter().count())
                    .isEqualTo(1);
        } finally {
            watching.set(false);
            watcher.join();
        }
        // and the health said DOWN while the listener was dead, UP before and after
        assertThat(seen).contains(Status.DOWN);
        assertThat(seen.get(0)).isEqualTo(Status.UP);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(Status.UP);
    }

    private Health workers() {
        return server.stack.bridge().getBean("bridgeWorkersHealthIndicator", HealthIndicator.class).health();
    }

    private Health awaitWorkers(Status status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Health health = workers();
        while (!health.getStatus().equals(status)) {
            assertThat(System.nanoTime()).as("bridge health %s, waiting for %s", health, status).isLessThan(deadline);
            Thread.sleep(200);
            health = workers();
        }
        return health;
    }

    /** The real local agents; "[hold]" holds its first block until the test says so, "[die]" throws an Error once. */
    private AgentPort staged(AgentPort real) {
        return new ForwardingAgentPort(real) {
            @Override
            public Clip generateClip(ClipRequest request) throws AgentException {
                String theme = request.request().theme();
                if (theme.contains("[hold]") && request.block().index() == 1) {
                    rendering.countDown();
                    try {
                        release.await(2, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (theme.contains("[die]") && dieOnce.getAndSet(false)) {
                    throw new StackOverflowError("test: the block's worker dies");
                }
                return super.generateClip(request);
            }
        };
    }
}
