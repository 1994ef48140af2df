package com.reetik.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/**
 * One block to generate, attempt {@code attempt} (1-based), not before {@code notBefore}. Keyed by
 * {@code video_id/block_index} on {@code reetik.block-tasks}; the agent bridge writes and reads it.
 * With an {@code operation}, the generation was started at {@code submittedAt} and the task is to poll it
 * (so a restarted bridge resumes the same operation rather than paying for a new one).
 */
public record BlockTask(String videoId, int totalBlocks, ScriptBlock block, int attempt, VideoRequest request,
                        String agentVideoId, Instant notBefore, String operation, Instant submittedAt) {

    /** A task to start attempt {@code attempt} of a block. */
    public static BlockTask start(String videoId, int totalBlocks, ScriptBlock block, int attempt,
                                  VideoRequest request, String agentVideoId, Instant notBefore) {
        return new BlockTask(videoId, totalBlocks, block, attempt, request, agentVideoId, notBefore, null, null);
    }

    /** The same attempt, to poll {@code operation} again at {@code notBefore}. */
    public BlockTask polling(String operationName, Instant started, Instant next) {
        return new BlockTask(videoId, totalBlocks, block, attempt, request, agentVideoId, next, operationName, started);
    }

    public static String key(String videoId, int blockIndex) {
        return videoId + "/" + blockIndex;
    }

    @JsonProperty("schema_version")
    public int schemaVersion() {
        return 1;
    }
}
