package com.reetik.contracts.event;

import java.time.Instant;
import java.util.List;

/**
 * The script is written. {@code agentVideoId} is the id the script agent gave the video, when it gives
 * one (Cloud Run), else null.
 */
public record ScriptGenerated(String eventId, String videoId, Instant occurredAt, List<ScriptBlock> blocks,
                              String agentVideoId) implements VideoEvent {
    public ScriptGenerated {
        blocks = List.copyOf(blocks);
    }
}
