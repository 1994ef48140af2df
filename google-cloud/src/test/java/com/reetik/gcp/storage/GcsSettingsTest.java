package com.reetik.gcp.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link GcsSettings} as a launcher without Spring's configuration reads it (standalone). The services bind the same
 * names through their yml into {@code GcsProperties}: {@code BridgeStorageSettingsTest}, {@code GatewayStorageSettingsTest}.
 */
class GcsSettingsTest {

    @Test
    void noBucketMeansNotConfigured() {
        assertThat(GcsSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(GcsSettings.fromEnvironment(Map.of("BUCKET_NAME_V2", "  ", "GCP_PROJECT", "p"))).isEmpty();
    }

    @Test
    void readsTheSeedNames() {
        GcsSettings settings = GcsSettings.fromEnvironment(Map.of(
                "BUCKET_NAME_V2", "tiktok-pipeline-v2-artifacts-reetik-project",
                "GCP_PROJECT", "reetik-project")).orElseThrow();
        assertThat(settings.bucket()).isEqualTo("tiktok-pipeline-v2-artifacts-reetik-project");
        assertThat(settings.project()).isEqualTo("reetik-project");
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.cacheDir()).isNotNull();
    }

    @Test
    void lifetimeAndCacheDir() {
        Map<String, String> env = Map.of("BUCKET_NAME_V2", "b", "REETIK_SIGNED_URL_LIFETIME", "PT5M",
                "REETIK_GCS_CACHE_DIR", "/var/cache/reetik");
        GcsSettings settings = GcsSettings.fromEnvironment(env).orElseThrow();
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.project()).isNull();
        assertThat(settings.cacheDir()).isEqualTo(Path.of("/var/cache/reetik"));
        assertThat(GcsSettings.parseDuration("900")).isEqualTo(Duration.ofSeconds(900));
        assertThat(GcsSettings.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GcsSettings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badLifetimeIsRefused() {
        assertThatThrownBy(() -> GcsSettings.fromEnvironment(Map.of("BUCKET_NAME_V2", "b", "REETIK_SIGNED_URL_LIFETIME", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REETIK_SIGNED_URL_LIFETIME");
        assertThatThrownBy(() -> GcsSettings.fromEnvironment(Map.of("BUCKET_NAME_V2", "b", "REETIK_SIGNED_URL_LIFETIME", "8d")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GcsSettings.fromEnvironment(Map.of("BUCKET_NAME_V2", "b/c")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
