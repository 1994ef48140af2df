package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector's Kafka Streams client metrics are bound to the registry while it runs (Boot binds only those of
 * a {@code StreamsBuilderFactoryBean}), and removed when it stops. No broker is needed: the clients and their
 * metrics exist as soon as the instance is built.
 */
class StatusProjectorServiceMetricsTest {

    private static final String LAG = "kafka.consumer.fetch.manager.records.lag.max";

    @TempDir
    Path stateDir;

    @Test
    void shouldBindTheStreamThreadsConsumerLagWhileRunning() throws Exception {
        // Given a projector pointed at a port where no broker listens
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StatusProjectorService service = new StatusProjectorService(new ProjectorSettings("127.0.0.1:" + closedPort,
                "projector-metrics-test", stateDir, 1, "p1"), registry);

        // When it starts
        try {
            service.start();

            // Then the stream thread's consumer reports its lag, tagged with its client id
            assertThat(registry.find(LAG).meters()).isNotEmpty()
                    .map(meter -> meter.getId().getTag("client.id"))
                    .anyMatch(clientId -> clientId != null && clientId.startsWith("projector-metrics-test-")
                            && clientId.endsWith("-StreamThread-1-consumer"));
        } finally {
            service.close();
        }

        // And once it stops, its client metrics are gone (a restart binds the new clients)
        assertThat(registry.find(LAG).meters()).isEmpty();
        assertThat(registry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getName().startsWith("kafka."));
    }
}
