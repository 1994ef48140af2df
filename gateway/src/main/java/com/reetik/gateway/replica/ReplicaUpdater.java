package com.reetik.gateway.replica;

import java.util.function.BiPredicate;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one global store of the replica up to date and tells listeners of each change (with the record's headers;
 * a deletion as a null value). A record that is not newer than what the store holds (by {@code newer}) is dropped,
 * so a view never goes back.
 */
final class ReplicaUpdater<V> implements Processor<String, V, Void, Void> {

    private final String storeName;
    private final BiPredicate<V, V> newer;
    private final Listener<V> listener;
    private KeyValueStore<String, V> store;

    ReplicaUpdater(String storeName, BiPredicate<V, V> newer, Listener<V> listener) {
        this.storeName = storeName;
        this.newer = newer;
        this.listener = listener;
    }

    /** Told of each change the store takes: the new value, or null for a key deleted. */
    @FunctionalInterface
    interface Listener<V> {
        void changed(String key, V value, Headers headers);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            if (store.delete(record.key()) != null) {
                listener.changed(record.key(), null, record.headers());
            }
            return;
        }
        V current = store.get(record.key());
        if (current == null || newer.test(record.value(), current)) {
            store.put(record.key(), record.value());
            listener.changed(record.key(), record.value(), record.headers());
        }
    }
}
