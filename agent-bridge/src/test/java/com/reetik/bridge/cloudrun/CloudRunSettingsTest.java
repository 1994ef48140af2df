package com.reetik.bridge.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CloudRunSettingsTest {

    private static final Map<String, String> SEED_ENV = Map.of(
            "AGENT_SCRIPT_V2", "https://agent-script-v2-vrzs3y5aoq-uc.a.run.app/",
            "AGENT_VIDEO_V2", "https://agent-video-v2-vrzs3y5aoq-uc.a.run.app",
            "CHECK_AND_RETRY", "https://check-and-retry-clips-vrzs3y5aoq-uc.a.run.app",
            "AGENT_ASSEMBLER_V2", "https://agent-assembler-v2-vrzs3y5aoq-uc.a.run.app");

    @Test
    void readsTheSeedsFourUrlsWithDefaultTimings() {
        // Given the seed's environment
        // When the settings are read
        CloudRunSettings settings = CloudRunSettings.fromEnvironment(SEED_ENV);

        // Then the URLs lose their trailing slash and every timing has its default
        assertThat(settings.scriptUrl()).isEqualTo(URI.create("https://agent-script-v2-vrzs3y5aoq-uc.a.run.app"));
        assertThat(settings.checkUrl()).hasHost("check-and-retry-clips-vrzs3y5aoq-uc.a.run.app");
        assertThat(settings.callTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.maxRetries()).isEqualTo(4);
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.clipDeadline()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void acceptsTheScriptAgentAliasFromTheBackendEnv() {
        // Given SCRIPT_AGENT_URL instead of AGENT_SCRIPT_V2, and a tuned poll interval
        Map<String, String> env = new java.util.HashMap<>(SEED_ENV);
        env.remove("AGENT_SCRIPT_V2");
        env.put("SCRIPT_AGENT_URL", "http://127.0.0.1:9001");
        env.put("REETIK_AGENT_POLL_INTERVAL_S", "3");

        // When the settings are read
        CloudRunSettings settings = CloudRunSettings.fromEnvironment(env);

        // Then the alias gives the script agent
        assertThat(settings.scriptUrl()).isEqualTo(URI.create("http://127.0.0.1:9001"));
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void namesTheMissingVariable() {
        // Given an environment without the check-and-retry agent
        Map<String, String> env = new java.util.HashMap<>(SEED_ENV);
        env.remove("CHECK_AND_RETRY");

        // When / Then the error names the variable
        assertThatThrownBy(() -> CloudRunSettings.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CHECK_AND_RETRY");
        assertThatThrownBy(() -> CloudRunSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AGENT_SCRIPT_V2").hasMessageContaining("SCRIPT_AGENT_URL");
    }

    @Test
    void rejectsAUrlThatIsNotHttp() {
        // Given a video agent URL without a scheme
        Map<String, String> env = new java.util.HashMap<>(SEED_ENV);
        env.put("AGENT_VIDEO_V2", "agent-video-v2.run.app");

        // When / Then
        assertThatThrownBy(() -> CloudRunSettings.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AGENT_VIDEO_V2");
    }
}
