package com.reetik.projector;

import java.nio.file.Path;

/**
 * Settings of the status projector.
 *
 * @param applicationId Kafka Streams application id; also the consumer group and the prefix of internal topics
 * @param stateDir      where RocksDB state stores live (under REETIK_DATA_DIR in standalone)
 * @param streamThreads stream threads in this instance (work spreads by partition across instances)
 */
public record ProjectorSettings(String bootstrapServers, String applicationId, Path stateDir, int streamThreads) {

    public static final String DEFAULT_APPLICATION_ID = "reetik-status-projector";

    public ProjectorSettings {
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1");
        }
    }
}
