package com.reetik.bridge.block;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.ClipCheck;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.kafka.EventOutput;
import com.reetik.bridge.kafka.KafkaErrors;
import com.reetik.bridge.ledger.ReplayGuard;
import com.reetik.bridge.ledger.VideoLedgers;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.json.MalformedRecordException;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates one block (check-and-retry). A task without an operation starts the generation: the clip is
 * done at once (local), or the agent answers with an operation, which is recorded (BlockSubmitted) with
 * a task to poll it later, in one transaction. A task with an operation polls it; past the deadline the
 * block fails with operation_timeout. On success BlockCompleted; on a retryable failure BlockFailed,
 * BlockRetried and the next attempt's task, later by an exponential backoff; past the last attempt
 * BlockFailed and VideoFailed naming the block. Each outcome commits with the task's offset, so a block
 * that completed is never generated again, and a restarted bridge polls the operations already started
 * instead of starting new ones. The blocks of a cancelled video are skipped, and so is a task that the video's
 * ledger shows done or replaced ({@link ReplayGuard#blockTask}): a task read again after a group reset pays for
 * nothing.
 *
 * <p>Metrics: {@value #GENERATION} (Timer, tag {@code outcome} = {@code completed} | {@code failed}) is the time
 * of one attempt, from its start (the task's {@code submitted_at} when it polls an operation, else the moment
 * the task was taken) to its BlockCompleted or BlockFailed; {@value #ATTEMPTS} (Counter, tag {@code outcome} =
 * {@code completed} | {@code retried} | {@code failed}) counts attempts that ended: done, failed with another
 * attempt to come, failed for good (the video fails). Both are counted when the outcome's records were handed
 * to the transaction; a transaction that then aborts (the task is taken again) counts twice.
 */
public final class BlockHandler {

    private static final Logger log = LoggerFactory.getLogger(BlockHandler.class);
    /** One line per generation started: what a restart test counts. */
    private static final Logger renders = LoggerFactory.getLogger("com.reetik.bridge.renders");

    public static final String GENERATION = "reetik.block.generation";
    public static final String ATTEMPTS = "reetik.block.attempts";

    /** Buckets for {@code histogram_quantile}: a local block takes seconds, a Veo one minutes (deadline 10 min). */
    private static final Duration[] GENERATION_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(300),
            Duration.ofSeconds(600), Duration.ofSeconds(900)};

    private final AgentPort agents;
    private final CancellationMarks cancellations;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration pollInterval;
    private final Duration operationDeadline;
    private final EventOutput out;
    private final VideoLedgers ledgers;
    private final Timer completedTime;
    private final Timer failedTime;
    private final Counter completedAttempts;
    private final Counter retriedAttempts;
    private final Counter failedAttempts;
    private final Semaphore renderSlots;

    /**
     * @param rendersAtOnce for agents that make a clip in the call (the local preview), how many this instance
     *                      makes at once, whatever the listener threads; 0: no bound beyond them. A Semaphore, not
     *                      a pool: the block's Kafka transaction belongs to its listener thread, so the render must
     *                      run on it; the threads beyond the bound wait here before anything of theirs is sent.
     */
    public BlockHandler(AgentPort agents, CancellationMarks cancellations, Clock clock, int maxAttempts,
                        Duration retryBackoff, Duration pollInterval, Duration operationDeadline, EventOutput out,
                        VideoLedgers ledgers, MeterRegistry registry, int rendersAtOnce) {
        if (rendersAtOnce < 0) {
            throw new IllegalArgumentException("rendersAtOnce must not be negative, not " + rendersAtOnce);
        }
        this.renderSlots = rendersAtOnce == 0 ? null : new Semaphore(rendersAtOnce, true);
        this.out = out;
        this.ledgers = ledgers;
        this.completedTime = generationTimer(registry, "completed");
        this.failedTime = generationTimer(registry, "failed");
        this.completedAttempts = attemptCounter(registry, "completed");
        this.retriedAttempts = attemptCounter(registry, "retried");
        this.failedAttempts = attemptCounter(registry, "failed");
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
        this.pollInterval = pollInterval;
        this.operationDeadline = operationDeadline;
    }

    private static Timer generationTimer(MeterRegistry registry, String outcome) {
        return Timer.builder(GENERATION)
                .description("Time of one block attempt, from its start to BlockCompleted or BlockFailed")
                .tag("outcome", outcome)
                .serviceLevelObjectives(GENERATION_BUCKETS)
                .register(registry);
    }

    private static Counter attemptCounter(MeterRegistry registry, String outcome) {
        return Counter.builder(ATTEMPTS)
                .description("Block attempts that ended: completed, retried (failed, another attempt follows), "
                        + "failed (for good: the video fails)")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** @throws MalformedRecordException when the record is not a block task (it goes to the dead letters) */
    public static BlockTask read(ConsumerRecord<String, byte[]> record) {
        BlockTask task = Json.read(record.value(), BlockTask.class);
        if (task.block() == null || task.request() == null || task.videoId() == null) {
            throw new MalformedRecordException("block task without video_id, block or request");
        }
        return task;
    }

    /**
     * Handles a task that is due (its {@code not_before} passed: the listener holds back the others without
     * holding a thread), writing to this handler's output (the listener's transaction).
     */
    public void handle(BlockTask task) {
        handle(task, out);
    }

    /**
     * Handles a due task, writing to {@code output}: a {@link EventOutput#buffered() buffered} one when the task runs
     * beside others of its batch, off the listener's thread.
     */
    public void handle(BlockTask task, EventOutput output) {
        // Only a start (or retry) of a clip made in the call takes a slot; a check of an operation is one HTTP call.
        Semaphore slots = task.operation() == null && !agents.startsOperations() ? renderSlots : null;
        if (slots == null) {
            handleDue(task, output);
            return;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // nothing sent yet: the task is not committed and is read again
            throw new IllegalStateException("interrupted while waiting for a render slot", e);
        }
        try {
            handleDue(task, output);
        } finally {
            slots.release();
        }
    }

    /**
     * Checks of operations of one video (tasks with an operation; a poll's due checks, grouped by video by
     * {@link com.reetik.bridge.kafka.BlockTaskBatches}), one {@link AgentPort#pollClips} call for all of them, each
     * outcome then handled as {@link #handle} would. Writes to {@code output}, in the tasks' order.
     */
    public void handleChecks(List<BlockTask> tasks, EventOutput output) {
        List<BlockTask> checked = new ArrayList<>(tasks.size());
        List<ClipCheck> checks = new ArrayList<>(tasks.size());
        for (BlockTask task : tasks) {
            if (task.operation() == null) {
                throw new IllegalArgumentException("not a check: block " + task.block().index() + " of " + task.videoId());
            }
            if (!skipped(task)) {
                checked.add(task);
                checks.add(new ClipCheck(request(task), task.operation()));
            }
        }
        if (checks.isEmpty()) {
            return;
        }
        List<ClipCheck.Outcome> outcomes;
        try {
            outcomes = agents.pollClips(checks);
        } catch (RuntimeException e) {
            KafkaErrors.rethrowIfKafka(e);
            log.warn("Checks of {} operations of {} failed unexpectedly", checks.size(), tasks.get(0).videoId(), e);
            outcomes = checks.stream().<ClipCheck.Outcome>map(c -> new ClipCheck.Failed(
                    new AgentException(ErrorCode.DEFAULT, true, e.toString()))).toList();
        }
        for (int i = 0; i < checked.size(); i++) {
            BlockTask task = checked.get(i);
            ClipCheck.Outcome outcome = outcomes.get(i);
            progressed(task, startedAt(task), outcome::progress, output);
        }
    }

    private void handleDue(BlockTask task, EventOutput output) {
        if (task.operation() != null) {
            handleChecks(List.of(task), output);
            return;
        }
        if (skipped(task)) {
            return;
        }
        String videoId = task.videoId();
        int index = task.block().index();
        ClipRequest request = request(task);
        Instant started = startedAt(task);
        progressed(task, started, () -> {
            if (!agents.startsOperations()) {
                // A clip made in the call (local: seconds of ffmpeg): users see it start before it ends.
                // An operation's submission answers at once and is recorded with its name below.
                output.sendNow(Topics.VIDEO_EVENTS, videoId,
                        new BlockSubmitted(id(), videoId, clock.instant(), index, task.attempt(), null));
            }
            renders.info("render video={} block={}/{} attempt={}", videoId, index, task.totalBlocks(),
                    task.attempt());
            return agents.startClip(request);
        }, output);
    }

    /** Whether a due task is passed over: its video cancelled, or its ledger shows it done or replaced. */
    private boolean skipped(BlockTask task) {
        String videoId = task.videoId();
        int index = task.block().index();
        // The mark stops a video's first run on every bridge at once. An edit (a later version) is stopped by its
        // video's ledger instead: a mark would outlive the edit it cancelled and stop every edit after it.
        if (task.versionOrFirst() == 1 && cancellations.cancelled(videoId)) {
            log.info("Block {}/{} of {} skipped: the video was cancelled", index, task.totalBlocks(), videoId);
            return true;
        }
        ReplayGuard.Decision decision = ReplayGuard.blockTask(ledgers.find(videoId).orElse(null), task);
        if (decision.skip()) {
            log.info("Block {}/{} of {} (attempt {}{}) skipped: {}", index, task.totalBlocks(), videoId, task.attempt(),
                    task.operation() == null ? "" : ", poll", decision.reason());
            return true;
        }
        return false;
    }

    private static ClipRequest request(BlockTask task) {
        return new ClipRequest(task.videoId(), task.agentVideoId(), task.totalBlocks(), task.block(),
                task.attempt(), task.request(), task.versionOrFirst());
    }

    /** When this attempt began: at its start task, or (polling an operation) when the operation started. */
    private Instant startedAt(BlockTask task) {
        return task.operation() != null && task.submittedAt() != null ? task.submittedAt() : clock.instant();
    }

    @FunctionalInterface
    private interface Progress {
        ClipProgress get() throws AgentException;
    }

    /** Where the block stands after its start or its check, written as events and the next task. */
    private void progressed(BlockTask task, Instant started, Progress call, EventOutput output) {
        String videoId = task.videoId();
        int index = task.block().index();
        try {
            ClipProgress progress = call.get();
            if (task.operation() != null) {
                // Past the deadline, only an operation still running fails its block: one that is done was paid
                // for and is taken, however late it was checked (a check can come late: its task is committed with
                // the slowest call of its batch, such as a submission the Veo client retried for 10 s on 429s).
                if (progress instanceof ClipProgress.Pending && task.submittedAt() != null
                        && clock.instant().isAfter(task.submittedAt().plus(operationDeadline))) {
                    throw new AgentException(ErrorCode.OPERATION_TIMEOUT, false, "operation " + task.operation()
                            + " not done " + operationDeadline.toSeconds() + " s after it started");
                }
            }
            // deleted while this block was generated (its ledger says so): its clip must not stay
            if (progress instanceof ClipProgress.Done && ledgers.deleted(videoId)) {
                cancellations.purge(videoId);
                log.info("Block {}/{} of {} done after the video was deleted: its objects deleted again", index,
                        task.totalBlocks(), videoId);
            } else if (progress instanceof ClipProgress.Done done) {
                output.send(Topics.VIDEO_EVENTS, videoId, new BlockCompleted(id(), videoId, clock.instant(), index,
                        task.attempt(), done.clip().clipUri(), done.clip().durationS()));
                completedTime.record(since(started));
                completedAttempts.increment();
            } else if (progress instanceof ClipProgress.Pending pending) {
                Instant operationStarted = task.submittedAt() != null ? task.submittedAt() : clock.instant();
                if (task.operation() == null) {
                    output.send(Topics.VIDEO_EVENTS, videoId, new BlockSubmitted(id(), videoId, clock.instant(), index,
                            task.attempt(), pending.operation()));
                }
                // keyed by video: the checks of a video's blocks land on one partition, due together, and are made
                // in one call (handleChecks)
                output.send(Topics.BLOCK_POLLS, BlockTask.pollKey(videoId),
                        task.polling(pending.operation(), operationStarted, clock.instant().plus(pollInterval)));
            }
        } catch (AgentException e) {
            failed(task, started, e.code(), e.retryable(), e.getMessage(), output);
        } catch (RuntimeException e) {
            // Kafka, not the agent: nothing of this task commits; the container takes it again.
            KafkaErrors.rethrowIfKafka(e);
            log.warn("Block {} of {} failed unexpectedly", index, videoId, e);
            failed(task, started, ErrorCode.DEFAULT, true, e.toString(), output);
        }
    }

    private void failed(BlockTask task, Instant started, ErrorCode code, boolean retryable, String detail,
                        EventOutput output) {
        String videoId = task.videoId();
        int index = task.block().index();
        boolean again = retryable && task.attempt() < maxAttempts;
        log.warn("Block {}/{} of {} failed (attempt {}/{}, {}): {}", index, task.totalBlocks(), videoId,
                task.attempt(), maxAttempts, again ? "will retry" : "giving up", detail);
        output.send(Topics.VIDEO_EVENTS, videoId, new BlockFailed(id(), videoId, clock.instant(), index, task.attempt(),
                code.wireName(), again, detail));
        if (again) {
            int next = task.attempt() + 1;
            Instant notBefore = clock.instant().plus(retryBackoff.multipliedBy(1L << Math.min(10, task.attempt() - 1)));
            output.send(Topics.VIDEO_EVENTS, videoId, new BlockRetried(id(), videoId, clock.instant(), index, next, false));
            output.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, index), task.nextAttempt(notBefore));
            retriedAttempts.increment();
        } else {
            output.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(), code.wireName(),
                    "block " + index, detail));
            failedAttempts.increment();
        }
        failedTime.record(since(started));
    }

    /** From {@code started} to now; never negative (an operation's start may come from another host's clock). */
    private Duration since(Instant started) {
        Duration elapsed = Duration.between(started, clock.instant());
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
