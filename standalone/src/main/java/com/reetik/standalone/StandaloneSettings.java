package com.reetik.standalone;

import com.reetik.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the one-JVM launcher itself needs from the environment; everything else (agents, partitions,
 * attempts, …) is read by the three applications from the same environment, by their own settings.
 *
 * @param dataDir    REETIK_DATA_DIR: Kafka's log, videos, state stores, logs (default ./reetik-data)
 * @param serverPort SERVER_PORT (default 8080)
 * @param kafkaPort  REETIK_KAFKA_PORT: the embedded broker's client port (default 0: any free port)
 * @param kafkaFlush REETIK_KAFKA_FLUSH_MS: how often the embedded broker forces its log to the disk (default 1000;
 *                   0: at every write, before it is acknowledged; see {@link EmbeddedKafkaBroker})
 * @param env        the environment the applications are started with
 */
public record StandaloneSettings(Path dataDir, int serverPort, int kafkaPort, Duration kafkaFlush,
                                 Map<String, String> env) {

    public StandaloneSettings {
        if (kafkaFlush.isNegative()) {
            throw new IllegalArgumentException("REETIK_KAFKA_FLUSH_MS cannot be negative, not " + kafkaFlush.toMillis());
        }
    }

    public static StandaloneSettings fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("REETIK_DATA_DIR", "reetik-data")).toAbsolutePath().normalize();
        return new StandaloneSettings(dataDir,
                intOf(env, "SERVER_PORT", 8080),
                intOf(env, "REETIK_KAFKA_PORT", 0),
                Duration.ofMillis(intOf(env, "REETIK_KAFKA_FLUSH_MS",
                        (int) EmbeddedKafkaBroker.DEFAULT_FLUSH_INTERVAL.toMillis())),
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

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }
}
