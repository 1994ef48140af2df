package com.reetik.bridge.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.bridge.BridgeEnvironment;
import com.reetik.bridge.BridgeProperties;
import com.reetik.bridge.agent.OperationPolling;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.BindException;

/** The seed's variables reach {@link CloudRunProperties} through {@code agent-bridge.yml}, as the bridge binds them. */
@Timeout(10)
class CloudRunPropertiesTest {

    private static final Map<String, String> SEED_ENV = Map.of(
            "AGENT_SCRIPT_V2", "https://agent-script-v2-vrzs3y5aoq-uc.a.run.app/",
            "AGENT_VIDEO_V2", "https://agent-video-v2-vrzs3y5aoq-uc.a.run.app",
            "CHECK_AND_RETRY", "https://check-and-retry-clips-vrzs3y5aoq-uc.a.run.app",
            "AGENT_ASSEMBLER_V2", "https://agent-assembler-v2-vrzs3y5aoq-uc.a.run.app");

    @Test
    void readsTheSeedsFourUrlsWithDefaultTimings() {
        // Given the seed's environment
        // When the bridge's configuration is bound
        CloudRunProperties settings = BridgeEnvironment.bind(SEED_ENV, CloudRunProperties.class);
        OperationPolling polling = BridgeEnvironment.bind(SEED_ENV, BridgeProperties.class).operationPolling();

        // Then the URLs lose their trailing slash and every timing has its default
        assertThat(settings.scriptUrl()).isEqualTo(URI.create("https://agent-script-v2-vrzs3y5aoq-uc.a.run.app"));
        assertThat(settings.videoUrl()).isEqualTo(URI.create("https://agent-video-v2-vrzs3y5aoq-uc.a.run.app"));
        assertThat(settings.checkUrl()).hasHost("check-and-retry-clips-vrzs3y5aoq-uc.a.run.app");
        assertThat(settings.assemblerUrl()).hasHost("agent-assembler-v2-vrzs3y5aoq-uc.a.run.app");
        assertThat(settings.callTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.maxRetries()).isEqualTo(4);
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.circuitMinimumCalls()).isEqualTo(10);
        assertThat(settings.circuitOpenFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(polling).isEqualTo(new OperationPolling(Duration.ofSeconds(10), Duration.ofMinutes(10)));
    }

    @Test
    void acceptsTheScriptAgentAliasFromTheBackendEnvAndTheTuningVariables() {
        // Given SCRIPT_AGENT_URL instead of AGENT_SCRIPT_V2, tuned calls, and the bridge's polling tuned
        Map<String, String> env = new HashMap<>(SEED_ENV);
        env.remove("AGENT_SCRIPT_V2");
        env.put("SCRIPT_AGENT_URL", "http://127.0.0.1:9001");
        env.put("REETIK_AGENT_CALL_TIMEOUT_S", "5");
        env.put("REETIK_AGENT_MAX_RETRIES", "2");
        env.put("REETIK_AGENT_INITIAL_BACKOFF_MS", "20");
        env.put("REETIK_POLL_INTERVAL_MS", "3000");
        env.put("REETIK_OPERATION_DEADLINE_S", "90");

        // When the bridge's configuration is bound
        CloudRunProperties settings = BridgeEnvironment.bind(env, CloudRunProperties.class);
        OperationPolling polling = BridgeEnvironment.bind(env, BridgeProperties.class).operationPolling();

        // Then the alias gives the script agent, the tuning lands, and the adapter's polling is the bridge's one knob
        assertThat(settings.scriptUrl()).isEqualTo(URI.create("http://127.0.0.1:9001"));
        assertThat(settings.callTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxRetries()).isEqualTo(2);
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(polling).isEqualTo(new OperationPolling(Duration.ofSeconds(3), Duration.ofSeconds(90)));
    }

    @Test
    void theSeedNameWinsOverItsAlias() {
        // Given both AGENT_SCRIPT_V2 and SCRIPT_AGENT_URL
        Map<String, String> env = new HashMap<>(SEED_ENV);
        env.put("SCRIPT_AGENT_URL", "http://127.0.0.1:9001");

        // When the bridge's configuration is bound
        CloudRunProperties settings = BridgeEnvironment.bind(env, CloudRunProperties.class);

        // Then AGENT_SCRIPT_V2 is the script agent
        assertThat(settings.scriptUrl()).hasHost("agent-script-v2-vrzs3y5aoq-uc.a.run.app");
    }

    @Test
    void namesTheMissingVariable() {
        // Given an environment without the check-and-retry agent, then one without any agent
        Map<String, String> env = new HashMap<>(SEED_ENV);
        env.remove("CHECK_AND_RETRY");

        // When / Then the error names the variable to set
        assertThatThrownBy(() -> BridgeEnvironment.bind(env, CloudRunProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cloud-run agents: the check-and-retry agent URL is missing: set CHECK_AND_RETRY");
        assertThatThrownBy(() -> BridgeEnvironment.bind(Map.of(), CloudRunProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cloud-run agents: the script agent URL is missing: set AGENT_SCRIPT_V2 "
                        + "(or its alias SCRIPT_AGENT_URL)")
                .hasMessageContaining("set AGENT_VIDEO_V2")
                .hasMessageContaining("set CHECK_AND_RETRY")
                .hasMessageContaining("set AGENT_ASSEMBLER_V2");
    }

    @Test
    void rejectsAUrlThatIsNotHttpOrABadTuning() {
        // Given a video agent URL without a scheme, then a negative retry count
        Map<String, String> noScheme = new HashMap<>(SEED_ENV);
        noScheme.put("AGENT_VIDEO_V2", "agent-video-v2.run.app");
        Map<String, String> negative = new HashMap<>(SEED_ENV);
        negative.put("REETIK_AGENT_MAX_RETRIES", "-1");

        // When / Then each is refused, naming the variable
        assertThatThrownBy(() -> BridgeEnvironment.bind(noScheme, CloudRunProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("AGENT_VIDEO_V2 must be an absolute http(s) URL");
        assertThatThrownBy(() -> BridgeEnvironment.bind(negative, CloudRunProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("REETIK_AGENT_MAX_RETRIES must be 0 or more");
    }
}
