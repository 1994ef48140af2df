package com.reetik.contracts.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes. Declared once, in {@link Topics}; no topic name is written
 * anywhere else.
 *
 * @param compacted whether the topic is log-compacted (a view per key) rather than a delete-retention log
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
}
