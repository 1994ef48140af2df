package com.reetik.bridge.block;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Clip;
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
 * Generates one block (check-and-retry): on success BlockCompleted; on a retryable failure BlockFailed,
 * BlockRetried and the next attempt's task, later by an exponential backoff; past the last attempt
 * BlockFailed and VideoFailed naming the block. Each outcome commits with the task's offset, so a block
 * that completed is never generated again. The blocks of a cancelled video are skipped.
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

    public BlockHandler(AgentPort agents, CancellationMarks cancellations, Clock clock, int maxAttempts,
                        Duration retryBackoff) {
        this.agents = agents;
        this.cancellations = cancellations;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
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
        out.publishNow(Topics.VIDEO_EVENTS, videoId,
                new BlockSubmitted(id(), videoId, clock.instant(), index, task.attempt(), null));
        renders.info("render video={} block={}/{} attempt={}", videoId, index, task.totalBlocks(), task.attempt());
        try {
            Clip clip = agents.generateClip(new ClipRequest(videoId, task.agentVideoId(), task.totalBlocks(),
                    task.block(), task.attempt(), task.request()));
            out.add(Topics.VIDEO_EVENTS, videoId, new BlockCompleted(id(), videoId, clock.instant(), index,
                    task.attempt(), clip.clipUri(), clip.durationS()));
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
            out.add(Topics.BLOCK_TASKS, BlockTask.key(videoId, index), new BlockTask(videoId, task.totalBlocks(),
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
