package com.reetik.contracts.event;

import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/**
 * The bridge accepted a CreateVideo command. {@code requestedAt} is when the user asked.
 *
 * @param commandId the {@code CreateVideo} (null in events written before the field existed)
 */
public record VideoRequested(String eventId, String videoId, Instant occurredAt, String userId,
                             VideoRequest request, String idempotencyKey, Instant requestedAt, String commandId)
        implements VideoEvent {

    /** Without the command that caused it. */
    public VideoRequested(String eventId, String videoId, Instant occurredAt, String userId, VideoRequest request,
                          String idempotencyKey, Instant requestedAt) {
        this(eventId, videoId, occurredAt, userId, request, idempotencyKey, requestedAt, null);
    }
}
