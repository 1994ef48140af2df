package com.reetik.contracts.event;

import java.time.Instant;

/** The video is done and stored at {@code finalUrl}. */
public record VideoCompleted(String eventId, String videoId, Instant occurredAt, String finalUrl, double durationS)
        implements VideoEvent {
}
