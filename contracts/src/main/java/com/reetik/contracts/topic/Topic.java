package com.reetik.contracts.topic;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes. Declared once, in {@link Topics}; no topic name is written
 * anywhere else.
 *
 * @param compacted whether the topic is log-compacted (a view per key) rather than a delete-retention log
 * @param retention for a delete-retention log, how long its records are kept ({@code retention.ms}); null:
 *                  forever ({@code -1}). Always null for a compacted topic (it keeps each key's latest record).
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted,
                          Duration retention) {

    public Topic {
        if (compacted && retention != null) {
            throw new IllegalArgumentException(name + ": a compacted topic keeps every key; it has no retention");
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException(name + ": retention must be positive, or null for forever");
        }
    }
}
