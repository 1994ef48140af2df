package com.reetik.contracts.status;

import java.time.Instant;

/** A video as listed in its owner's library. */
public record VideoSummary(String videoId, String theme, String status, String currentStep, int progress,
                           int totalBlocks, int completedBlocks, Instant createdAt, Instant updatedAt,
                           String finalUrl, Double durationS, String idempotencyKey, long version) {

    public static VideoSummary of(VideoStatus view) {
        return new VideoSummary(view.videoId(), view.request() == null ? null : view.request().theme(), view.status(),
                view.currentStep(), view.progress(), view.totalBlocks(), view.completedBlocks(), view.createdAt(),
                view.updatedAt(), view.finalUrl(), view.durationS(), view.idempotencyKey(), view.version());
    }
}
