package com.reetik.contracts.event;

import java.time.Instant;

/**
 * A block is generated again, as attempt {@code attempt}: after a retryable failure (check-and-retry),
 * or because the user asked to retry a failed video ({@code userRequested}), which reopens it.
 */
public record BlockRetried(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                           boolean userRequested) implements VideoEvent {
}
