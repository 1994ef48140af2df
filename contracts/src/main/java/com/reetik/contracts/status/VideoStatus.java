package com.reetik.contracts.status;

import java.time.Instant;
import java.util.List;

/**
 * The status view of a video: the seed's {@code v2_video_status} fields plus the request, per-block
 * states, progress, result and error. Written by the status projector to {@code reetik.video-status};
 * {@code version} rises by one at every change and is the SSE event id.
 *
 * @param status      a {@link Status} wire name
 * @param currentStep the status message in the video's language
 * @param progress    0 to 100
 */
public record VideoStatus(String videoId, String userId, long version, String status, String currentStep,
                          int totalBlocks, int completedBlocks, int progress, Instant createdAt, Instant updatedAt,
                          VideoRequest request, String idempotencyKey, String agentVideoId, List<BlockState> blocks,
                          String finalUrl, Double durationS, VideoError error) {

    public VideoStatus {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    public Status statusEnum() {
        return Status.fromWire(status).orElseThrow();
    }

    public boolean terminal() {
        return statusEnum().terminal();
    }
}
