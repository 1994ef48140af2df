package com.reetik.contracts.command;

import java.time.Instant;

/**
 * Delete a video: its objects in storage, its views and its place in the library; a video still running is
 * cancelled first. The gateway sends it for {@code DELETE /api/videos/{id}}.
 */
public record DeleteVideo(String commandId, String videoId, String userId, Instant requestedAt) implements VideoCommand {
}
