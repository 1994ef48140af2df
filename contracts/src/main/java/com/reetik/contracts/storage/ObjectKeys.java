package com.reetik.contracts.storage;

/** The storage layout of the seed: {@code {video_id}/final.mp4}, {@code {video_id}/clips/block_{i}.mp4}. */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String finalVideo(String videoId) {
        return videoId + "/final.mp4";
    }

    /** The clip of block {@code index} (1-based, as users count blocks). */
    public static String clip(String videoId, int index) {
        return videoId + "/clips/block_" + index + ".mp4";
    }
}
