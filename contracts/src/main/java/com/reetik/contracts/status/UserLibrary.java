package com.reetik.contracts.status;

import java.util.Comparator;
import java.util.List;

/** A user's videos, newest first. Written by the status projector to {@code reetik.user-library}. */
public record UserLibrary(String userId, List<VideoSummary> videos) {

    /** Newest first; equal creation times by video id, so the order is the same on every rebuild. */
    public static final Comparator<VideoSummary> NEWEST_FIRST = Comparator
            .comparing(VideoSummary::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(VideoSummary::videoId, Comparator.reverseOrder());

    public UserLibrary {
        videos = videos == null ? List.of() : videos.stream().sorted(NEWEST_FIRST).toList();
    }
}
