package com.reetik.bridge.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Handles one record; what it writes goes through the {@link Outbox}. */
@FunctionalInterface
public interface RecordHandler {

    void handle(ConsumerRecord<String, byte[]> record, Outbox out) throws InterruptedException;
}
