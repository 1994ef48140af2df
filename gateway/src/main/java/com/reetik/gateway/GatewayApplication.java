package com.reetik.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The public HTTP surface: auth, create, read, list, SSE, download. Publishes commands; reads status from
 * its own replica of the projector's topics. Also started programmatically by the standalone launcher
 * with {@code reetik.gateway.*} properties (see {@link GatewaySettings}).
 */
@SpringBootApplication
@EnableConfigurationProperties(GatewaySettings.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
