package com.reetik.contracts.status;

import java.util.Comparator;
import java.util.List;

/** A user's videos, newest first. Written by the status projector to {@code reetik.user-library}. */
public record UserLibrary(String userId, List<VideoSummary> videos) {

    public static final Comparator<VideoSummary> NEWEST_FIRST = VideoSummary.NEWEST_FIRST;

    public UserLibrary {
        videos = videos == null ? List.of() : videos.stream().sorted(NEWEST_FIRST).toList();
    }
}
