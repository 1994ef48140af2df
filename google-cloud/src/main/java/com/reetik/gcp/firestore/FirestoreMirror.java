package com.reetik.gcp.firestore;

import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors {@code reetik.video-status} into the seed's Firestore documents (and deletes those of a deleted video,
 * whose view is a tombstone): a {@code read_committed} consumer,
 * one {@link FirestoreSink#write} per poll, offsets committed only after that write succeeded (at least once;
 * a replay rewrites the same documents). A record that cannot be read is skipped with a warning (the projector
 * rewrites the video's view at its next change).
 */
public final class FirestoreMirror implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FirestoreMirror.class);
    public static final String DEFAULT_GROUP_ID = "reetik-firestore-mirror";

    private final Consumer<String, VideoStatus> consumer;
    private final FirestoreSink sink;
    private final Duration pollTimeout;
    private volatile boolean closed;

    public FirestoreMirror(Consumer<String, VideoStatus> consumer, FirestoreSink sink, Duration pollTimeout) {
        this.consumer = consumer;
        this.sink = sink;
        this.pollTimeout = pollTimeout;
    }

    /** The consumer settings: read_committed, no auto-commit, polls no larger than one Firestore commit. */
    public static Map<String, Object> consumerConfig(String bootstrapServers, String groupId) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2 * FirestoreSink.MAX_VIDEOS_PER_COMMIT,
                // Retries with backoff may hold a batch for a while: leave room before the group evicts us.
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(15).toMillis());
    }

    public static KafkaConsumer<String, VideoStatus> createConsumer(String bootstrapServers, String groupId) {
        return new KafkaConsumer<>(consumerConfig(bootstrapServers, groupId),
                Topics.VIDEO_STATUS.keySerde().deserializer(), Topics.VIDEO_STATUS.valueSerde().deserializer());
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(Topics.VIDEO_STATUS.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                sink.forgetVersions();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                sink.forgetVersions();
            }
        });
        try {
            while (!closed) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    /** One poll, one write, one commit; returns the number of videos written. */
    public int pollOnce() throws InterruptedException {
        ConsumerRecords<String, VideoStatus> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (RecordDeserializationException e) {
            LOG.warn("skipping unreadable record {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return 0;
        }
        if (records.isEmpty()) {
            return 0;
        }
        List<VideoStatus> views = new ArrayList<>(records.count());
        List<String> deleted = new ArrayList<>();
        for (ConsumerRecord<String, VideoStatus> record : records) {
            if (record.value() == null) {
                // a tombstone: the video was deleted, its documents go (after any view of it in this poll)
                if (record.key() != null) {
                    deleted.add(record.key());
                }
            } else {
                views.add(record.value());
            }
        }
        views.removeIf(v -> deleted.contains(v.videoId()));
        int written = sink.write(views);
        sink.delete(deleted);
        consumer.commitSync();
        return written;
    }

    @Override
    public void close() {
        closed = true;
        sink.stop();
        consumer.wakeup();
    }
}
