package com.reetik.bridge;

import com.reetik.bridge.agent.OperationPolling;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the agent bridge, under {@code reetik.bridge} (see {@code agent-bridge.yml} for the
 * environment names).
 *
 * @param blockWorkers      {@code REETIK_BLOCK_WORKERS}: blocks generated at once by this instance (listener
 *                          threads on {@code reetik.block-tasks} and {@code reetik.block-polls}; for the local
 *                          preview, ffmpeg renders at once, see {@link #blockListeners}); unset: one per core
 *                          for the local preview, one per partition for Cloud Run and Veo
 * @param maxAttempts       {@code REETIK_MAX_ATTEMPTS}: attempts per block before the video fails
 * @param retryBackoff      wait before a block's second attempt; doubled at each further one
 * @param pollInterval      {@code REETIK_POLL_INTERVAL_MS}: how often an agent's long-running operation
 *                          (Veo, Cloud Run) is checked
 * @param operationDeadline {@code REETIK_OPERATION_DEADLINE_S}: an operation not done by then fails its block
 *                          with operation_timeout
 * @param soleInstance      set by {@code serve} and {@code generate}, whose bridge is the only one: see
 *                          {@link #blockListeners}
 * (The Cloud Run and Veo adapters take their polling from here too, {@link #operationPolling()}: they have no
 * setting of their own for it.)
 */
@ConfigurationProperties("reetik.bridge")
public record BridgeProperties(Integer blockWorkers, Integer maxAttempts, Duration retryBackoff,
                               Duration pollInterval, Duration operationDeadline, boolean soleInstance) {

    public BridgeProperties {
        // null: chosen by the agents (see #blockWorkers(boolean, int))
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
        operationDeadline = operationDeadline == null ? Duration.ofMinutes(10) : operationDeadline;
        if (blockWorkers != null && blockWorkers < 1) {
            throw new IllegalArgumentException("REETIK_BLOCK_WORKERS must be at least 1, not " + blockWorkers);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("REETIK_MAX_ATTEMPTS must be at least 1, not " + maxAttempts);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || operationDeadline.isNegative() || operationDeadline.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("REETIK_POLL_INTERVAL_MS and REETIK_OPERATION_DEADLINE_S must be positive");
        }
    }

    /** The poll interval and the operation deadline, as the adapters' blocking {@code generateClip} uses them. */
    public OperationPolling operationPolling() {
        return new OperationPolling(pollInterval, operationDeadline);
    }

    /**
     * The block listener threads of this instance: {@code REETIK_BLOCK_WORKERS} when set; else, for agents
     * whose clips are long-running operations (a thread mostly waits on an HTTP answer), one per partition
     * (more could not be used); for the local preview (ffmpeg uses the CPU), one per core.
     */
    public int blockWorkers(boolean agentsStartOperations, int partitions) {
        if (blockWorkers != null) {
            return blockWorkers;
        }
        return agentsStartOperations ? Math.max(1, partitions) : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The listener threads on {@code reetik.block-tasks}: {@link #blockWorkers}, but for the local preview of the only
     * bridge ({@code serve}, {@code generate}) one per partition at least. The blocks of a video land on partitions by
     * the hash of their keys, so with one thread per core a thread could own six of nine blocks while the other
     * idles; the renders at once are bounded by {@link #rendersAtOnce} instead (a pool's balance whatever the
     * partitions). Not with several bridges: their threads share the partitions, and the assignor would give all of
     * them to the threads of one bridge, which would then render alone.
     */
    public int blockListeners(boolean agentsStartOperations, int partitions) {
        int workers = blockWorkers(agentsStartOperations, partitions);
        return agentsStartOperations || !soleInstance ? workers : Math.max(workers, partitions);
    }

    /**
     * Clips made at once by this instance when the agents make them in the call (the local preview's ffmpeg
     * renders): {@link #blockWorkers}; 0 (no bound beyond the listener threads) for agents that start
     * operations, whose threads wait on HTTP.
     */
    public int rendersAtOnce(boolean agentsStartOperations, int partitions) {
        return agentsStartOperations ? 0 : blockWorkers(false, partitions);
    }
}
