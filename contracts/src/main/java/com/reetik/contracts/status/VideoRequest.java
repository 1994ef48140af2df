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
 * @param transition     {@code cut} (the default: the picture joined as it is, the sound faded for 30 ms at each cut)
 *                       or {@code fade} (a half-second crossfade of picture and sound at each cut: the picture is
 *                       encoded again, so the assembly takes longer); absent in requests made before it: cut
 * @param referenceImages up to 3 images the user uploaded with the request, stored beside the video
 *                        ({@code ObjectKeys.referenceImage}); empty without them
 */
public record VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio,
                           String subtitles, String transition, List<ReferenceImage> referenceImages) {

    public static final String SUBTITLES_NONE = "none";
    public static final String SUBTITLES_BURNED = "burned";
    public static final List<String> SUBTITLES = List.of(SUBTITLES_NONE, SUBTITLES_BURNED);
    public static final String TRANSITION_CUT = "cut";
    public static final String TRANSITION_FADE = "fade";
    public static final List<String> TRANSITIONS = List.of(TRANSITION_CUT, TRANSITION_FADE);

    /** Absent options (a request from before them, or without them) are the defaults: equal requests stay equal. */
    public VideoRequest {
        subtitles = subtitles == null ? SUBTITLES_NONE : subtitles;
        transition = transition == null ? TRANSITION_CUT : transition;
        referenceImages = referenceImages == null ? List.of() : List.copyOf(referenceImages);
    }

    /** A request with its subtitles and transition options, without reference images. */
    public VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio,
                        String subtitles, String transition) {
        this(theme, targetDuration, style, language, aspectRatio, subtitles, transition, null);
    }

    /** A request with its subtitles option and plain cuts. */
    public VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio,
                        String subtitles) {
        this(theme, targetDuration, style, language, aspectRatio, subtitles, null, null);
    }

    /** A request without options: subtitles as files only. */
    public VideoRequest(String theme, int targetDuration, String style, String language, String aspectRatio) {
        this(theme, targetDuration, style, language, aspectRatio, null, null, null);
    }

    /** Whether the subtitles are to be drawn into the picture. */
    public boolean burnedSubtitles() {
        return SUBTITLES_BURNED.equals(subtitles);
    }

    /** Whether the blocks are to be joined with a crossfade. */
    public boolean crossfade() {
        return TRANSITION_FADE.equals(transition);
    }

    /** Whether the assembly encodes the picture again (subtitles drawn into it, or crossfades), which takes longer. */
    public boolean reencodes() {
        return burnedSubtitles() || crossfade();
    }

    /** Whether the user gave reference images for the look of the video. */
    public boolean hasReferenceImages() {
        return !referenceImages.isEmpty();
    }
}
