package com.reetik.bridge.local;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The frame size of the local preview ({@code REETIK_LOCAL_RESOLUTION}): {@code 720p} draws 720×1280 (9:16) or
 * 1280×720 (16:9), as Veo's default; {@code 360p} draws half of each side, a quarter of the pixels, for a draft that
 * renders in about a third of the CPU time (the pipeline's own tests use it; the frame size has its own tests).
 */
public enum PreviewResolution {
    P720("720p", 1), P360("360p", 2);

    private final String wireName;
    private final int divisor;

    PreviewResolution(String wireName, int divisor) {
        this.wireName = wireName;
        this.divisor = divisor;
    }

    public String wireName() {
        return wireName;
    }

    /** What each side of the aspect ratio's 720p frame is divided by. */
    int divisor() {
        return divisor;
    }

    /** {@code 720p} or {@code 360p} (blank: 720p); anything else is refused with the names allowed. */
    public static PreviewResolution parse(String value) {
        if (value == null || value.isBlank()) {
            return P720;
        }
        return Arrays.stream(values()).filter(r -> r.wireName.equalsIgnoreCase(value.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("REETIK_LOCAL_RESOLUTION must be "
                        + Arrays.stream(values()).map(PreviewResolution::wireName).collect(Collectors.joining(" or "))
                        + ", not '" + value + "'"));
    }
}
