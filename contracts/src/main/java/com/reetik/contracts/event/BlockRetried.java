package com.reetik.contracts.event;

import java.time.Instant;

/** A block is generated again, as attempt {@code attempt} (after a failure, or on the user's retry). */
public record BlockRetried(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt)
        implements VideoEvent {
}
