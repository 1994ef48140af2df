package com.reetik.gateway;

import com.reetik.gateway.ratelimit.RateLimitProperties;
import com.reetik.gateway.video.EstimateProperties;
import com.reetik.gateway.video.QuotaProperties;
import com.reetik.platform.PlatformConfiguration;
import com.reetik.platform.StorageConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The public HTTP surface ({@code java -jar gateway/target/gateway.jar}): auth, create, read, list, SSE,
 * download. Publishes commands; reads status from its own replica of the projector's topics. The
 * standalone launcher starts the same application.
 */
@SpringBootApplication
@Import({PlatformConfiguration.class, StorageConfiguration.class})
@EnableConfigurationProperties({GatewaySettings.class, EstimateProperties.class, RateLimitProperties.class,
        QuotaProperties.class, com.reetik.gateway.video.RetentionProperties.class,
        com.reetik.gateway.video.ReferenceImageProperties.class})
public class GatewayApplication {

    /** Its settings come from {@code reetik.yml} (shared) and {@code gateway.yml}, then the environment. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=reetik,gateway");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
