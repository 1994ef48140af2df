package com.reetik.bridge.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.kafka.EventOutput;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * What {@link BlockHandler} counts: attempts by outcome and the time of each attempt, on a clock the test moves; and
 * how many local renders it runs at once.
 */
class BlockHandlerMetricsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final VideoRequest REQUEST = new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16");
    private static final String VIDEO = "volcans_20260301_100000_abcdef";
    private static final int MAX_ATTEMPTS = 3;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<MockProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
    private EventOutput out;
    private CancellationMarks marks;

    @BeforeEach
    void setUp() {
        MockProducerFactory<String, byte[]> factory = new MockProducerFactory<>((transactional, txId) -> {
            MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                    new ByteArraySerializer());
            if (transactional) {
                producer.initTransactions();
            }
            producers.add(producer);
            return producer;
        }, "block-test-");
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(factory);
        template.setAllowNonTransactional(true);
        out = new EventOutput(template);
        marks = new CancellationMarks(new LocalObjectStore(dir.resolve("store")), dir.resolve("work"));
    }

    private BlockHandler handler(AgentPort agents) {
        return new BlockHandler(agents, marks, clock, MAX_ATTEMPTS, Duration.ofMillis(500), Duration.ofSeconds(10),
                Duration.ofMinutes(10), out, videoId -> java.util.Optional.empty(), registry, 0);
    }

    private static BlockTask start(int attempt) {
        return BlockTask.start(VIDEO, 2, new ScriptBlock(1, "prompt", "narration", 4), attempt, REQUEST, null, T0,
                "create-1");
    }

    private double attempts(String outcome) {
        return registry.get(BlockHandler.ATTEMPTS).tag("outcome", outcome).counter().count();
    }

    private Timer generation(String outcome) {
        return registry.get(BlockHandler.GENERATION).tag("outcome", outcome).timer();
    }

    /** Every value the handler sent (transactional or not), as JSON text. */
    private List<String> sent() {
        return producers.stream().flatMap(p -> p.history().stream()).map(ProducerRecord::value)
                .map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldRegisterEveryOutcomeAtZeroSoAlertsHaveASeries() {
        // Given a handler that has handled nothing
        handler(agent(0, null, null));

        // Then every outcome is there at zero
        assertThat(List.of("completed", "retried", "failed")).allSatisfy(o -> assertThat(attempts(o)).isZero());
        assertThat(generation("completed").count()).isZero();
        assertThat(generation("failed").count()).isZero();
    }

    @Test
    void shouldCountACompletedAttemptAndTimeItFromTheTaskTaken() {
        // Given an agent that renders a block in 7 s
        BlockHandler blocks = handler(agent(7, null, null));

        // When a block's first attempt is handled
        blocks.handle(start(1));

        // Then one completed attempt of 7 s, nothing retried or failed
        assertThat(sent()).anyMatch(json -> json.contains("\"type\":\"BlockCompleted\""));
        assertThat(attempts("completed")).isEqualTo(1);
        assertThat(attempts("retried")).isZero();
        assertThat(attempts("failed")).isZero();
        assertThat(generation("completed").count()).isEqualTo(1);
        assertThat(generation("completed").totalTime(TimeUnit.SECONDS)).isEqualTo(7.0);
        assertThat(generation("failed").count()).isZero();
    }

    @Test
    void shouldCountARetryableFailureAsRetriedThenTheLastAttemptAsFailed() {
        // Given an agent that fails every block retryably after 2 s
        BlockHandler blocks = handler(agent(2, new AgentException(ErrorCode.QUOTA_EXCEEDED, true, "429"), null));

        // When attempt 1, then the last attempt, fail
        blocks.handle(start(1));
        assertThat(attempts("retried")).isEqualTo(1);
        assertThat(attempts("failed")).isZero();
        blocks.handle(start(MAX_ATTEMPTS));

        // Then one retried and one failed for good (the video failed), each timed as a failed attempt
        assertThat(sent()).anyMatch(json -> json.contains("\"type\":\"VideoFailed\""));
        assertThat(attempts("retried")).isEqualTo(1);
        assertThat(attempts("failed")).isEqualTo(1);
        assertThat(attempts("completed")).isZero();
        assertThat(generation("failed").count()).isEqualTo(2);
        assertThat(generation("failed").totalTime(TimeUnit.SECONDS)).isEqualTo(4.0);
    }

    @Test
    void shouldTimeAnOperationFromItsSubmissionAndCountNothingWhileItRuns() {
        // Given an agent with operations (like Veo): started at once, done when polled
        BlockHandler blocks = handler(agent(1, null, "operations/42"));

        // When the start task is handled: the operation is pending, no attempt has ended
        blocks.handle(start(1));
        assertThat(attempts("completed")).isZero();
        assertThat(generation("completed").count()).isZero();

        // And 95 s after its submission the poll task finds it done
        Instant submitted = clock.instant();
        clock.advance(Duration.ofSeconds(94));
        blocks.handle(start(1).polling("operations/42", submitted, clock.instant()));

        // Then one completed attempt, timed from the submission (94 s waiting + 1 s of poll)
        assertThat(attempts("completed")).isEqualTo(1);
        assertThat(generation("completed").totalTime(TimeUnit.SECONDS)).isEqualTo(95.0);
    }

    @Test
    void shouldTakeAnOperationFoundDonePastTheDeadlineAndTimeOutOnlyOneStillRunning() {
        // Given an operation submitted, whose first check comes 11 minutes later (deadline 10 min), and is done
        BlockHandler blocks = handler(agent(1, null, "operations/42"));
        blocks.handle(start(1));
        Instant submitted = clock.instant();
        clock.advance(Duration.ofMinutes(11));

        // When that check is made
        blocks.handle(start(1).polling("operations/42", submitted, clock.instant()));

        // Then the clip is taken (it was paid for): the block completes, the video does not fail
        assertThat(sent()).anyMatch(json -> json.contains("\"type\":\"BlockCompleted\""));
        assertThat(sent()).noneMatch(json -> json.contains("\"type\":\"VideoFailed\""));

        // And an operation still running at such a check fails its block with operation_timeout
        BlockHandler stillRunning = handler(new ClipAgent() {
            @Override
            public ClipProgress startClip(ClipRequest request) {
                return new ClipProgress.Pending("operations/43");
            }

            @Override
            public ClipProgress pollClip(ClipRequest request, String polled) {
                return new ClipProgress.Pending(polled);
            }

            @Override
            public Clip generateClip(ClipRequest request) {
                throw new UnsupportedOperationException();
            }
        });
        stillRunning.handle(start(1).polling("operations/43", submitted, clock.instant()));
        assertThat(sent()).anyMatch(json -> json.contains("\"type\":\"VideoFailed\"")
                && json.contains("operation_timeout"));
    }

    @Test
    void shouldRenderNoMoreBlocksAtOnceThanItsSlotsAndAnnounceABlockOnlyWhenItsRenderStarts() throws Exception {
        // Given a local-preview handler with 2 render slots, called by 6 listener threads (one per partition)
        // and an agent whose renders wait until the test lets them finish
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Semaphore finish = new Semaphore(0);
        AgentPort slow = new ClipAgent() {
            @Override
            public Clip generateClip(ClipRequest request) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                finish.acquireUninterruptibly();
                running.decrementAndGet();
                return clip();
            }
        };
        BlockHandler blocks = new BlockHandler(slow, marks, clock, MAX_ATTEMPTS, Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofMinutes(10), out, videoId -> java.util.Optional.empty(), registry, 2);
        ExecutorService listeners = Executors.newFixedThreadPool(6);
        try {
            // When the six blocks of a video are due at once
            List<Future<?>> handled = new ArrayList<>();
            for (int index = 1; index <= 6; index++) {
                BlockTask task = BlockTask.start(VIDEO, 6, new ScriptBlock(index, "prompt", "narration", 4), 1,
                        REQUEST, null, T0, "create-1");
                handled.add(listeners.submit(() -> blocks.handle(task)));
            }

            // Then two render and only those two are announced to users ("Génération" counts them)
            await(() -> running.get() == 2);
            Thread.sleep(300); // the four others had time to start, had they been allowed to
            assertThat(running.get()).isEqualTo(2);
            assertThat(submittedCount()).isEqualTo(2);

            // And as renders finish, the waiting blocks take their slots, never more than two at once
            finish.release(6);
            for (Future<?> f : handled) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(mostAtOnce.get()).isEqualTo(2);
            assertThat(submittedCount()).isEqualTo(6);
            assertThat(attempts("completed")).isEqualTo(6);
        } finally {
            finish.release(100);
            listeners.shutdownNow();
        }
    }

    private long submittedCount() {
        return sent().stream().filter(json -> json.contains("\"type\":\"BlockSubmitted\"")).count();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * An agent whose calls take {@code seconds} on the test clock, then throw {@code failure}, or answer an
     * operation {@code operation} to poll (done at the first poll), or a clip at once.
     */
    private AgentPort agent(long seconds, AgentException failure, String operation) {
        return new ClipAgent() {
            @Override
            public ClipProgress startClip(ClipRequest request) throws AgentException {
                clock.advance(Duration.ofSeconds(seconds));
                if (failure != null) {
                    throw failure;
                }
                return operation != null ? new ClipProgress.Pending(operation) : new ClipProgress.Done(clip());
            }

            @Override
            public ClipProgress pollClip(ClipRequest request, String polled) {
                clock.advance(Duration.ofSeconds(seconds));
                return new ClipProgress.Done(clip());
            }

            @Override
            public Clip generateClip(ClipRequest request) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** An agent of clips only: these tests write no script and assemble nothing. */
    private abstract static class ClipAgent implements AgentPort {
        @Override
        public Script writeScript(String videoId, VideoRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Assembled assemble(String videoId, List<String> clipUris) {
            throw new UnsupportedOperationException();
        }
    }

    private static Clip clip() {
        return new Clip("file:///v/" + VIDEO + "/clips/block_1.mp4", 4.0, null);
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
