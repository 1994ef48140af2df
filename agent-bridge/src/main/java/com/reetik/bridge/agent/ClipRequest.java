package com.reetik.bridge.agent;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;

/**
 * One block to generate: attempt {@code attempt} (1-based) of block {@code block.index()} of {@code totalBlocks},
 * for version {@code version} of the video (1 for its first run; an edited block's clip is stored under its
 * version, apart from the clip the playable version was made of).
 */
public record ClipRequest(String videoId, String agentVideoId, int totalBlocks, ScriptBlock block, int attempt,
                          VideoRequest request, int version) {

    public ClipRequest {
        version = Math.max(1, version);
    }

    /** For the video's first version. */
    public ClipRequest(String videoId, String agentVideoId, int totalBlocks, ScriptBlock block, int attempt,
                       VideoRequest request) {
        this(videoId, agentVideoId, totalBlocks, block, attempt, request, 1);
    }

    /** Where this block's clip is stored. */
    public String clipKey() {
        return com.reetik.contracts.storage.ObjectKeys.clip(videoId, block.index(), version);
    }
}
