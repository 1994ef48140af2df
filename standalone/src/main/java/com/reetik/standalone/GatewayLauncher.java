package com.reetik.standalone;

import org.springframework.context.ConfigurableApplicationContext;

/** Starts the gateway (Spring WebFlux) of a running standalone stack, on its broker, storage and data directory. */
public final class GatewayLauncher {

    private GatewayLauncher() {
    }

    public static ConfigurableApplicationContext start(StandaloneStack stack) {
        return stack.startGateway();
    }
}
