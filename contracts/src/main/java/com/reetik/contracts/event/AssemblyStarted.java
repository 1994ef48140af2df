package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The clips are being joined into final.mp4.
 *
 * @param commandId the {@code RetryVideo} that asked for the assembly again; null when the bridge started it because
 *                  every block was done
 */
public record AssemblyStarted(String eventId, String videoId, Instant occurredAt, String commandId)
        implements VideoEvent {

    /** An assembly started because every block was done (no command asked for it). */
    public AssemblyStarted(String eventId, String videoId, Instant occurredAt) {
        this(eventId, videoId, occurredAt, null);
    }
}
