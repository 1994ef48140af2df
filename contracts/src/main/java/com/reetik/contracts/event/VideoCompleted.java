package com.reetik.contracts.event;

import java.time.Instant;

/**
 * The video is done and stored at {@code finalUrl}.
 *
 * @param version the video's version: 1 for the first assembly, then one more for each completed edit (absent in
 *                events written before edits existed: 1)
 */
public record VideoCompleted(String eventId, String videoId, Instant occurredAt, String finalUrl, double durationS,
                             Integer version) implements VideoEvent {

    /** The first version. */
    public VideoCompleted(String eventId, String videoId, Instant occurredAt, String finalUrl, double durationS) {
        this(eventId, videoId, occurredAt, finalUrl, durationS, null);
    }

    /** The version, 1 when the event does not say. */
    public int versionOrFirst() {
        return com.reetik.contracts.status.VideoVersions.orFirst(version);
    }
}
