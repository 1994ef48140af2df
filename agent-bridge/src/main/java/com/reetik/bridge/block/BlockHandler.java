package com.reetik.bridge.block;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.kafka.EventOutput;
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
public final class BlockHandler {

    private static final Logger log = LoggerFactory.getLogger(BlockHandler.class);
    /** One line per generation started: what a restart test counts. */
    private static final Logger renders = LoggerFactory.getLogger("com.reetik.bridge.renders");

    private final AgentPort agents;
    private final CancellationMarks cancellations;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration pollInterval;
    private final Duration operationDeadline;
    private final EventOutput out;

    public BlockHandler(AgentPort agents, CancellationMarks cancellations, Clock clock, int maxAttempts,
                        Duration retryBackoff, Duration pollInterval, Duration operationDeadline, EventOutput out) {
        this.out = out;
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
        this.pollInterval = pollInterval;
        this.operationDeadline = operationDeadline;
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
     * holding a thread).
     */
    public void handle(BlockTask task) {
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
                out.sendNow(Topics.VIDEO_EVENTS, videoId,
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
                out.send(Topics.VIDEO_EVENTS, videoId, new BlockCompleted(id(), videoId, clock.instant(), index,
                        task.attempt(), done.clip().clipUri(), done.clip().durationS()));
            } else if (progress instanceof ClipProgress.Pending pending) {
                Instant started = task.submittedAt() != null ? task.submittedAt() : clock.instant();
                if (task.operation() == null) {
                    out.send(Topics.VIDEO_EVENTS, videoId, new BlockSubmitted(id(), videoId, clock.instant(), index,
                            task.attempt(), pending.operation()));
                }
                out.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, index),
                        task.polling(pending.operation(), started, clock.instant().plus(pollInterval)));
            }
        } catch (AgentException e) {
            failed(task, e.code(), e.retryable(), e.getMessage());
        } catch (org.apache.kafka.common.KafkaException | org.springframework.kafka.KafkaException e) {
            // Kafka, not the agent: nothing of this task commits; the container takes it again.
            throw e;
        } catch (RuntimeException e) {
            log.warn("Block {} of {} failed unexpectedly", index, videoId, e);
            failed(task, ErrorCode.DEFAULT, true, e.toString());
        }
    }

    private void failed(BlockTask task, ErrorCode code, boolean retryable, String detail) {
        String videoId = task.videoId();
        int index = task.block().index();
        boolean again = retryable && task.attempt() < maxAttempts;
        log.warn("Block {}/{} of {} failed (attempt {}/{}, {}): {}", index, task.totalBlocks(), videoId,
                task.attempt(), maxAttempts, again ? "will retry" : "giving up", detail);
        out.send(Topics.VIDEO_EVENTS, videoId, new BlockFailed(id(), videoId, clock.instant(), index, task.attempt(),
                code.wireName(), again, detail));
        if (again) {
            int next = task.attempt() + 1;
            Instant notBefore = clock.instant().plus(retryBackoff.multipliedBy(1L << Math.min(10, task.attempt() - 1)));
            out.send(Topics.VIDEO_EVENTS, videoId, new BlockRetried(id(), videoId, clock.instant(), index, next, false));
            out.send(Topics.BLOCK_TASKS, BlockTask.key(videoId, index), BlockTask.start(videoId, task.totalBlocks(),
                    task.block(), next, task.request(), task.agentVideoId(), notBefore));
        } else {
            out.send(Topics.VIDEO_EVENTS, videoId, new VideoFailed(id(), videoId, clock.instant(), code.wireName(),
                    "block " + index, detail));
        }
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
