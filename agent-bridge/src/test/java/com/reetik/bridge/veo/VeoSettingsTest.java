package com.reetik.bridge.veo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VeoSettingsTest {

    @Test
    void anApiKeySelectsTheGeminiApiWithDefaults() {
        // Given only a Gemini API key
        Map<String, String> env = Map.of("GEMINI_API_KEY", "k");

        // When the settings are read
        VeoSettings s = VeoSettings.fromEnvironment(env);

        // Then the Gemini API is used with the defaults
        assertThat(s.vertexAi()).isFalse();
        assertThat(s.apiKey()).isEqualTo("k");
        assertThat(s.veoModel()).isEqualTo("veo-3.1-generate-001");
        assertThat(s.geminiModel()).isEqualTo("gemini-2.5-flash");
        assertThat(s.resolution()).isEqualTo("720p");
        assertThat(s.rateLimit()).isEqualTo(50);
        assertThat(s.ratePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.baseUrl()).isNull();
        assertThat(s.bucket()).isNull();
    }

    @Test
    void aProjectWithoutKeySelectsVertexAiWithItsOptions() {
        // Given a project, the fast model, 1080p, a stub URL, a rate and a bucket
        Map<String, String> env = Map.of("GCP_PROJECT", "p", "REETIK_VEO_MODEL", "veo-3.1-fast-generate-001",
                "REETIK_VEO_RESOLUTION", "1080p", "REETIK_GENAI_BASE_URL", "http://localhost:9999",
                "REETIK_VEO_RATE_PER_MINUTE", "10", "BUCKET_NAME_V2", "gs://my-bucket/");

        // When the settings are read
        VeoSettings s = VeoSettings.fromEnvironment(env);

        // Then Vertex AI is used in us-central1 with those options
        assertThat(s.vertexAi()).isTrue();
        assertThat(s.project()).isEqualTo("p");
        assertThat(s.location()).isEqualTo("us-central1");
        assertThat(s.veoModel()).isEqualTo(VeoSettings.FAST_VEO_MODEL);
        assertThat(s.resolution()).isEqualTo("1080p");
        assertThat(s.baseUrl()).isEqualTo("http://localhost:9999");
        assertThat(s.rateLimit()).isEqualTo(10);
        assertThat(s.bucket()).isEqualTo("my-bucket");
    }

    @Test
    void missingCredentialsOrBadValuesAreRejectedWithTheVariableName() {
        // Given no key nor project, then a bad resolution
        // When / Then the settings are refused with a message naming the variable
        assertThatThrownBy(() -> VeoSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GOOGLE_API_KEY");
        assertThatThrownBy(() -> VeoSettings.fromEnvironment(Map.of("GOOGLE_API_KEY", "k",
                "REETIK_VEO_RESOLUTION", "4k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REETIK_VEO_RESOLUTION");
        assertThatThrownBy(() -> VeoSettings.fromEnvironment(Map.of("GOOGLE_API_KEY", "k",
                "REETIK_VEO_RATE_PER_MINUTE", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REETIK_VEO_RATE_PER_MINUTE");
    }
}
