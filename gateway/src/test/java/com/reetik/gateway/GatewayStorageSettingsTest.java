package com.reetik.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.gcp.storage.GcsSettings;
import com.reetik.platform.GcsProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The seed's bucket variables reach {@link GcsProperties} through {@code gateway.yml}, as the gateway binds them
 * (downloads redirect to signed URLs of that bucket).
 */
@Timeout(10)
class GatewayStorageSettingsTest {

    /** {@code reetik.storage.gcs} of the gateway's configuration files, with {@code env} as the process environment. */
    private static GcsProperties bind(Map<String, String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env)));
        // As GatewayApplication.builder() sets it: reetik.yml, then gateway.yml.
        sources.addLast(new MapPropertySource("defaultProperties",
                Map.<String, Object>of("spring.config.name", "reetik,gateway")));
        ConfigDataEnvironmentPostProcessor.applyTo(environment);
        return Binder.get(environment).bind("reetik.storage.gcs", GcsProperties.class).get();
    }

    @Test
    void shouldReadTheSeedsBucketNames() {
        // Given the seed's bucket and project, and a lifetime for the signed URLs
        Map<String, String> env = Map.of("BUCKET_NAME_V2", "tiktok-pipeline-v2-artifacts-reetik-project",
                "GCP_PROJECT", "reetik-project", "REETIK_SIGNED_URL_LIFETIME", "900",
                "REETIK_GCS_CACHE_DIR", "/var/cache/reetik");

        // When the gateway's configuration is bound
        GcsSettings settings = bind(env).settings().orElseThrow();

        // Then they land in the bucket's settings
        assertThat(settings.bucket()).isEqualTo("tiktok-pipeline-v2-artifacts-reetik-project");
        assertThat(settings.project()).isEqualTo("reetik-project");
        assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofSeconds(900));
        assertThat(settings.cacheDir()).hasToString("/var/cache/reetik");
    }

    @Test
    void shouldKeepVideosInLocalFilesWithoutABucket() {
        // Given no BUCKET_NAME_V2
        // When the gateway's configuration is bound
        GcsProperties properties = bind(Map.of("GCP_PROJECT", "reetik-project"));

        // Then there is no bucket, and the default lifetime stands
        assertThat(properties.settings()).isEmpty();
        assertThat(properties.signedUrlLifetime()).isEqualTo(Duration.ofMinutes(15));
    }
}
