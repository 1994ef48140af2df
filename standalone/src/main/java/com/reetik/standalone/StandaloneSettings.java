package com.reetik.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the one-JVM stack, read from the environment (the seed's names where the seed has one).
 *
 * @param dataDir      REETIK_DATA_DIR: Kafka's log, videos, state stores, logs (default ./reetik-data)
 * @param serverPort   SERVER_PORT (default 8080)
 * @param kafkaPort    REETIK_KAFKA_PORT: the embedded broker's client port (default 0: any free port)
 * @param partitions   REETIK_PARTITIONS: partitions of each topic (default 6)
 * @param blockWorkers REETIK_BLOCK_WORKERS: blocks rendered at once (default: the number of cores)
 * @param maxAttempts  REETIK_MAX_ATTEMPTS: attempts per block before the video fails (default 3)
 * @param agents       REETIK_AGENTS: local (default), cloud-run or veo
 * @param pollInterval REETIK_POLL_INTERVAL_MS: how often an agent's operation is checked (default 10 000)
 * @param operationDeadline REETIK_OPERATION_DEADLINE_S: an operation not done by then times out (default 600)
 */
public record StandaloneSettings(Path dataDir, int serverPort, int kafkaPort, int partitions, int blockWorkers,
                                 int maxAttempts, String agents, Duration pollInterval, Duration operationDeadline,
                                 Map<String, String> env) {

    public static StandaloneSettings fromEnvironment(Map<String, String> env) {
        return new StandaloneSettings(
                Path.of(env.getOrDefault("REETIK_DATA_DIR", "reetik-data")).toAbsolutePath().normalize(),
                intOf(env, "SERVER_PORT", 8080),
                intOf(env, "REETIK_KAFKA_PORT", 0),
                intOf(env, "REETIK_PARTITIONS", 6),
                intOf(env, "REETIK_BLOCK_WORKERS", Math.max(1, Runtime.getRuntime().availableProcessors())),
                intOf(env, "REETIK_MAX_ATTEMPTS", 3),
                env.getOrDefault("REETIK_AGENTS", "local"),
                Duration.ofMillis(intOf(env, "REETIK_POLL_INTERVAL_MS", 10_000)),
                Duration.ofSeconds(intOf(env, "REETIK_OPERATION_DEADLINE_S", 600)),
                Map.copyOf(env));
    }

    private static int intOf(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    public Path videosDir() {
        return dataDir.resolve("videos");
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path stateDir() {
        return dataDir.resolve("state");
    }
}
