package com.reetik.contracts.command;

import java.time.Instant;

/** Stop a video that has not reached a terminal status. */
public record CancelVideo(String commandId, String videoId, String userId, Instant requestedAt) implements VideoCommand {
}
