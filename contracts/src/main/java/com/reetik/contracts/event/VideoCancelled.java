package com.reetik.contracts.event;

import java.time.Instant;

/** The user cancelled the video. */
public record VideoCancelled(String eventId, String videoId, Instant occurredAt) implements VideoEvent {
}
