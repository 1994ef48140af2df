package com.reetik.gcp.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where objects go on Google Cloud. The services bind these from their configuration
 * ({@code reetik.storage.gcs.*} in {@code gateway.yml} and {@code agent-bridge.yml}, {@code GcsProperties} in the
 * platform module).
 *
 * @param bucket            {@code BUCKET_NAME_V2}
 * @param project           {@code GCP_PROJECT}, or null to let the client library find it (metadata server, ADC)
 * @param signedUrlLifetime {@code REETIK_SIGNED_URL_LIFETIME}: {@code PT15M}, {@code 900}, {@code 900s}, {@code 15m} or {@code 1h}; 15 minutes by default
 * @param cacheDir          {@code REETIK_GCS_CACHE_DIR}: where {@link GcsObjectStore#localFile} downloads objects;
 *                          {@code ${java.io.tmpdir}/reetik-gcs-cache} by default
 * @param cacheMaxBytes     {@code REETIK_GCS_CACHE_MAX_SIZE}: how much of those downloads is kept, least recently
 *                          used out first; 2 GB by default
 */
public record GcsSettings(String bucket, String project, Duration signedUrlLifetime, Path cacheDir,
                          long cacheMaxBytes) {

    /** The cache's default bound: the clips of a dozen long videos being assembled at once. */
    public static final long DEFAULT_CACHE_MAX_BYTES = 2L * 1024 * 1024 * 1024;

    /** With the default cache bound. */
    public GcsSettings(String bucket, String project, Duration signedUrlLifetime, Path cacheDir) {
        this(bucket, project, signedUrlLifetime, cacheDir, DEFAULT_CACHE_MAX_BYTES);
    }

    public static final String BUCKET_NAME_V2 = "BUCKET_NAME_V2";
    public static final String GCP_PROJECT = "GCP_PROJECT";
    public static final String SIGNED_URL_LIFETIME = "REETIK_SIGNED_URL_LIFETIME";
    public static final String CACHE_DIR = "REETIK_GCS_CACHE_DIR";
    public static final String CACHE_MAX_SIZE = "REETIK_GCS_CACHE_MAX_SIZE";
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
        if (cacheMaxBytes < 1) {
            throw new IllegalArgumentException("the GCS cache size must be positive: " + cacheMaxBytes);
        }
    }
}
