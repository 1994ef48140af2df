package com.reetik.bridge.kafka;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topic;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * What a handler writes, typed by the {@link Topic} registry and serialized with the contracts' JSON.
 * {@link #send} joins the listener container's Kafka transaction: the record commits together with the
 * input record's offset, all or nothing. {@link #sendNow} commits at once in a transaction of its own
 * (progress such as "assembly started" before a long assembly); after a crash it may be written again, so
 * it must be harmless twice.
 */
public final class EventOutput {

    private final KafkaTemplate<String, byte[]> template;

    public EventOutput(KafkaTemplate<String, byte[]> template) {
        this.template = template;
    }

    public <V> void send(Topic<String, ? super V> topic, String key, V value) {
        template.send(topic.name(), key, Json.write(value));
    }

    @SafeVarargs
    public final <V> void sendNow(Topic<String, ? super V> topic, String key, V... values) {
        template.executeInTransaction(operations -> {
            for (V value : values) {
                operations.send(topic.name(), key, Json.write(value));
            }
            return null;
        });
    }
}
