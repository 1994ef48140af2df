package com.reetik.bridge.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consume → handle → produce, exactly once: each record's output and its offset are committed in one
 * Kafka transaction, so a record whose work was committed is never handled again, and a crash repeats
 * at most the record in hand. Nothing about the work is kept in memory between records.
 */
public final class TransactionalWorker implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalWorker.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    private final String name;
    private final String topic;
    private final RecordHandler handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean running = true;

    /**
     * @param groupId         consumer group shared by every instance doing this work
     * @param transactionalId unique and stable per (instance, worker)
     * @param maxPollRecords  1 for long work (a block), more for quick records
     */
    public TransactionalWorker(String name, String bootstrapServers, String topic, String groupId,
                               String transactionalId, int maxPollRecords, RecordHandler handler) {
        this.name = name;
        this.topic = topic;
        this.handler = handler;
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-consumer");
        // Static membership: a restarted instance takes its old place in the group at once, instead of
        // waiting for the dead member's session to time out before the partitions are handed out again.
        consumerProps.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, transactionalId);
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-producer");
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                handleBatch(records);
            }
        } catch (WakeupException | InterruptException e) {
            if (running) {
                log.error("{} interrupted while running", name, e);
            }
        } catch (ProducerFencedException e) {
            log.warn("{} fenced by a newer instance with the same id; stopping", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped on an unexpected error", name, e);
        } finally {
            closeClients();
        }
    }

    private void handleBatch(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Map<TopicPartition, Long> firstUncommitted = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!running) {
                break;
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            firstUncommitted.putIfAbsent(partition, record.offset());
            Outbox out = new Outbox(producer);
            try {
                handler.handle(record, out);
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                if (!out.pending().isEmpty()) {
                    commit(out.pending(), done);
                    done.clear();
                    firstUncommitted.clear();
                }
            } catch (ProducerFencedException | InterruptedException | WakeupException | InterruptException e) {
                throw e;
            } catch (KafkaException e) {
                // Nothing of this record (nor of the uncommitted ones before it) was committed: take them
                // again after a pause. Records handled twice this way wrote nothing the first time.
                log.warn("{} could not commit record {}-{}@{}; it will be taken again: {}", name, record.topic(),
                        record.partition(), record.offset(), e.toString());
                abortQuietly(producer);
                rewind(firstUncommitted);
                Thread.sleep(ERROR_BACKOFF.toMillis());
                return;
            } catch (RuntimeException e) {
                // A bug in handling this one record: keep it in the dead letters and go on.
                log.error("{} failed on record {}-{}@{}", name, record.topic(), record.partition(), record.offset(), e);
                Outbox rejected = new Outbox(producer);
                DeadLetters.reject(record, "handler failed: " + e, rejected);
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                try {
                    commit(rejected.pending(), done);
                } catch (KafkaException k) {
                    if (k instanceof ProducerFencedException) {
                        throw k;
                    }
                    rewind(firstUncommitted);
                    return;
                }
                done.clear();
                firstUncommitted.clear();
            }
        }
        if (!done.isEmpty() && running) {
            try {
                commit(List.of(), done);
            } catch (KafkaException e) {
                if (e instanceof ProducerFencedException) {
                    throw e;
                }
                log.warn("{} could not commit offsets; the records will be read again: {}", name, e.toString());
                rewind(firstUncommitted);
            }
        }
    }

    /** Goes back to the first uncommitted record of each partition this worker still owns. */
    private void rewind(Map<TopicPartition, Long> firstUncommitted) {
        firstUncommitted.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void commit(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.beginTransaction();
        try {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            abortQuietly(producer);
            throw e;
        }
    }

    static void abortQuietly(KafkaProducer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // No transaction was open, or the producer is fenced: nothing to undo.
        }
    }

    private void closeClients() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("{} consumer close: {}", name, e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("{} producer close: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    public String name() {
        return name;
    }
}
