package com.reetik.projector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
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
 *
 * <p>Metrics: the topology counts status transitions in the registry, and the instance's Kafka client metrics
 * are bound with Micrometer's {@link KafkaStreamsMetrics} (Boot only binds those of a
 * {@code StreamsBuilderFactoryBean}): among them {@code kafka.consumer.fetch.manager.records.lag.max}, the
 * consumer lag of each stream thread, tagged {@code client.id}.
 */
public final class StatusProjectorService implements AutoCloseable, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusProjectorService.class);

    private final ProjectorSettings settings;
    private final Duration stallTimeout;
    private final MeterRegistry registry;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public StatusProjectorService(ProjectorSettings settings, MeterRegistry registry) {
        this(settings, StatusProjectorTopology.DEFAULT_STALL_TIMEOUT, registry);
    }

    /** @param stallTimeout {@code REETIK_STALL_TIMEOUT} (see {@link StatusProjectorTopology#build(MeterRegistry, Duration)}) */
    public StatusProjectorService(ProjectorSettings settings, Duration stallTimeout, MeterRegistry registry) {
        this.settings = settings;
        this.stallTimeout = stallTimeout;
        this.registry = registry;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        streams = new KafkaStreams(StatusProjectorTopology.build(registry, stallTimeout),
                StatusProjectorTopology.streamsConfig(settings));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
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
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
    }
}
