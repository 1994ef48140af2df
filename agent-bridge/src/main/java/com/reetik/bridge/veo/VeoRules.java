package com.reetik.bridge.veo;

import java.util.List;
import java.util.Optional;

/**
 * What Veo 3.1 accepts, as the documentation of the backend in use says, applied before anything is paid: the script
 * is planned in clip lengths the model makes, and a clip request never asks for one it refuses (a refused clip
 * comes after the others of the video were paid for). Sources and dates in {@code docs/agents.md}.
 * <ul>
 *   <li>Gemini API (an API key; ai.google.dev, "Generate videos with Veo 3.1"): 4, 6 or 8 s at 720p; 8 s only at
 *       1080p and 4k; text-to-video takes {@code personGeneration: allow_all} only.</li>
 *   <li>Vertex AI (a project; the model page of {@code veo-3.1-generate-001}): 4, 6 or 8 s at every resolution it
 *       lists; {@code personGeneration} left to its default ({@code allow_adult}).</li>
 * </ul>
 * Both: aspect ratios 16:9 and 9:16 only (the API checks the request's before it is accepted); with reference
 * images ("asset" images, up to 3, Veo 3.1 and 3.1 Fast), 8 s clips only, and on the Gemini API
 * {@code personGeneration: allow_adult} only.
 *
 * @param vertexAi        the backend: Vertex AI, else the Gemini API
 * @param resolution      {@code 720p}, {@code 1080p} or {@code 4k}
 * @param referenceImages the video's clips are asked with reference images
 */
public record VeoRules(boolean vertexAi, String resolution, boolean referenceImages) {

    public VeoRules(boolean vertexAi, String resolution) {
        this(vertexAi, resolution, false);
    }

    /** Every clip length Veo 3.1 makes. */
    public static final List<Integer> ALL_DURATIONS = List.of(4, 6, 8);

    public static VeoRules of(VeoProperties settings) {
        return new VeoRules(settings.vertexAi(), settings.resolution());
    }

    /** The rules for one video's clips: with its reference images, if it has any. */
    public VeoRules forRequest(com.reetik.contracts.status.VideoRequest request) {
        return new VeoRules(vertexAi, resolution, request != null && request.hasReferenceImages());
    }

    /** The clip lengths this backend makes at this resolution, shortest first. */
    public List<Integer> durations() {
        return referenceImages || !vertexAi && !"720p".equals(resolution) ? List.of(8) : ALL_DURATIONS;
    }

    /** The length to ask for a block planned at {@code plannedS}: the nearest allowed one at least as long. */
    public int clipSeconds(int plannedS) {
        List<Integer> allowed = durations();
        return allowed.stream().filter(d -> d >= plannedS).findFirst().orElse(allowed.get(allowed.size() - 1));
    }

    /** Why some lengths are not allowed, for the script model and the logs; empty when all are. */
    public Optional<String> restriction() {
        if (durations().equals(ALL_DURATIONS)) {
            return Optional.empty();
        }
        return Optional.of(referenceImages ? "with reference images Veo makes only 8 s clips"
                : "at " + resolution + " the Gemini API makes only 8 s clips");
    }

    /**
     * The person-generation setting to send, or empty for the backend's default: on the Gemini API {@code allow_all}
     * is the only value text-to-video takes and {@code allow_adult} the only one with reference images.
     */
    public Optional<String> personGeneration() {
        return vertexAi ? Optional.empty() : Optional.of(referenceImages ? "allow_adult" : "allow_all");
    }
}
