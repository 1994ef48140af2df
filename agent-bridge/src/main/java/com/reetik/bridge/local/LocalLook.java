package com.reetik.bridge.local;

import java.util.List;
import java.util.Locale;

/**
 * The look of one local preview video, the same in every block: a palette chosen from the video's theme. The
 * script writer names it in the video's visual brief (carried by every block's prompt), and the clip renderer
 * paints every block's moving gradient with it, dark and light in turn so that neighbouring blocks still differ
 * clearly (a cut stays visible, for the viewer and for the subtitles' timing checks).
 *
 * @param name  how the brief names the palette
 * @param dark  the gradient's two colors in odd blocks
 * @param light the gradient's two colors in even blocks
 */
record LocalLook(String name, List<String> dark, List<String> light) {

    static final List<LocalLook> LOOKS = List.of(
            new LocalLook("deep ocean blues and pale sky blue", List.of("0x0c4a6e", "0x1e3a8a"),
                    List.of("0x93c5fd", "0xe0f2fe")),
            new LocalLook("dark ember reds and warm ambers", List.of("0x7f1d1d", "0x9a3412"),
                    List.of("0xfdba74", "0xfef08a")),
            new LocalLook("forest greens and pale mint", List.of("0x14532d", "0x0f766e"),
                    List.of("0xa7f3d0", "0xd9f99d")),
            new LocalLook("dusk violets and soft pinks", List.of("0x4c1d95", "0x581c87"),
                    List.of("0xf9a8d4", "0xe9d5ff")));

    /** The look of a video about {@code theme}: the same theme, the same look. */
    static LocalLook of(String theme) {
        String key = theme == null ? "" : theme.strip().toLowerCase(Locale.ROOT);
        return LOOKS.get(Math.floorMod(key.hashCode(), LOOKS.size()));
    }

    /** The gradient's colors for block {@code index} (1-based). */
    List<String> colors(int index) {
        return Math.floorMod(index, 2) == 1 ? dark : light;
    }
}
