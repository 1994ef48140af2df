package com.reetik.contracts.event;

import java.time.Instant;

/** A block's clip is stored at {@code clipUri}. */
public record BlockCompleted(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                             String clipUri, double durationS) implements VideoEvent {
}
