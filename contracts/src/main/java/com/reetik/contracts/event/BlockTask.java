package com.reetik.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/**
 * One block to generate, attempt {@code attempt} (1-based), not before {@code notBefore}. Keyed by
 * {@code video_id/block_index} on {@code reetik.block-tasks}; the agent bridge writes and reads it.
 * With an {@code operation}, the generation was started at {@code submittedAt} and the task is to poll it
 * (so a restarted bridge resumes the same operation rather than paying for a new one).
 *
 * @param commandId the {@code CreateVideo} or {@code RetryVideo} whose run of the video this task belongs to
 *                  (attempts count from 1 again in each run); the bridge skips a task of a run that a later retry
 *                  replaced. Null in tasks written before the field existed.
 * @param version   the version of the video the clip is for: 1 (or absent) for the video's first assembly, more for
 *                  a block edited since (its clip is stored apart, so the playable version keeps its own)
 */
public record BlockTask(String videoId, int totalBlocks, ScriptBlock block, int attempt, VideoRequest request,
                        String agentVideoId, Instant notBefore, String operation, Instant submittedAt,
                        String commandId, Integer version) {

    /** A task to start attempt {@code attempt} of a block, in the run of {@code commandId}, for the first version. */
    public static BlockTask start(String videoId, int totalBlocks, ScriptBlock block, int attempt,
                                  VideoRequest request, String agentVideoId, Instant notBefore, String commandId) {
        return start(videoId, totalBlocks, block, attempt, request, agentVideoId, notBefore, commandId, 1);
    }

    /** A task to start attempt {@code attempt} of a block for version {@code version} of the video. */
    public static BlockTask start(String videoId, int totalBlocks, ScriptBlock block, int attempt,
                                  VideoRequest request, String agentVideoId, Instant notBefore, String commandId,
                                  int version) {
        return new BlockTask(videoId, totalBlocks, block, attempt, request, agentVideoId, notBefore, null, null,
                commandId, version);
    }

    /** The next attempt of this task's block, in the same run, not before {@code notBefore}. */
    public BlockTask nextAttempt(Instant notBefore) {
        return start(videoId, totalBlocks, block, attempt + 1, request, agentVideoId, notBefore, commandId,
                versionOrFirst());
    }

    /** The same attempt, to poll {@code operation} again at {@code notBefore}. */
    public BlockTask polling(String operationName, Instant started, Instant next) {
        return new BlockTask(videoId, totalBlocks, block, attempt, request, agentVideoId, next, operationName, started,
                commandId, version);
    }

    /** The version, 1 when the task does not say. */
    public int versionOrFirst() {
        return com.reetik.contracts.status.VideoVersions.orFirst(version);
    }

    public static String key(String videoId, int blockIndex) {
        return videoId + "/" + blockIndex;
    }

    /**
     * The key of a check task on {@code reetik.block-polls}: the video, so that the checks of its blocks, submitted
     * together and due together, land on one partition and are made in one call to the agents. (Before 2026-12-02
     * {@link #key}; such tasks still read the same.)
     */
    public static String pollKey(String videoId) {
        return videoId;
    }

    @JsonProperty("schema_version")
    public int schemaVersion() {
        return 1;
    }
}
