package com.reetik.bridge;

import com.reetik.platform.PlatformConfiguration;
import com.reetik.platform.StorageConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The agent bridge as its own application ({@code java -jar agent-bridge/target/agent-bridge.jar}): consumes
 * commands, drives the agents chosen by {@code REETIK_AGENTS} (script, parallel blocks with check-and-retry,
 * assembly) and emits events, each step in a Kafka transaction with its input offset. Actuator on
 * {@code SERVER_PORT} (default 8081). The standalone launcher starts the same application without HTTP.
 */
@SpringBootApplication
@Import({PlatformConfiguration.class, StorageConfiguration.class})
@EnableConfigurationProperties({BridgeProperties.class, AgentsProperties.class})
public class AgentBridgeApplication {

    /** Its settings come from {@code reetik.yml} (shared) and {@code agent-bridge.yml}, then the environment. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(AgentBridgeApplication.class)
                .properties("spring.config.name=reetik,agent-bridge");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
