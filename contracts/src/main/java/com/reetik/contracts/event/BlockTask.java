package com.reetik.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/**
 * One block to generate, attempt {@code attempt} (1-based), not before {@code notBefore}. Keyed by
 * {@code video_id/block_index} on {@code reetik.block-tasks}; the agent bridge writes and reads it.
 */
public record BlockTask(String videoId, int totalBlocks, ScriptBlock block, int attempt, VideoRequest request,
                        String agentVideoId, Instant notBefore) {

    public static String key(String videoId, int blockIndex) {
        return videoId + "/" + blockIndex;
    }

    @JsonProperty("schema_version")
    public int schemaVersion() {
        return 1;
    }
}
