package com.reetik.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.projector.ProjectorSettings;
import com.reetik.projector.RegistrationTopology;
import com.reetik.projector.StatusProjectorTopology;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The status projector's registrations topology, alone, with the projector's settings (exactly once): what turns
 * the gateway's registrations into accounts. The gateway's ITs run it instead of the whole projector, whose views
 * they write themselves.
 */
final class AccountDecider implements AutoCloseable {

    private final KafkaStreams streams;

    private AccountDecider(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Started and running (its tasks assigned) on the broker, under its own application id and state dir. */
    static AccountDecider start(String bootstrapServers, String applicationId, Path stateDir) {
        KafkaStreams streams = new KafkaStreams(RegistrationTopology.build(), StatusProjectorTopology.streamsConfig(
                new ProjectorSettings(bootstrapServers, applicationId, stateDir, 1, null)));
        streams.start();
        await("account decider running").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING));
        return new AccountDecider(streams);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
    }
}
