package com.reetik.bridge.worker;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a record the bridge cannot read to {@code reetik.dead-letters}, with where it came from and why. */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    public static void reject(ConsumerRecord<String, byte[]> record, String reason, Outbox out) {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        log.warn("Unreadable record at {}-{}@{} sent to dead letters: {}", record.topic(), record.partition(),
                record.offset(), reason);
        out.add(Topics.DEAD_LETTERS, record.key(), new DeadLetter(record.topic(), record.partition(),
                record.offset(), record.key(), value, reason, "agent-bridge", Instant.now()));
    }
}
