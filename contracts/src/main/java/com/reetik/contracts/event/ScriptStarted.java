package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The script agent was asked for a script.
 *
 * @param commandId the {@code CreateVideo} or {@code RetryVideo} that asked for it (null in events written before
 *                  the field existed)
 */
public record ScriptStarted(String eventId, String videoId, Instant occurredAt, String commandId)
        implements VideoEvent {

    /** Without the command that caused it. */
    public ScriptStarted(String eventId, String videoId, Instant occurredAt) {
        this(eventId, videoId, occurredAt, null);
    }
}
