package com.reetik.bridge.veo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.bridge.BridgeEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.BindException;

/** The seed's variables reach {@link VeoProperties} through {@code agent-bridge.yml}, as the bridge binds them. */
@Timeout(10)
class VeoPropertiesTest {

    @Test
    void anApiKeySelectsTheGeminiApiWithDefaults() {
        // Given a Gemini API key under its alias, and a project set for other uses (GCS, Firestore)
        Map<String, String> env = Map.of("GEMINI_API_KEY", "k", "GCP_PROJECT", "p");

        // When the bridge's configuration is bound
        VeoProperties s = BridgeEnvironment.bind(env, VeoProperties.class);

        // Then the key wins: the Gemini API is used with the defaults
        assertThat(s.vertexAi()).isFalse();
        assertThat(s.apiKey()).isEqualTo("k");
        assertThat(s.project()).isNull();
        assertThat(s.veoModel()).isEqualTo("veo-3.1-generate-001");
        assertThat(s.geminiModel()).isEqualTo("gemini-2.5-flash");
        assertThat(s.resolution()).isEqualTo("720p");
        assertThat(s.rateLimit()).isEqualTo(50);
        assertThat(s.ratePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.rateWait()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.sdkAttempts()).isEqualTo(3);
        assertThat(s.baseUrl()).isNull();
        assertThat(s.bucket()).isNull();
    }

    @Test
    void aProjectWithoutKeySelectsVertexAiWithItsOptions() {
        // Given a project, the fast model, 1080p, a stub URL, a rate and a bucket
        Map<String, String> env = Map.of("GCP_PROJECT", "p", "REETIK_VEO_MODEL", "veo-3.1-fast-generate-001",
                "REETIK_VEO_RESOLUTION", "1080p", "REETIK_GENAI_BASE_URL", "http://localhost:9999",
                "REETIK_VEO_RATE_PER_MINUTE", "10", "BUCKET_NAME_V2", "gs://my-bucket/",
                "REETIK_GEMINI_MODEL", "gemini-2.5-pro");

        // When the bridge's configuration is bound
        VeoProperties s = BridgeEnvironment.bind(env, VeoProperties.class);

        // Then Vertex AI is used in us-central1 with those options
        assertThat(s.vertexAi()).isTrue();
        assertThat(s.project()).isEqualTo("p");
        assertThat(s.location()).isEqualTo("us-central1");
        assertThat(s.veoModel()).isEqualTo(VeoProperties.FAST_VEO_MODEL);
        assertThat(s.geminiModel()).isEqualTo("gemini-2.5-pro");
        assertThat(s.resolution()).isEqualTo("1080p");
        assertThat(s.baseUrl()).isEqualTo("http://localhost:9999");
        assertThat(s.rateLimit()).isEqualTo(10);
        assertThat(s.bucket()).isEqualTo("my-bucket");
    }

    @Test
    void googleCloudProjectAndLocationAreReadToo() {
        // Given Google's own names for the project and the location
        Map<String, String> env = Map.of("GOOGLE_CLOUD_PROJECT", "q", "GOOGLE_CLOUD_LOCATION", "europe-west4",
                "GOOGLE_API_KEY", " ");

        // When the bridge's configuration is bound
        VeoProperties s = BridgeEnvironment.bind(env, VeoProperties.class);

        // Then Vertex AI is used there (a blank key is no key)
        assertThat(s.vertexAi()).isTrue();
        assertThat(s.project()).isEqualTo("q");
        assertThat(s.location()).isEqualTo("europe-west4");
    }

    @Test
    void missingCredentialsOrBadValuesAreRejectedWithTheVariableName() {
        // Given no key nor project, then a bad resolution, then a rate that is no number
        // When / Then the settings are refused with a message naming the variable
        assertThatThrownBy(() -> BridgeEnvironment.bind(Map.of(), VeoProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GOOGLE_API_KEY").hasMessageContaining("GCP_PROJECT");
        assertThatThrownBy(() -> BridgeEnvironment.bind(Map.of("GOOGLE_API_KEY", "k",
                "REETIK_VEO_RESOLUTION", "8k"), VeoProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("REETIK_VEO_RESOLUTION");
        // (a value that is no number fails its conversion; the start's failure report shows the property as
        // written in agent-bridge.yml, so with the variable's name, and the reason)
        assertThatThrownBy(() -> BridgeEnvironment.bind(Map.of("GOOGLE_API_KEY", "k",
                "REETIK_VEO_RATE_PER_MINUTE", "many"), VeoProperties.class))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.getProperty().getValue())
                        .hasToString("${REETIK_VEO_RATE_PER_MINUTE:50}"))
                .rootCause().hasMessageContaining("many");
    }
}
