package com.reetik.contracts.storage;

/** The storage layout of the seed: {@code {video_id}/final.mp4} (and its {@code poster.jpg}, {@code captions.vtt|srt}), {@code {video_id}/clips/block_{i}.mp4}. */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String finalVideo(String videoId) {
        return videoId + "/final.mp4";
    }

    /** A frame of the final video, for libraries and players: {@code {video_id}/poster.jpg}. */
    public static String poster(String videoId) {
        return videoId + "/poster.jpg";
    }

    /**
     * The subtitles of the final video, {@code {video_id}/captions.vtt} or {@code {video_id}/captions.srt}.
     *
     * @param format {@code vtt} or {@code srt}
     */
    public static String captions(String videoId, String format) {
        if (!format.equals("vtt") && !format.equals("srt")) {
            throw new IllegalArgumentException("captions are vtt or srt, not " + format);
        }
        return videoId + "/captions." + format;
    }

    /** The clip of block {@code index} (1-based, as users count blocks). */
    public static String clip(String videoId, int index) {
        return videoId + "/clips/block_" + index + ".mp4";
    }
}
