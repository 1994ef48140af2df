package com.reetik.platform;

import com.reetik.gcp.storage.GcsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The bucket videos go to, under {@code reetik.storage.gcs} (bound from {@code gateway.yml} and
 * {@code agent-bridge.yml}, the services that store videos, where each is the seed's environment name). No bucket:
 * videos are files under {@code REETIK_STORAGE_DIR}.
 *
 * @param bucket            {@code BUCKET_NAME_V2}, or blank for local files
 * @param project           {@code GCP_PROJECT}, or blank to let the client library find it (metadata server, ADC)
 * @param signedUrlLifetime {@code REETIK_SIGNED_URL_LIFETIME}: how long a download's V4 signed URL is valid, 1 s to
 *                          7 days: {@code 15m} (default), {@code 900} (seconds), {@code 900s}, {@code 1h},
 *                          {@code PT15M}
 * @param cacheDir          {@code REETIK_GCS_CACHE_DIR}: where objects are downloaded to be read as files (clips for
 *                          the assembly); blank: {@code ${java.io.tmpdir}/reetik-gcs-cache}
 * @param cacheMaxSize      {@code REETIK_GCS_CACHE_MAX_SIZE}: how much of that folder is kept, least recently used
 *                          out first: {@code 2GB} (default), {@code 500MB}, or bytes
 */
@ConfigurationProperties("reetik.storage.gcs")
public record GcsProperties(String bucket, String project, @DurationUnit(ChronoUnit.SECONDS) Duration signedUrlLifetime,
                            Path cacheDir, DataSize cacheMaxSize) {

    /**
     * @throws IllegalArgumentException naming the environment variable to fix
     */
    public GcsProperties {
        bucket = bucket == null || bucket.isBlank() ? null : bucket.strip();
        if (bucket != null && bucket.contains("/")) {
            throw new IllegalArgumentException("BUCKET_NAME_V2 must be a bucket name (no gs://, no path), not '"
                    + bucket + "'");
        }
        project = project == null || project.isBlank() ? null : project.strip();
        signedUrlLifetime = signedUrlLifetime == null ? GcsSettings.DEFAULT_SIGNED_URL_LIFETIME : signedUrlLifetime;
        if (signedUrlLifetime.isNegative() || signedUrlLifetime.compareTo(Duration.ofSeconds(1)) < 0
                || signedUrlLifetime.compareTo(GcsSettings.MAX_SIGNED_URL_LIFETIME) > 0) {
            throw new IllegalArgumentException("REETIK_SIGNED_URL_LIFETIME must be between 1 s and 7 days, not "
                    + signedUrlLifetime);
        }
        cacheDir = cacheDir == null || cacheDir.toString().isBlank() ? null : cacheDir;
        cacheMaxSize = cacheMaxSize == null ? DataSize.ofBytes(GcsSettings.DEFAULT_CACHE_MAX_BYTES) : cacheMaxSize;
        if (cacheMaxSize.toBytes() < 1) {
            throw new IllegalArgumentException("REETIK_GCS_CACHE_MAX_SIZE must be positive, not " + cacheMaxSize);
        }
    }

    /** The bucket's settings, or empty when {@code BUCKET_NAME_V2} is not set (videos stay in local files). */
    public Optional<GcsSettings> settings() {
        return bucket == null ? Optional.empty()
                : Optional.of(new GcsSettings(bucket, project, signedUrlLifetime, cacheDir, cacheMaxSize.toBytes()));
    }
}
