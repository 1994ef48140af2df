package com.reetik.contracts.event;

import java.time.Instant;

/** The clips are being joined into final.mp4. */
public record AssemblyStarted(String eventId, String videoId, Instant occurredAt) implements VideoEvent {
}
