package com.reetik.gcp.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where objects go on Google Cloud. The services bind these from their configuration
 * ({@code reetik.storage.gcs.*} in {@code gateway.yml} and {@code agent-bridge.yml}, {@code GcsProperties} in the
 * platform module); {@link #fromEnvironment} reads the same environment names for a launcher without Spring's
 * configuration (standalone).
 *
 * @param bucket            {@code BUCKET_NAME_V2}
 * @param project           {@code GCP_PROJECT}, or null to let the client library find it (metadata server, ADC)
 * @param signedUrlLifetime {@code REETIK_SIGNED_URL_LIFETIME}: {@code PT15M}, {@code 900}, {@code 900s}, {@code 15m} or {@code 1h}; 15 minutes by default
 * @param cacheDir          {@code REETIK_GCS_CACHE_DIR}: where {@link GcsObjectStore#localFile} downloads objects;
 *                          {@code ${java.io.tmpdir}/reetik-gcs-cache} by default
 */
public record GcsSettings(String bucket, String project, Duration signedUrlLifetime, Path cacheDir) {

    public static final String BUCKET_NAME_V2 = "BUCKET_NAME_V2";
    public static final String GCP_PROJECT = "GCP_PROJECT";
    public static final String SIGNED_URL_LIFETIME = "REETIK_SIGNED_URL_LIFETIME";
    public static final String CACHE_DIR = "REETIK_GCS_CACHE_DIR";
    public static final Duration DEFAULT_SIGNED_URL_LIFETIME = Duration.ofMinutes(15);
    /** The longest lifetime a V4 signed URL may have. */
    public static final Duration MAX_SIGNED_URL_LIFETIME = Duration.ofDays(7);

    public GcsSettings {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isBlank() || bucket.contains("/")) {
            throw new IllegalArgumentException("not a bucket name: '" + bucket + "'");
        }
        project = project == null || project.isBlank() ? null : project.trim();
        signedUrlLifetime = signedUrlLifetime == null ? DEFAULT_SIGNED_URL_LIFETIME : signedUrlLifetime;
        if (signedUrlLifetime.isNegative() || signedUrlLifetime.isZero()
                || signedUrlLifetime.compareTo(MAX_SIGNED_URL_LIFETIME) > 0) {
            throw new IllegalArgumentException("signed URL lifetime must be between 1 s and 7 days: " + signedUrlLifetime);
        }
        cacheDir = cacheDir == null ? Path.of(System.getProperty("java.io.tmpdir"), "reetik-gcs-cache") : cacheDir;
    }

    /**
     * The settings of this environment, or empty when {@code BUCKET_NAME_V2} is not set (objects stay local): the
     * same names, defaults and duration forms as the services' {@code reetik.storage.gcs.*}.
     */
    public static Optional<GcsSettings> fromEnvironment(Map<String, String> env) {
        String bucket = trimmed(env.get(BUCKET_NAME_V2));
        if (bucket == null) {
            return Optional.empty();
        }
        String lifetime = trimmed(env.get(SIGNED_URL_LIFETIME));
        String cache = trimmed(env.get(CACHE_DIR));
        return Optional.of(new GcsSettings(bucket, trimmed(env.get(GCP_PROJECT)),
                lifetime == null ? DEFAULT_SIGNED_URL_LIFETIME : parseDuration(lifetime),
                cache == null ? null : Path.of(cache)));
    }

    /** {@code PT15M}, {@code 900} (seconds), {@code 900s}, {@code 15m}, {@code 1h}. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            char unit = value.charAt(value.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
            };
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(SIGNED_URL_LIFETIME + ": not a duration: '" + text + "'", e);
        }
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
