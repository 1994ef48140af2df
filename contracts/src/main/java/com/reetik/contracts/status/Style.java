package com.reetik.contracts.status;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The styles a video may be written in. */
public enum Style {
    INFORMATIVE, STORYTELLING, HUMOROUS, INSPIRATIONAL, PROMOTIONAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Style> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Style::wireName).toList();
    }
}
