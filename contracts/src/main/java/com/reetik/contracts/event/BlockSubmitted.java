package com.reetik.contracts.event;

import java.time.Instant;

/** Generation of a block's clip has started; {@code operation} names it at the agent (or null). */
public record BlockSubmitted(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                             String operation) implements VideoEvent {
}
