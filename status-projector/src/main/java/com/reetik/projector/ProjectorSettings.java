package com.reetik.projector;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the status projector.
 *
 * @param applicationId Kafka Streams application id; also the consumer group and the prefix of internal topics
 * @param stateDir      where RocksDB state stores live (under REETIK_DATA_DIR in standalone)
 * @param streamThreads stream threads in this instance (work spreads by partition across instances)
 * @param instanceId    stable name of this instance for static group membership (a restart takes its old
 *                      place without a rebalance), or null for dynamic membership
 * @param streamsOverrides Kafka Streams settings set last, over the projector's own
 *                      ({@code reetik.projector.streams-properties}, e.g. {@code consumer.session.timeout.ms})
 */
public record ProjectorSettings(String bootstrapServers, String applicationId, Path stateDir, int streamThreads,
                                String instanceId, Map<String, String> streamsOverrides) {

    public static final String DEFAULT_APPLICATION_ID = "reetik-status-projector";

    public ProjectorSettings {
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1");
        }
        streamsOverrides = streamsOverrides == null ? Map.of() : Map.copyOf(streamsOverrides);
    }

    public ProjectorSettings(String bootstrapServers, String applicationId, Path stateDir, int streamThreads,
                             String instanceId) {
        this(bootstrapServers, applicationId, stateDir, streamThreads, instanceId, Map.of());
    }
}
