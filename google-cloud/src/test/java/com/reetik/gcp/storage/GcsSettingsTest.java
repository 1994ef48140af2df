package com.reetik.gcp.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The record's own defaults and checks. How the seed's names (BUCKET_NAME_V2, REETIK_SIGNED_URL_LIFETIME, …)
 * reach it through each service's configuration is tested with the services (BridgeStorageSettingsTest,
 * GatewayStorageSettingsTest).
 */
class GcsSettingsTest {

    @Test
    void shouldDefaultTheLifetimeAndTheCacheDirectory() {
        GcsSettings settings = new GcsSettings("tiktok-pipeline-v2-artifacts-reetik-project", " ", null, null);
        assertThat(settings.project()).isNull();
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.cacheDir()).isNotNull();
    }

    @Test
    void shouldKeepWhatIsGiven() {
        GcsSettings settings = new GcsSettings("b", "reetik-project", Duration.ofMinutes(5), Path.of("/var/cache/reetik"));
        assertThat(settings.project()).isEqualTo("reetik-project");
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.cacheDir()).isEqualTo(Path.of("/var/cache/reetik"));
    }

    @Test
    void shouldRefuseABadBucketOrLifetime() {
        assertThatThrownBy(() -> new GcsSettings("b/c", null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a bucket name");
        assertThatThrownBy(() -> new GcsSettings(" ", null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GcsSettings("b", null, Duration.ofDays(8), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
        assertThatThrownBy(() -> new GcsSettings("b", null, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
