package com.reetik.bridge.kafka;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What a handler writes, typed by the {@link Topic} registry and serialized with the contracts' JSON.
 * {@link #send} joins the listener container's Kafka transaction: the record commits together with the
 * input record's offset, all or nothing. {@link #sendNow} commits at once in a transaction of its own
 * (progress such as "assembly started" before a long assembly); after a crash it may be written again, so
 * it must be harmless twice.
 *
 * <p>A {@link #buffered() buffered} output keeps what {@link #send} is given until {@link #flush()}: a handler run on
 * another thread than the listener's (the tasks of one batch handled side by side) cannot join the listener's
 * transaction, which belongs to the listener's thread, so its records are handed to it afterwards, in order.
 */
public final class EventOutput {

    private record Pending(String topic, String key, byte[] value) {
    }

    private final KafkaTemplate<String, byte[]> template;
    private final List<Pending> buffer;

    public EventOutput(KafkaTemplate<String, byte[]> template) {
        this(template, null);
    }

    private EventOutput(KafkaTemplate<String, byte[]> template, List<Pending> buffer) {
        this.template = template;
        this.buffer = buffer;
    }

    /** An output whose {@link #send}s wait for {@link #flush()}; its {@link #sendNow} still commits at once. */
    public EventOutput buffered() {
        return new EventOutput(template, new ArrayList<>());
    }

    public <V> void send(Topic<String, ? super V> topic, String key, V value) {
        byte[] bytes = Json.write(value);
        if (buffer != null) {
            buffer.add(new Pending(topic.name(), key, bytes));
        } else {
            template.send(topic.name(), key, bytes);
        }
    }

    /** Sends what a buffered output kept, on the calling thread (in its transaction), and forgets it. */
    public void flush() {
        if (buffer == null) {
            return;
        }
        for (Pending pending : buffer) {
            template.send(pending.topic(), pending.key(), pending.value());
        }
        buffer.clear();
    }

    /** Like {@link #sendNow(Topic, String, Object[])} for several keys at once: one transaction, in the map's order. */
    public <V> void sendNow(Topic<String, ? super V> topic, Map<String, List<V>> valuesByKey) {
        if (valuesByKey.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        template.executeInTransaction(operations -> {
            valuesByKey.forEach((key, values) -> values.forEach(value ->
                    operations.send(topic.name(), key, Json.write(value))));
            return null;
        });
    }

    @SafeVarargs
    public final <V> void sendNow(Topic<String, ? super V> topic, String key, V... values) {
        sendNow(topic, Map.of(key, List.of(values)));
    }
}
