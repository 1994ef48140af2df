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
 * @param finalVersion the version of the playable {@code finalUrl}: 1 after the first assembly, one more after each
 *                     completed edit; null before any (and in views written before edits existed, read as 1 when
 *                     there is a final)
 * @param edit        the edit in progress, or the edit that failed (the previous version still plays); null when none
 */
public record VideoStatus(String videoId, String userId, long version, String status, String currentStep,
                          int totalBlocks, int completedBlocks, int progress, Instant createdAt, Instant updatedAt,
                          VideoRequest request, String idempotencyKey, String agentVideoId, List<BlockState> blocks,
                          String finalUrl, Double durationS, VideoError error, Integer finalVersion, Edit edit) {

    public VideoStatus {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        if (finalVersion == null && finalUrl != null) {
            finalVersion = 1;
        }
    }

    /** A view without edits. */
    public VideoStatus(String videoId, String userId, long version, String status, String currentStep,
                       int totalBlocks, int completedBlocks, int progress, Instant createdAt, Instant updatedAt,
                       VideoRequest request, String idempotencyKey, String agentVideoId, List<BlockState> blocks,
                       String finalUrl, Double durationS, VideoError error) {
        this(videoId, userId, version, status, currentStep, totalBlocks, completedBlocks, progress, createdAt,
                updatedAt, request, idempotencyKey, agentVideoId, blocks, finalUrl, durationS, error, null, null);
    }

    /**
     * An edit of one block: the version it makes, the block, and the block as the playable version has it (put
     * back if the edit is cancelled).
     */
    public record Edit(int version, int block, String previousPrompt, String previousNarration,
                       String previousClipUri) {
    }

    public Status statusEnum() {
        return Status.fromWire(status).orElseThrow();
    }

    public boolean terminal() {
        return statusEnum().terminal();
    }

    /**
     * The version the video's current work makes: the edit's, else the one after the playable version, else 1.
     * Blocks and assemblies store their files under it.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int workingVersion() {
        if (edit != null) {
            return edit.version();
        }
        return finalVersion == null ? 1 : finalVersion + 1;
    }
}
