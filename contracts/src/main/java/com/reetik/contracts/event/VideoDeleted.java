package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The user deleted the video: its objects are removed from storage, and the projector removes its view and its
 * summary (tombstones on the compacted topics). Terminal and final: no later event of the video is applied.
 *
 * @param userId    the owner (the summary's key is {@code user_id/video_id})
 * @param commandId the {@code DeleteVideo}
 */
public record VideoDeleted(String eventId, String videoId, Instant occurredAt, String userId, String commandId)
        implements VideoEvent {
}
