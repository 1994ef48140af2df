package com.reetik.contracts.status;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Frame shapes: vertical 9:16 (720×1280) by default, or landscape 16:9 (1280×720). */
public enum AspectRatio {
    VERTICAL("9:16", 720, 1280), LANDSCAPE("16:9", 1280, 720);

    private final String wireName;
    private final int width;
    private final int height;

    AspectRatio(String wireName, int width, int height) {
        this.wireName = wireName;
        this.width = width;
        this.height = height;
    }

    public String wireName() {
        return wireName;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public static Optional<AspectRatio> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(AspectRatio::wireName).toList();
    }
}
