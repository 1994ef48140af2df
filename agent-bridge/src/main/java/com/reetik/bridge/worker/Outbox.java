package com.reetik.bridge.worker;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a handler writes while it handles one record. {@link #add} records go out in the same
 * transaction as the record's offset: all or nothing. {@link #publishNow} writes progress at once in a
 * transaction of its own (e.g. "assembly started" before a long assembly); after a crash it may be
 * written again, so it must be harmless twice.
 */
public final class Outbox {

    private final KafkaProducer<String, byte[]> producer;
    private final List<ProducerRecord<String, byte[]>> pending = new ArrayList<>();

    Outbox(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    public <V> void add(Topic<String, ? super V> topic, String key, V value) {
        pending.add(new ProducerRecord<>(topic.name(), key, Json.write(value)));
    }

    @SafeVarargs
    public final <V> void publishNow(Topic<String, ? super V> topic, String key, V... values) {
        producer.beginTransaction();
        try {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, Json.write(value)));
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            TransactionalWorker.abortQuietly(producer);
            throw e;
        }
    }

    List<ProducerRecord<String, byte[]>> pending() {
        return pending;
    }
}
