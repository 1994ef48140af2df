package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The user cancelled the video.
 *
 * @param commandId the {@code CancelVideo} (null in events written before the field existed)
 */
public record VideoCancelled(String eventId, String videoId, Instant occurredAt, String commandId)
        implements VideoEvent {

    /** Without the command that caused it. */
    public VideoCancelled(String eventId, String videoId, Instant occurredAt) {
        this(eventId, videoId, occurredAt, null);
    }
}
