package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoSummary;
import com.reetik.gateway.replica.Library;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One page of a user's library, newest first. */
record VideoPage(List<VideoSummary> videos, int page, int size, int total) {

    /**
     * Page {@code page} of {@code size} of the library and the {@code unlisted} videos it does not hold yet (just
     * accepted here), merged newest first. Reads at most {@code size + unlisted.size()} summaries of the library:
     * a page starts at most {@code unlisted.size()} places before the same offset in the library alone.
     */
    static VideoPage of(Library library, List<VideoSummary> unlisted, int page, int size) {
        List<VideoSummary> extra = unlisted.stream().sorted(VideoSummary.NEWEST_FIRST).toList();
        int k = extra.size();
        long total = library.total() + k;
        long from = (long) page * size;
        int totalCount = (int) Math.min(Integer.MAX_VALUE, total);
        if (from >= total) {
            return new VideoPage(List.of(), page, size, totalCount);
        }
        long start = Math.max(0, from - k);
        List<VideoSummary> window = library.page(start, size + k);
        // `merged` below begins at the place `base` of the whole list
        long base;
        List<VideoSummary> candidates;
        if (start == 0) {
            base = 0;
            candidates = extra;
        } else if (window.isEmpty()) {
            return new VideoPage(List.of(), page, size, totalCount);
        } else {
            int newer = 0;
            while (newer < k && VideoSummary.NEWEST_FIRST.compare(extra.get(newer), window.get(0)) < 0) {
                newer++;
            }
            base = start + newer;
            candidates = extra.subList(newer, k);
        }
        List<VideoSummary> merged = merge(window, candidates);
        int first = (int) (from - base);
        List<VideoSummary> slice = first >= merged.size() ? List.of()
                : merged.subList(first, Math.min(merged.size(), first + size));
        return new VideoPage(List.copyOf(slice), page, size, totalCount);
    }

    /** Two newest-first lists as one, each video once (one may have reached the library meanwhile). */
    private static List<VideoSummary> merge(List<VideoSummary> a, List<VideoSummary> b) {
        List<VideoSummary> merged = new ArrayList<>(a.size() + b.size());
        Set<String> seen = new HashSet<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            VideoSummary next = j >= b.size() || (i < a.size() && VideoSummary.NEWEST_FIRST.compare(a.get(i),
                    b.get(j)) <= 0) ? a.get(i++) : b.get(j++);
            if (seen.add(next.videoId())) {
                merged.add(next);
            }
        }
        return merged;
    }
}
