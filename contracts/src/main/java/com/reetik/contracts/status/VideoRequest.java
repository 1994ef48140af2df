package com.reetik.contracts.status;

import java.util.List;

/**
 * What the user asked for, already validated by the gateway.
 *
 * @param targetDuration seconds, 8 to 180
 * @param style          one of {@link Style}'s wire names
 * @param language       {@code fr} or {@code en}
 * @param aspectRatio    {@code 9:16} or {@code 16:9}
 * @param subtitles      {@code none} (the default: subtitles as files beside the video, for the player) or
 *                       {@code burned} (drawn into the picture as well); absent in requests made before it: none
 */
public record VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio,
                           String subtitles) {

    public static final String SUBTITLES_NONE = "none";
    public static final String SUBTITLES_BURNED = "burned";
    public static final List<String> SUBTITLES = List.of(SUBTITLES_NONE, SUBTITLES_BURNED);

    /** Absent (a request from before the option, or without it) is {@code none}: equal requests stay equal. */
    public VideoRequest {
        subtitles = subtitles == null ? SUBTITLES_NONE : subtitles;
    }

    /** A request without options: subtitles as files only. */
    public VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio) {
        this(theme, targetDuration, style, language, aspectRatio, null);
    }

    /** Whether the subtitles are to be drawn into the picture. */
    public boolean burnedSubtitles() {
        return SUBTITLES_BURNED.equals(subtitles);
    }
}
