package com.reetik.contracts.status;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Video ids in the seed's shape ({@code test_20260201_203648}): a slug of the theme, the UTC time, and a
 * short random suffix so that two never collide ({@code les_volcans_d_islande_20261123_203648_9f3a}).
 */
public final class VideoIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SLUG = 32;

    private VideoIds() {
    }

    public static String newId(String theme, Instant at) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return slug(theme) + "_" + TIME.format(at) + "_" + HexFormat.of().formatHex(suffix);
    }

    /** The theme as a lower-case ASCII slug: "Les volcans d'Islande" → les_volcans_d_islande. */
    public static String slug(String theme) {
        String ascii = Normalizer.normalize(theme == null ? "" : theme, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (ascii.length() > MAX_SLUG) {
            ascii = ascii.substring(0, MAX_SLUG).replaceAll("_+$", "");
        }
        return ascii.isEmpty() ? "video" : ascii;
    }

    /** Whether a path segment can be a video id: nothing that could escape the storage folder. */
    public static boolean isWellFormed(String id) {
        return id != null && id.matches("[a-z0-9_]{1,80}");
    }
}
