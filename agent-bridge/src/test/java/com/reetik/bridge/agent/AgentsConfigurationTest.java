package com.reetik.bridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.AgentsProperties;
import com.reetik.bridge.BridgeEnvironment;
import com.reetik.bridge.BridgeProperties;
import com.reetik.bridge.cloudrun.CloudRunAgents;
import com.reetik.bridge.cloudrun.CloudRunProperties;
import com.reetik.bridge.local.LocalAgents;
import com.reetik.bridge.veo.VeoAgents;
import com.reetik.bridge.veo.VeoProperties;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.platform.ReetikProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link AgentsConfiguration} in a context with the bridge's configuration files and a given process environment:
 * {@code REETIK_AGENTS} picks the adapter, only that adapter's settings are bound, and a missing one stops the start
 * with the variable to set.
 */
@Timeout(30)
class AgentsConfigurationTest {

    private static final Map<String, String> CLOUD_RUN_URLS = Map.of(
            "SCRIPT_AGENT_URL", "https://agent-script-v2-vrzs3y5aoq-uc.a.run.app",
            "AGENT_VIDEO_V2", "https://agent-video-v2-vrzs3y5aoq-uc.a.run.app",
            "CHECK_AND_RETRY", "https://check-and-retry-clips-vrzs3y5aoq-uc.a.run.app",
            "AGENT_ASSEMBLER_V2", "https://agent-assembler-v2-vrzs3y5aoq-uc.a.run.app");

    @TempDir
    Path dataDir;

    /** What the bridge application gives the agents' configuration: its settings, a store and a meter registry. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({BridgeProperties.class, AgentsProperties.class, ReetikProperties.class})
    static class BridgeBeans {

        @Bean
        ObjectStore objectStore(ReetikProperties reetik) {
            return new LocalObjectStore(reetik.storageDir());
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    private ApplicationContextRunner bridgeWith(Map<String, String> env) {
        Map<String, String> withDataDir = new HashMap<>(env);
        withDataDir.put("REETIK_DATA_DIR", dataDir.toString());
        return new ApplicationContextRunner()
                .withInitializer(context -> BridgeEnvironment.apply(context.getEnvironment(), withDataDir))
                .withUserConfiguration(BridgeBeans.class, AgentsConfiguration.class);
    }

    private static AgentPort adapter(AgentPort bean) {
        assertThat(bean).isInstanceOf(MeteredAgentPort.class);
        return ((MeteredAgentPort) bean).delegate();
    }

    @Test
    void shouldStartTheLocalAgentsWithoutAskingForCloudRunOrVeoSettings() {
        // Given no REETIK_AGENTS and none of the production agents' variables
        // When the context starts
        bridgeWith(Map.of()).run(context -> {
            // Then the local agents run, and neither the Cloud Run nor the Veo settings were bound
            assertThat(context).hasNotFailed();
            assertThat(adapter(context.getBean(AgentPort.class))).isInstanceOf(LocalAgents.class);
            assertThat(context).doesNotHaveBean(CloudRunProperties.class).doesNotHaveBean(VeoProperties.class);
        });
    }

    @Test
    void shouldRefuseToStartCloudRunWithoutTheAgentsUrls() {
        // Given REETIK_AGENTS=cloud-run and no agent URL
        // When the context starts
        bridgeWith(Map.of("REETIK_AGENTS", "cloud-run")).run(context -> {
            // Then it fails, saying which variable to set
            assertThat(context).hasFailed();
            assertThat(context).getFailure().rootCause().hasMessageContaining(
                    "cloud-run agents: the script agent URL is missing: set AGENT_SCRIPT_V2 (or its alias "
                            + "SCRIPT_AGENT_URL)");
        });
    }

    @Test
    void shouldStartCloudRunFromTheSeedsVariablesWithTheBridgesPolling() {
        // Given REETIK_AGENTS=cloud-run, the four URLs (the script one by its alias) and the bridge's polling tuned
        Map<String, String> env = new HashMap<>(CLOUD_RUN_URLS);
        env.put("REETIK_AGENTS", "cloud-run");
        env.put("REETIK_POLL_INTERVAL_MS", "3000");
        env.put("REETIK_OPERATION_DEADLINE_S", "90");

        // When the context starts
        bridgeWith(env).run(context -> {
            // Then the Cloud Run agents run at those URLs and poll with the bridge's one knob
            assertThat(context).hasNotFailed();
            CloudRunAgents agents = (CloudRunAgents) adapter(context.getBean(AgentPort.class));
            assertThat(agents.settings().scriptUrl())
                    .isEqualTo(URI.create("https://agent-script-v2-vrzs3y5aoq-uc.a.run.app"));
            assertThat(agents.polling()).isEqualTo(new OperationPolling(Duration.ofSeconds(3), Duration.ofSeconds(90)));
            assertThat(context).doesNotHaveBean(VeoProperties.class);
        });
    }

    @Test
    void shouldStartVeoWithAKeyAndRefuseItWithoutOne() {
        // Given REETIK_AGENTS=veo with a Gemini API key, then without key nor project
        Map<String, String> withKey = Map.of("REETIK_AGENTS", "veo", "GOOGLE_API_KEY", "test-key",
                "REETIK_POLL_INTERVAL_MS", "200");

        // When each context starts
        bridgeWith(withKey).run(context -> {
            // Then the Veo agents run on the Gemini API, polling with the bridge's interval
            assertThat(context).hasNotFailed();
            VeoAgents agents = (VeoAgents) adapter(context.getBean(AgentPort.class));
            assertThat(agents.settings().vertexAi()).isFalse();
            assertThat(agents.polling().interval()).isEqualTo(Duration.ofMillis(200));
            assertThat(context).doesNotHaveBean(CloudRunProperties.class);
        });
        bridgeWith(Map.of("REETIK_AGENTS", "veo")).run(context -> {
            // And without credentials the start fails naming the variables
            assertThat(context).hasFailed();
            assertThat(context).getFailure().rootCause().hasMessageContaining("GOOGLE_API_KEY")
                    .hasMessageContaining("GCP_PROJECT");
        });
    }
}
