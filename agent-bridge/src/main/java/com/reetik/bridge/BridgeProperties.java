package com.reetik.bridge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the agent bridge, under {@code reetik.bridge} (see {@code agent-bridge.yml} for the
 * environment names).
 *
 * @param blockWorkers      {@code REETIK_BLOCK_WORKERS}: blocks generated at once by this instance (listener
 *                          threads on {@code reetik.block-tasks}); default the number of cores
 * @param maxAttempts       {@code REETIK_MAX_ATTEMPTS}: attempts per block before the video fails
 * @param retryBackoff      wait before a block's second attempt; doubled at each further one
 * @param pollInterval      {@code REETIK_POLL_INTERVAL_MS}: how often an agent's long-running operation
 *                          (Veo, Cloud Run) is checked
 * @param operationDeadline {@code REETIK_OPERATION_DEADLINE_S}: an operation not done by then fails its block
 *                          with operation_timeout
 */
@ConfigurationProperties("reetik.bridge")
public record BridgeProperties(Integer blockWorkers, Integer maxAttempts, Duration retryBackoff,
                               Duration pollInterval, Duration operationDeadline) {

    public BridgeProperties {
        blockWorkers = blockWorkers == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : blockWorkers;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
        operationDeadline = operationDeadline == null ? Duration.ofMinutes(10) : operationDeadline;
        if (blockWorkers < 1) {
            throw new IllegalArgumentException("REETIK_BLOCK_WORKERS must be at least 1, not " + blockWorkers);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("REETIK_MAX_ATTEMPTS must be at least 1, not " + maxAttempts);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || operationDeadline.isNegative() || operationDeadline.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("REETIK_POLL_INTERVAL_MS and REETIK_OPERATION_DEADLINE_S must be positive");
        }
    }
}
