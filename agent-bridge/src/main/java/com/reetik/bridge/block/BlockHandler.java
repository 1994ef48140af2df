package com.reetik.bridge.block;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.worker.DeadLetters;
import com.reetik.bridge.worker.Outbox;
import com.reetik.bridge.worker.RecordHandler;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
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
 * instead of starting new ones. The blocks of a cancelled video are skipped.
 */
public final class BlockHandler implements RecordHandler {

    private static final Logger log = LoggerFactory.getLogger(BlockHandler.class);
    /** One line per generation started: what a restart test counts. */
    private static final Logger renders = LoggerFactory.getLogger("com.reetik.bridge.renders");
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final AgentPort agents;
    private final CancellationMarks cancellations;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration pollInterval;
    private final Duration operationDeadline;

    public BlockHandler(AgentPort agents, CancellationMarks cancellations, Clock clock, int maxAttempts,
                        Duration retryBackoff, Duration pollInterval, Duration operationDeadline) {
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
        this.pollInterval = pollInterval;
        this.operationDeadline = operationDeadline;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record, Outbox out) throws InterruptedException {
        BlockTask task;
        try {
            task = Json.read(record.value(), BlockTask.class);
            if (task.block() == null || task.request() == null || task.videoId() == null) {
                throw new MalformedRecordException("block task without video_id, block or request");
            }
        } catch (MalformedRecordException e) {
            DeadLetters.reject(record, e.getMessage(), out);
            return;
        }
        waitUntil(task.notBefore());
        String videoId = task.videoId();
        int index = task.block().index();
        if (cancellations.cancelled(videoId)) {
            log.info("Block {}/{} of {} skipped: the video was cancelled", index, task.totalBlocks(), videoId);
            return;
        }
        ClipRequest request = new ClipRequest(videoId, task.agentVideoId(), task.totalBlocks(), task.block(),
                task.attempt(), task.request());
        try {
            ClipProgress progress;
            if (task.operation() == null) {
                out.publishNow(Topics.VIDEO_EVENTS, videoId,
                        new BlockSubmitted(id(), videoId, clock.instant(), index, task.attempt(), null));
                renders.info("render video={} block={}/{} attempt={}", videoId, index, task.totalBlocks(),
                        task.attempt());
                progress = agents.startClip(request);
            } else if (task.submittedAt() != null
                    && clock.instant().isAfter(task.submittedAt().plus(operationDeadline))) {
                throw new AgentException(ErrorCode.OPERATION_TIMEOUT, false, "operation " + task.operation()
                        + " not done " + operationDeadline.toSeconds() + " s after it started");
            } else {
                progress = agents.pollClip(request, task.operation());
            }
            if (progress instanceof ClipProgress.Done done) {
                out.add(Topics.VIDEO_EVENTS, videoId, new BlockCompleted(id(), videoId, clock.instant(), index,
                        task.attempt(), done.clip().clipUri(), done.clip().durationS()));
            } else if (progress instanceof ClipProgress.Pending pending) {
                Instant started = task.submittedAt() != null ? task.submittedAt() : clock.instant();
                if (task.operation() == null) {
                    out.add(Topics.VIDEO_EVENTS, videoId, new BlockSubmitted(id(), videoId, clock.instant(), index,
                            task.attempt(), pending.operation()));
                }
                out.add(Topics.BLOCK_TASKS, BlockTask.key(videoId, index),
                        task.polling(pending.operation(), started, clock.instant().plus(pollInterval)));
            }
        } catch (AgentException e) {
            failed(task, e.code(), e.retryable(), e.getMessage(), out);
        } catch (RuntimeException e) {
            log.warn("Block {} of {} failed unexpectedly", index, videoId, e);
            failed(task, ErrorCode.DEFAULT, true, e.toString(), out);
        }
    }

    private void failed(BlockTask task, ErrorCode code, boolean retryable, String detail, Outbox out) {
        String videoId = task.videoId();
        int index = task.block().index();
        boolean again = retryable && task.attempt() < maxAttempts;
        log.warn("Block {}/{} of {} failed (attempt {}/{}, {}): {}", index, task.totalBlocks(), videoId,
                task.attempt(), maxAttempts, again ? "will retry" : "giving up", detail);
        out.add(Topics.VIDEO_EVENTS, videoId, new BlockFailed(id(), videoId, clock.instant(), index, task.attempt(),
                code.wireName(), again, detail));
        if (again) {
            int next = task.attempt() + 1;
            Instant notBefore = clock.instant().plus(retryBackoff.multipliedBy(1L << Math.min(10, task.attempt() - 1)));
            out.add(Topics.VIDEO_EVENTS, videoId, new BlockRetried(id(), videoId, clock.instant(), index, next, false));
            out.add(Topics.BLOCK_TASKS, BlockTask.key(videoId, index), BlockTask.start(videoId, task.totalBlocks(),
                    task.block(), next, task.request(), task.agentVideoId(), notBefore));
        } else {
            out.add(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(), code.wireName(),
                    "block " + index, detail));
        }
    }

    private void waitUntil(Instant notBefore) throws InterruptedException {
        if (notBefore == null) {
            return;
        }
        long millis = Duration.between(clock.instant(), notBefore).toMillis();
        if (millis > 0) {
            Thread.sleep(Math.min(millis, MAX_WAIT.toMillis()));
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
