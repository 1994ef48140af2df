package com.reetik.bridge.kafka;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Spring Kafka's {@link DeadLetterPublishingRecoverer}, publishing to {@code reetik.dead-letters} in the
 * {@link DeadLetter} JSON contract (where the record came from, its key and value as text, why) instead of
 * a copy of the raw record, so that operators and the projector's own dead letters read alike. It runs in
 * the listener's transaction: the dead letter and the skipped offset commit together.
 */
public final class DeadLetterRecoverer extends DeadLetterPublishingRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final Clock clock;

    public DeadLetterRecoverer(KafkaOperations<String, byte[]> template, Clock clock) {
        super(template, (record, e) -> new TopicPartition(Topics.DEAD_LETTERS.name(), -1));
        this.clock = clock;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                       Exception exception) {
        FAILURE.set(describe(exception));
        try {
            super.accept(record, consumer, exception);
        } finally {
            FAILURE.remove();
        }
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
                                                                  TopicPartition topicPartition, Headers headers,
                                                                  byte[] key, byte[] value) {
        String reason = FAILURE.get() == null ? "handler failed" : FAILURE.get();
        log.warn("Record {}-{}@{} sent to dead letters: {}", record.topic(), record.partition(), record.offset(),
                reason);
        String text = record.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : record.value() == null ? null : String.valueOf(record.value());
        String originalKey = record.key() == null ? null : String.valueOf(record.key());
        DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), originalKey, text,
                reason, "agent-bridge", clock.instant());
        return new ProducerRecord<>(topicPartition.topic(), null, originalKey, Json.write(letter));
    }

    /** Why the record in hand failed: set by {@link #accept}, read by {@link #createProducerRecord}. */
    private static final ThreadLocal<String> FAILURE = new ThreadLocal<>();

    /** The root cause, as a reader of the dead letter needs it. */
    static String describe(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause
                && cause instanceof org.springframework.kafka.listener.ListenerExecutionFailedException) {
            cause = cause.getCause();
        }
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause instanceof com.reetik.contracts.json.MalformedRecordException
                ? cause.getMessage() : "handler failed: " + cause;
    }
}
