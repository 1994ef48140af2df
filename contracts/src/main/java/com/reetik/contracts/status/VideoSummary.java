package com.reetik.contracts.status;

import java.time.Instant;
import java.util.Comparator;

/**
 * A video as listed in its owner's library. Written by the status projector to {@code reetik.video-summaries},
 * one record per video keyed {@link #key(String, String) user_id/video_id}, so no record grows with the number
 * of a user's videos. {@code targetDuration} (the seconds asked for; null in summaries written before it) is what
 * the gateway's daily quota counts. {@code language} (the video's, for the subtitles' track; null in summaries
 * written before it) is the request's. {@code finalVersion} is the view's: the version of {@code finalUrl}.
 */
public record VideoSummary(String videoId, String theme, String status, String currentStep, int progress,
                           int totalBlocks, int completedBlocks, Instant createdAt, Instant updatedAt,
                           String finalUrl, Double durationS, String idempotencyKey, long version,
                           Integer targetDuration, String language, Integer finalVersion) {

    /** A summary without versions. */
    public VideoSummary(String videoId, String theme, String status, String currentStep, int progress,
                        int totalBlocks, int completedBlocks, Instant createdAt, Instant updatedAt, String finalUrl,
                        Double durationS, String idempotencyKey, long version, Integer targetDuration,
                        String language) {
        this(videoId, theme, status, currentStep, progress, totalBlocks, completedBlocks, createdAt, updatedAt,
                finalUrl, durationS, idempotencyKey, version, targetDuration, language,
                finalUrl == null ? null : 1);
    }

    /** Newest first; equal creation times by video id, so the order is the same on every rebuild. */
    public static final Comparator<VideoSummary> NEWEST_FIRST = Comparator
            .comparing(VideoSummary::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(VideoSummary::videoId, Comparator.reverseOrder());

    public static VideoSummary of(VideoStatus view) {
        return new VideoSummary(view.videoId(), view.request() == null ? null : view.request().theme(), view.status(),
                view.currentStep(), view.progress(), view.totalBlocks(), view.completedBlocks(), view.createdAt(),
                view.updatedAt(), view.finalUrl(), view.durationS(), view.idempotencyKey(), view.version(),
                view.request() == null ? null : view.request().targetDuration(),
                view.request() == null ? null : view.request().language(), view.finalVersion());
    }

    /**
     * The record key of a summary: {@code user_id/video_id}. A video id never holds a {@code /}, so the key
     * splits at its last one ({@link #userIdOfKey}, {@link #videoIdOfKey}) whatever the user id holds.
     */
    public static String key(String userId, String videoId) {
        return userId + "/" + videoId;
    }

    /** The user id of a {@link #key}, or null when the key has no {@code /}. */
    public static String userIdOfKey(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    /** The video id of a {@link #key}, or null when the key has no {@code /}. */
    public static String videoIdOfKey(String key) {
        int slash = key == null ? -1 : key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(slash + 1);
    }
}
