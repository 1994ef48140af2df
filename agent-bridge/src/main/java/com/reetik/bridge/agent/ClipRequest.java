package com.reetik.bridge.agent;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;

/** One block to generate: attempt {@code attempt} (1-based) of block {@code block.index()} of {@code totalBlocks}. */
public record ClipRequest(String videoId, String agentVideoId, int totalBlocks, ScriptBlock block, int attempt,
                          VideoRequest request) {
}
