package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The video failed. {@code errorCode} is an {@link com.reetik.contracts.status.ErrorCode} wire name;
 * {@code stage} is {@code script}, {@code block n} (1-based) or {@code assembly}.
 */
public record VideoFailed(String eventId, String videoId, Instant occurredAt, String errorCode, String stage,
                          String detail) implements VideoEvent {
}
