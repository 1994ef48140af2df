package com.reetik.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.gcp.storage.GcsSettings;
import com.reetik.platform.GcsProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * The seed's bucket variables reach {@link GcsProperties} through {@code agent-bridge.yml}, as the bridge binds them
 * ({@code GatewayStorageSettingsTest} holds {@code gateway.yml} to the same names).
 */
@Timeout(10)
class BridgeStorageSettingsTest {

    @Test
    void noBucketMeansLocalFiles() {
        // Given no BUCKET_NAME_V2, then a blank one beside a project
        // When the bridge's configuration is bound
        // Then there is no bucket to use
        assertThat(BridgeEnvironment.bind(Map.of(), GcsProperties.class).settings()).isEmpty();
        assertThat(BridgeEnvironment.bind(Map.of("BUCKET_NAME_V2", "  ", "GCP_PROJECT", "p"), GcsProperties.class)
                .settings()).isEmpty();
    }

    @Test
    void readsTheSeedNames() {
        // Given the seed's bucket and project
        Map<String, String> env = Map.of("BUCKET_NAME_V2", "tiktok-pipeline-v2-artifacts-reetik-project",
                "GCP_PROJECT", "reetik-project");

        // When the bridge's configuration is bound
        GcsSettings settings = BridgeEnvironment.bind(env, GcsProperties.class).settings().orElseThrow();

        // Then they land, with a 15 minute signed URL lifetime and the default cache directory
        assertThat(settings.bucket()).isEqualTo("tiktok-pipeline-v2-artifacts-reetik-project");
        assertThat(settings.project()).isEqualTo("reetik-project");
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.cacheDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "reetik-gcs-cache"));
    }

    @Test
    void readsTheLifetimeInEachFormAndTheCacheDir() {
        // Given a lifetime as ISO-8601, in plain seconds, with a unit; and a cache directory
        Map<String, String> env = Map.of("BUCKET_NAME_V2", "b", "REETIK_SIGNED_URL_LIFETIME", "PT5M",
                "REETIK_GCS_CACHE_DIR", "/var/cache/reetik");

        // When the bridge's configuration is bound
        GcsSettings settings = BridgeEnvironment.bind(env, GcsProperties.class).settings().orElseThrow();

        // Then each lands as given
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.project()).isNull();
        assertThat(settings.cacheDir()).isEqualTo(Path.of("/var/cache/reetik"));
        assertThat(lifetime("900")).isEqualTo(Duration.ofSeconds(900));
        assertThat(lifetime("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(lifetime("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aBadLifetimeOrBucketIsRefused() {
        // Given a lifetime that is no duration, one beyond 7 days, and a bucket with a path
        // When / Then each is refused, naming the variable
        assertThatThrownBy(() -> lifetime("soon"))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.getProperty().getValue())
                        .hasToString("${REETIK_SIGNED_URL_LIFETIME:15m}"));
        assertThatThrownBy(() -> lifetime("8d"))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("REETIK_SIGNED_URL_LIFETIME");
        assertThatThrownBy(() -> BridgeEnvironment.bind(Map.of("BUCKET_NAME_V2", "b/c"), GcsProperties.class))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("BUCKET_NAME_V2");
    }

    private static Duration lifetime(String value) {
        return BridgeEnvironment.bind(Map.of("BUCKET_NAME_V2", "b", "REETIK_SIGNED_URL_LIFETIME", value),
                GcsProperties.class).signedUrlLifetime();
    }
}
