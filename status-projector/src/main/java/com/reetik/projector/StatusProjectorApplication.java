package com.reetik.projector;

import com.reetik.platform.PlatformConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The status projector as its own application ({@code java -jar status-projector/target/status-projector.jar}):
 * Kafka Streams folding {@code reetik.video-events} into status views and libraries, exactly once, and the
 * optional Firestore mirror. Actuator on {@code SERVER_PORT} (default 8082). The standalone launcher starts
 * the same application without HTTP.
 */
@SpringBootApplication
@Import(PlatformConfiguration.class)
@EnableConfigurationProperties(ProjectorProperties.class)
public class StatusProjectorApplication {

    /** Its settings come from {@code reetik.yml} (shared) and {@code status-projector.yml}, then the environment. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(StatusProjectorApplication.class)
                .properties("spring.config.name=reetik,status-projector");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
