package com.reetik.bridge.agent;

import java.util.List;

/**
 * The assembled video at {@code finalUrl}, {@code durationS} seconds long.
 *
 * @param clipDurationsS how long each clip lasts in the joined file, in block order, when the assembler knows it
 *                       (ours probes every clip; a remote one may not say): where the cuts are, for the subtitles
 */
public record Assembled(String finalUrl, double durationS, List<Double> clipDurationsS) {

    public Assembled {
        clipDurationsS = clipDurationsS == null ? List.of() : List.copyOf(clipDurationsS);
    }

    /** An assembly whose cuts the assembler did not report. */
    public Assembled(String finalUrl, double durationS) {
        this(finalUrl, durationS, List.of());
    }
}
