package com.reetik.bridge.ledger;

import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.RetryVideo;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A video's events as the bridge writes them, built step by step, and the commands and tasks of that video: what
 * the ledger tests fold and check.
 */
final class VideoHistory {

    static final String VIDEO = "volcans_20260201_203648_a1b2c3";
    static final String CREATE = "create-0";
    static final VideoRequest REQUEST = new VideoRequest("Volcans", 8, "informative", "fr", "9:16");
    static final List<ScriptBlock> SCRIPT = List.of(new ScriptBlock(1, "p1", "n1", 4), new ScriptBlock(2, "p2", "n2", 4));
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    private final List<VideoEvent> events = new ArrayList<>();

    static VideoHistory requested() {
        VideoHistory h = new VideoHistory();
        h.add(new VideoRequested(id(), VIDEO, T0, "user-1", REQUEST, null, T0, CREATE));
        h.add(new ScriptStarted(id(), VIDEO, T0, CREATE));
        return h;
    }

    /** Requested, script written: two blocks to generate. */
    static VideoHistory scripted() {
        return requested().add(new ScriptGenerated(id(), VIDEO, T0, SCRIPT, null));
    }

    /** Scripted, both blocks rendered, assembled. */
    static VideoHistory completed() {
        return scripted().submitted(1, 1, null).completedBlock(1, 1).submitted(2, 1, null).completedBlock(2, 1)
                .add(new AssemblyStarted(id(), VIDEO, T0)).add(new VideoCompleted(id(), VIDEO, T0, "file:///f.mp4", 8));
    }

    /** Scripted, block 1 completed, block 2 refused for good: the video failed. */
    static VideoHistory failedAtBlock2() {
        return scripted().submitted(1, 1, null).completedBlock(1, 1).submitted(2, 1, null)
                .add(new BlockFailed(id(), VIDEO, T0, 2, 1, "usage_guidelines", false, "refused"))
                .add(new VideoFailed(id(), VIDEO, T0, "usage_guidelines", "block 2", "refused"));
    }

    VideoHistory submitted(int block, int attempt, String operation) {
        return add(new BlockSubmitted(id(), VIDEO, T0, block, attempt, operation));
    }

    VideoHistory completedBlock(int block, int attempt) {
        return add(new BlockCompleted(id(), VIDEO, T0, block, attempt, "file:///clips/block_" + block + ".mp4", 4));
    }

    /** Attempt {@code attempt} failed with a retryable error; the next attempt is queued (check-and-retry). */
    VideoHistory failedAndRetried(int block, int attempt) {
        add(new BlockFailed(id(), VIDEO, T0, block, attempt, "quota_exceeded", true, "429"));
        return add(new BlockRetried(id(), VIDEO, T0, block, attempt + 1, false));
    }

    /** The user retried the failed video: its failed block is generated again, in the retry's run. */
    VideoHistory userRetriedBlock(int block, String retry) {
        return add(new BlockRetried(id(), VIDEO, T0, block, 1, true, retry));
    }

    VideoHistory failed(String stage) {
        return add(new VideoFailed(id(), VIDEO, T0, "default", stage, null));
    }

    VideoHistory cancelled(String cancel) {
        return add(new VideoCancelled(id(), VIDEO, T0, cancel));
    }

    VideoHistory add(VideoEvent event) {
        events.add(event);
        return this;
    }

    List<VideoEvent> events() {
        return List.copyOf(events);
    }

    /** The ledger folded from these events. */
    VideoLedger ledger() {
        VideoLedger ledger = null;
        for (VideoEvent event : events) {
            ledger = VideoLedger.apply(ledger, event);
        }
        return ledger;
    }

    static CreateVideo create() {
        return new CreateVideo(CREATE, VIDEO, "user-1", T0, REQUEST, null);
    }

    static CancelVideo cancel(String commandId) {
        return new CancelVideo(commandId, VIDEO, "user-1", T0);
    }

    /** A retry of the blocks in {@code blocks}. */
    static RetryVideo retryBlocks(String commandId, Integer... blocks) {
        return new RetryVideo(commandId, VIDEO, "user-1", T0, REQUEST, SCRIPT, List.of(blocks),
                java.util.Arrays.asList("file:///clips/block_1.mp4", null), null);
    }

    static RetryVideo retryScript(String commandId) {
        return new RetryVideo(commandId, VIDEO, "user-1", T0, REQUEST, List.of(), List.of(), List.of(), null);
    }

    static RetryVideo retryAssembly(String commandId) {
        return new RetryVideo(commandId, VIDEO, "user-1", T0, REQUEST, SCRIPT, List.of(),
                List.of("file:///clips/block_1.mp4", "file:///clips/block_2.mp4"), null);
    }

    /** The task that starts attempt {@code attempt} of a block, in the run of {@code run}. */
    static BlockTask start(int block, int attempt, String run) {
        return BlockTask.start(VIDEO, 2, SCRIPT.get(block - 1), attempt, REQUEST, null, T0, run);
    }

    /** The task that polls the operation of attempt {@code attempt}. */
    static BlockTask poll(int block, int attempt, String run, String operation) {
        return start(block, attempt, run).polling(operation, T0, T0.plusSeconds(10));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
