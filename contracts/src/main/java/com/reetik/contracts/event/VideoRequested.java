package com.reetik.contracts.event;

import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/** The bridge accepted a CreateVideo command. {@code requestedAt} is when the user asked. */
public record VideoRequested(String eventId, String videoId, Instant occurredAt, String userId,
                             VideoRequest request, String idempotencyKey, Instant requestedAt) implements VideoEvent {
}
