package com.reetik.contracts.event;

import java.time.Instant;

/** An attempt at a block failed; when {@code retryable}, a {@link BlockRetried} follows. */
public record BlockFailed(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                          String errorCode, boolean retryable, String detail) implements VideoEvent {
}
