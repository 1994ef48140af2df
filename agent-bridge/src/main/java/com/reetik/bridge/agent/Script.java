package com.reetik.bridge.agent;

import com.reetik.contracts.event.ScriptBlock;
import java.util.List;

/** A written script; {@code agentVideoId} is the agent's own id for the video, or null. */
public record Script(List<ScriptBlock> blocks, String agentVideoId) {
    public Script {
        blocks = List.copyOf(blocks);
    }
}
