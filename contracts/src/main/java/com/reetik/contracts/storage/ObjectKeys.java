package com.reetik.contracts.storage;

/**
 * The storage layout of the seed: {@code {video_id}/final.mp4} (and its {@code poster.jpg}, {@code captions.vtt|srt}),
 * {@code {video_id}/clips/block_{i}.mp4}. A video edited since its first assembly keeps that first version where it
 * is and stores each later version {@code n} beside it, in {@code {video_id}/v{n}/} with the same names: the
 * playable version is never overwritten by the one being made, and deleting {@code {video_id}/} deletes them all.
 * The user's reference images are {@code {video_id}/references/{n}.{png|jpg|webp}}.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String finalVideo(String videoId) {
        return videoId + "/final.mp4";
    }

    /** The final video of version {@code version} (1: the seed's {@code {video_id}/final.mp4}). */
    public static String finalVideo(String videoId, int version) {
        return folder(videoId, version) + "final.mp4";
    }

    /** A frame of the final video, for libraries and players: {@code {video_id}/poster.jpg}. */
    public static String poster(String videoId) {
        return videoId + "/poster.jpg";
    }

    /** The poster of version {@code version}. */
    public static String poster(String videoId, int version) {
        return folder(videoId, version) + "poster.jpg";
    }

    /**
     * The subtitles of the final video, {@code {video_id}/captions.vtt} or {@code {video_id}/captions.srt}.
     *
     * @param format {@code vtt} or {@code srt}
     */
    public static String captions(String videoId, String format) {
        return captions(videoId, format, 1);
    }

    /** The subtitles of version {@code version}. */
    public static String captions(String videoId, String format, int version) {
        if (!format.equals("vtt") && !format.equals("srt")) {
            throw new IllegalArgumentException("captions are vtt or srt, not " + format);
        }
        return folder(videoId, version) + "captions." + format;
    }

    /** The clip of block {@code index} (1-based, as users count blocks). */
    public static String clip(String videoId, int index) {
        return videoId + "/clips/block_" + index + ".mp4";
    }

    /** The clip of block {@code index} generated for version {@code version} (an edited block). */
    public static String clip(String videoId, int index, int version) {
        return folder(videoId, version) + "clips/block_" + index + ".mp4";
    }

    /** The {@code index}-th (1-based) reference image of a video, of type {@code mimeType} (PNG, JPEG or WebP). */
    public static String referenceImage(String videoId, int index, String mimeType) {
        return videoId + "/references/" + index + "." + com.reetik.contracts.status.ReferenceImage.extension(mimeType);
    }

    private static String folder(String videoId, int version) {
        return version <= 1 ? videoId + "/" : videoId + "/v" + version + "/";
    }
}
