package com.reetik.contracts.event;

import java.time.Instant;

/**
 * A block is generated again, as attempt {@code attempt}: after a retryable failure (check-and-retry),
 * or because the user asked to retry a failed video ({@code userRequested}), which reopens it.
 *
 * @param commandId the {@code RetryVideo} when {@code userRequested}; else null
 */
public record BlockRetried(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                           boolean userRequested, String commandId) implements VideoEvent {

    /** Without the command that caused it (check-and-retry's own retries). */
    public BlockRetried(String eventId, String videoId, Instant occurredAt, int blockIndex, int attempt,
                        boolean userRequested) {
        this(eventId, videoId, occurredAt, blockIndex, attempt, userRequested, null);
    }
}
