package com.reetik.drill;

import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.get;
import static com.reetik.drill.ServiceProcesses.post;
import static com.reetik.drill.ServiceProcesses.postUntilAccepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The three service jars against the official {@code apache/kafka} image, as docker-compose.yml runs them:
 * one video made end to end. Needs a Docker engine (Testcontainers); where there is none (this project's
 * build machines) it is skipped with that reason, and {@link ServicesFailureDrillIT} covers the services on
 * Apache Kafka's own server started as processes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ServicesOnKafkaContainerIT {

    static final String IMAGE = "apache/kafka:4.1.1";

    @TempDir
    static Path base;

    /** Skips the test, with the reason in the report, where there is no Docker engine. */
    private static void needsDocker() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        Assumptions.assumeTrue(docker, "no Docker engine here: the services against the " + IMAGE
                + " container run only where Docker exists (ServicesFailureDrillIT covers a real cluster here)");
    }

    @Test
    void shouldMakeAVideoWithTheServicesOnTheApacheKafkaImage() throws Exception {
        needsDocker();
        try (KafkaContainer kafka = new KafkaContainer(IMAGE);
             ServiceProcesses services = new ServiceProcesses(base)) {
            // Given the official image and the three services pointed at it, as compose does
            kafka.start();
            Path storage = Files.createDirectories(base.resolve("storage"));
            Map<String, String> env = Map.of(
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.getBootstrapServers(),
                    "REETIK_REPLICATION_FACTOR", "1",
                    "REETIK_STORAGE_DIR", storage.toString(),
                    "JWT_SECRET_KEY", "container-it-only-jwt-secret-0123456789-abcdefghij",
                    "REETIK_BLOCK_WORKERS", "2");
            services.start("status-projector", "projector", env);
            services.start("agent-bridge", "bridge", env);
            ServiceProcesses.Service gateway = services.start("gateway", "gateway", env);
            services.awaitReady(Duration.ofMinutes(3));

            // When a user asks for a 16 s video
            String token = field(post(gateway, "/api/auth/register", null,
                    "{\"email\":\"container@example.com\",\"password\":\"correct horse battery\"}"), "access_token");
            String id = field(postUntilAccepted(gateway, "/api/videos", token,
                    "{\"theme\":\"Les volcans d'Islande\",\"target_duration\":16}"), "video_id");

            // Then it completes and its final.mp4 is in the shared storage
            await("video completed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(Json.mapper().readTree(get(gateway, "/api/videos/" + id, token)).get("status").asText())
                            .isEqualTo("completed"));
            assertThat(storage.resolve(id).resolve("final.mp4")).isNotEmptyFile();
        }
    }
}
