package com.reetik.bridge;

import java.time.Duration;

/**
 * Settings of the agent bridge.
 *
 * @param instanceId   stable name of this bridge instance; transactional ids derive from it, so a restarted
 *                     instance fences its crashed predecessor at once instead of waiting for a timeout
 * @param blockWorkers block tasks generated at once by this instance (one consumer each)
 * @param maxAttempts  attempts per block before the video fails (check-and-retry)
 * @param retryBackoff wait before the second attempt; doubled at each further one
 * @param pollInterval  how often an agent's long-running operation is checked (Veo: about 10 s)
 * @param operationDeadline an operation not done by then fails the block with operation_timeout
 */
public record BridgeSettings(String bootstrapServers, String instanceId, int blockWorkers, int maxAttempts,
                             Duration retryBackoff, Duration pollInterval, Duration operationDeadline) {

    public BridgeSettings {
        if (blockWorkers < 1) {
            throw new IllegalArgumentException("blockWorkers must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
