package com.reetik.gateway.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica's libraries against a real broker, through the paths the gateway's HTTP test does not take: a
 * replica that loads summaries already on the topic (its store restored, through the same updater), restarted
 * on its own state after changes, and one started from nothing: all list the same library.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusReplicaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static KafkaProducer<String, byte[]> projector;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 3, (short) 1);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        projector = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (projector != null) {
            projector.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldListTheSameLibraryAfterARestartAndFromNothing() throws Exception {
        // Given 3,000 summaries of a user on the topic before any replica starts, and another user's
        Map<String, VideoSummary> model = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            VideoSummary summary = summary("video_" + i, T0.plusSeconds((i * 613L) % 3_000), 1, "queued", "key-" + i);
            model.put(summary.videoId(), summary);
            send("heavy", summary);
        }
        send("light", summary("theirs", T0, 1, "queued", null));
        projector.flush();

        // When a replica starts: it loads them by restoring its store
        Path state = dir.resolve("replica-a");
        try (StatusReplica replica = started("replica-it-a", state)) {
            // Then it lists them newest first
            assertListed(replica, model);
            assertThat(replica.library("heavy").videoIdOf("key-42")).contains("video_42");
            assertThat(replica.library("light").total()).isEqualTo(1);
        }

        // And when, while it is down, 10 videos move on, 5 are deleted (tombstones), 20 are new and one goes back
        for (int i = 0; i < 10; i++) {
            VideoSummary done = summary("video_" + i, model.get("video_" + i).createdAt(), 3, "completed", "key-" + i);
            model.put(done.videoId(), done);
            send("heavy", done);
        }
        send("heavy", summary("video_3", model.get("video_3").createdAt(), 2, "generating_script", "key-3"));
        for (int i = 10; i < 15; i++) {
            projector.send(new ProducerRecord<>(Topics.VIDEO_SUMMARIES.name(),
                    VideoSummary.key("heavy", "video_" + i), null));
            model.remove("video_" + i);
        }
        for (int i = 3_000; i < 3_020; i++) {
            VideoSummary summary = summary("video_" + i, T0.plusSeconds(i), 1, "queued", null);
            model.put(summary.videoId(), summary);
            send("heavy", summary);
        }
        projector.flush();

        // Then the replica restarted on its state, and one started from nothing, both list the model
        try (StatusReplica restarted = started("replica-it-a", state);
             StatusReplica fresh = started("replica-it-b", dir.resolve("replica-b"))) {
            assertListed(restarted, model);
            assertListed(fresh, model);
            assertThat(restarted.library("heavy").videoIdOf("key-12")).isEmpty();
            assertThat(restarted.library("heavy").page(0, 1).get(0).videoId()).isEqualTo("video_3019");
        }
    }

    private static StatusReplica started(String applicationId, Path state) throws InterruptedException {
        StatusReplica replica = new StatusReplica(new ReplicaSettings(broker.bootstrapServers(), applicationId, state));
        replica.start();
        assertThat(replica.awaitReady(WAIT)).as("replica %s ready", applicationId).isTrue();
        return replica;
    }

    private static void assertListed(StatusReplica replica, Map<String, VideoSummary> model) {
        List<VideoSummary> expected = model.values().stream().sorted(VideoSummary.NEWEST_FIRST).toList();
        await().atMost(WAIT).untilAsserted(() -> {
            Library library = replica.library("heavy");
            assertThat(library.total()).isEqualTo(expected.size());
            List<VideoSummary> listed = new ArrayList<>();
            for (long offset = 0; offset < expected.size(); offset += 100) {
                listed.addAll(library.page(offset, 100));
            }
            assertThat(listed).isEqualTo(expected);
        });
    }

    private static void send(String user, VideoSummary summary) {
        projector.send(new ProducerRecord<>(Topics.VIDEO_SUMMARIES.name(), VideoSummary.key(user, summary.videoId()),
                Json.write(summary)));
    }

    private static VideoSummary summary(String id, Instant createdAt, long version, String status, String key) {
        return new VideoSummary(id, "theme " + id, status, status, 0, 0, 0, createdAt, createdAt, null, null, key,
                version, 8, "fr");
    }
}
