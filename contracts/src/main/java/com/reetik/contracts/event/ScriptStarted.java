package com.reetik.contracts.event;

import java.time.Instant;

/** The script agent was asked for a script. */
public record ScriptStarted(String eventId, String videoId, Instant occurredAt) implements VideoEvent {
}
