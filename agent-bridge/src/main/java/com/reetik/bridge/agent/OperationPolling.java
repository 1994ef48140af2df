package com.reetik.bridge.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How an adapter's blocking {@link AgentPort#generateClip} waits for its long-running operation: checked every
 * {@code interval}, given up ({@code operation_timeout}) after {@code deadline} from the start. These are the
 * bridge's own knobs ({@code reetik.bridge.poll-interval} / {@code REETIK_POLL_INTERVAL_MS},
 * {@code reetik.bridge.operation-deadline} / {@code REETIK_OPERATION_DEADLINE_S}), the ones its durable polling of
 * {@code startClip} / {@code pollClip} uses: one setting per concept, none per adapter.
 *
 * @param interval how often the operation is checked
 * @param deadline the longest a clip may take, from its start
 */
public record OperationPolling(Duration interval, Duration deadline) {

    /** The bridge's defaults: every 10 s, for up to 10 min. */
    public static final OperationPolling DEFAULT = new OperationPolling(Duration.ofSeconds(10), Duration.ofMinutes(10));

    public OperationPolling {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(deadline, "deadline");
        if (interval.isZero() || interval.isNegative() || deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("the poll interval and the operation deadline must be positive, not "
                    + interval + " and " + deadline);
        }
    }
}
