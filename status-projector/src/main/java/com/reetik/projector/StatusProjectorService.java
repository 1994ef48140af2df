package com.reetik.projector;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.context.SmartLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the status projector: one Kafka Streams instance running {@link StatusProjectorTopology},
 * with the application context's lifecycle. Plain {@code KafkaStreams} rather than Spring's
 * {@code StreamsBuilderFactoryBean}: the topology is a {@code Topology} built by a pure function from
 * settings (tested with {@code TopologyTestDriver}), not a bean-defined {@code StreamsBuilder}.
 */
public final class StatusProjectorService implements AutoCloseable, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusProjectorService.class);

    private final ProjectorSettings settings;
    private KafkaStreams streams;

    public StatusProjectorService(ProjectorSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        streams = new KafkaStreams(StatusProjectorTopology.build(), StatusProjectorTopology.streamsConfig(settings));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Status projector stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        log.info("Status projector started ({} stream threads, state in {})", settings.streamThreads(),
                settings.stateDir());
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized boolean isRunning() {
        return streams != null;
    }

    public synchronized boolean running() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streams = null;
        }
    }
}
