package com.reetik.gateway.replica;

import com.reetik.contracts.status.VideoSummary;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One user's library as the replica holds it: the summaries of their videos, newest first
 * ({@link VideoSummary#NEWEST_FIRST}), counted. Every method reads a bounded number of entries, whatever the
 * number of the user's videos (see {@link LibraryIndex}).
 */
public interface Library {

    /** How many videos the user has. */
    long total();

    /** At most {@code limit} summaries, newest first, from the {@code offset}-th (0: the newest). */
    List<VideoSummary> page(long offset, int limit);

    /** Whether the video is in the library. */
    boolean contains(String videoId);

    /** The video the user created with this {@code Idempotency-Key}, if it is in the library. */
    Optional<String> videoIdOf(String idempotencyKey);

    /** How many of the user's videos are not finished (not completed, failed or cancelled). */
    long activeVideos();

    /**
     * The seconds of video the user asked for on this UTC day: each video's target duration on its creation day,
     * and on the day of a retry the share of its blocks the retry generates again.
     */
    long secondsOn(LocalDate day);

    /**
     * The seconds a retry generates again, as the daily quota counts them: the target duration's share of the blocks
     * not completed, rounded up; the whole target when the video has no blocks yet (or none is known).
     */
    static long retriedSeconds(Integer targetDuration, int totalBlocks, int completedBlocks) {
        long target = targetDuration == null ? 0 : targetDuration;
        if (totalBlocks <= 0) {
            return target;
        }
        int left = Math.max(0, totalBlocks - completedBlocks);
        return (target * left + totalBlocks - 1) / totalBlocks;
    }

    /** A library with no video. */
    static Library empty() {
        return new Library() {
            @Override
            public long total() {
                return 0;
            }

            @Override
            public List<VideoSummary> page(long offset, int limit) {
                return List.of();
            }

            @Override
            public boolean contains(String videoId) {
                return false;
            }

            @Override
            public Optional<String> videoIdOf(String idempotencyKey) {
                return Optional.empty();
            }

            @Override
            public long activeVideos() {
                return 0;
            }

            @Override
            public long secondsOn(LocalDate day) {
                return 0;
            }
        };
    }
}
