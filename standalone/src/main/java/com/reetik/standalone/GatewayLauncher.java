package com.reetik.standalone;

import com.reetik.gateway.GatewayApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the gateway (Spring WebFlux) against the standalone stack's broker, storage and data directory. */
public final class GatewayLauncher {

    private GatewayLauncher() {
    }

    public static ConfigurableApplicationContext start(StandaloneStack stack) {
        StandaloneSettings settings = stack.settings();
        Map<String, Object> props = new HashMap<>();
        props.put("reetik.gateway.kafka-bootstrap-servers", stack.bootstrapServers());
        props.put("reetik.gateway.data-dir", settings.dataDir().toString());
        props.put("server.port", settings.serverPort());
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties(props)
                // One store for the whole stack: the gateway serves what the bridge wrote.
                .initializers(context -> context.getBeanFactory().registerSingleton("objectStore", stack.store()))
                .registerShutdownHook(false)
                .run();
    }
}
