package com.reetik.contracts.command;

import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;

/** Make a new video. {@code idempotencyKey} is the client's Idempotency-Key, or null. */
public record CreateVideo(String commandId, String videoId, String userId, Instant requestedAt,
                          VideoRequest request, String idempotencyKey) implements VideoCommand {
}
