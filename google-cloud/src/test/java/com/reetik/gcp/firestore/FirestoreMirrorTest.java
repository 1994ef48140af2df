package com.reetik.gcp.firestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mirror with Kafka's MockConsumer and the real Firestore client on a Firestore v1 gRPC service of the test (loopback). */
@Timeout(60)
class FirestoreMirrorTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.VIDEO_STATUS.name(), 0);
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    private FakeFirestoreServer server;
    private Firestore firestore;
    private MockConsumer<String, VideoStatus> consumer;
    private FirestoreMirror mirror;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeFirestoreServer();
        firestore = server.client();
        consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        mirror = new FirestoreMirror(consumer, new FirestoreSink(firestore, Duration.ofMillis(5), Duration.ofMillis(40)),
                Duration.ofMillis(10));
    }

    @AfterEach
    void tearDown() throws Exception {
        firestore.close();
        server.close();
    }

    private static VideoStatus view(String videoId, long version, String status, int completed) {
        List<BlockState> blocks = IntStream.rangeClosed(1, 9).mapToObj(i -> new BlockState(i,
                i <= completed ? "completed" : "pending", i <= completed ? 1 : 0, "prompt " + i, "narration " + i, 4,
                i <= completed ? "gs://b/" + videoId + "/clips/block_" + i + ".mp4" : null,
                i <= completed ? "operations/op-" + i : null, null)).toList();
        return new VideoStatus(videoId, "user-1", version, status, "x", 9, completed, completed * 100 / 9, T0,
                T0.plusSeconds(version), new VideoRequest("volcans", 36, "informative", "fr", "9:16"), null, null,
                blocks, null, null, null);
    }

    private void send(VideoStatus view) {
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, offset++, view.videoId(), view));
    }

    private long committed() {
        OffsetAndMetadata meta = consumer.committed(java.util.Set.of(PARTITION)).get(PARTITION);
        return meta == null ? -1 : meta.offset();
    }

    private DocumentSnapshot read(String collection, String id) throws Exception {
        return firestore.collection(collection).document(id).get().get();
    }

    @Test
    void writesTheNewestViewOfEachVideoThenCommits() throws Exception {
        send(view("a", 1, "queued", 0));
        send(view("a", 2, "generating_parallel", 2));
        send(view("b", 1, "queued", 0));

        assertThat(mirror.pollOnce()).isEqualTo(2);

        assertThat(committed()).isEqualTo(3);
        DocumentSnapshot status = read("v2_video_status", "a");
        assertThat(status.getData().keySet()).containsExactlyInAnyOrderElementsOf(FirestoreDocuments.VIDEO_STATUS_FIELDS);
        assertThat(status.getString("status")).isEqualTo("generating_parallel");
        assertThat(status.getString("current_step")).isEqualTo("Génération bloc 3/9");
        assertThat(status.getLong("completed_blocks")).isEqualTo(2);
        assertThat(status.getString("updated_at")).isEqualTo("2026-02-01T20:36:50Z");
        DocumentSnapshot veo = read("v2_veo_operations", "a");
        assertThat(veo.getData().keySet()).containsExactlyInAnyOrderElementsOf(FirestoreDocuments.VEO_OPERATIONS_FIELDS);
        assertThat((List<?>) veo.get("blocks")).hasSize(9);
        assertThat(veo.get("operations")).isEqualTo(Map.of("1", "operations/op-1", "2", "operations/op-2"));
        assertThat(veo.get("final_url")).isNull();
        assertThat(read("v2_video_status", "b").getString("current_step")).isEqualTo("En attente");
    }

    @Test
    void deletesTheDocumentsOfADeletedVideoAndKeepsTheOthers() throws Exception {
        // Given two videos mirrored
        send(view("a", 3, "completed", 9));
        send(view("b", 3, "completed", 9));
        mirror.pollOnce();
        assertThat(read("v2_video_status", "a").exists()).isTrue();

        // When a's view is a tombstone (the user deleted it), in the same poll as a view of b
        send(view("b", 4, "completed", 9));
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, offset++, "a", null));
        mirror.pollOnce();

        // Then a's status and Veo operations documents are gone, b's are there, and the offsets are committed
        assertThat(read("v2_video_status", "a").exists()).isFalse();
        assertThat(read("v2_veo_operations", "a").exists()).isFalse();
        assertThat(read("v2_video_status", "b").exists()).isTrue();
        assertThat(read("v2_veo_operations", "b").exists()).isTrue();
        assertThat(committed()).isEqualTo(offset);
    }

    @Test
    void skipsAViewOlderThanTheLastWritten() throws Exception {
        send(view("a", 5, "ready_for_assembly", 9));
        mirror.pollOnce();
        int commits = server.commits.get();

        send(view("a", 3, "generating_parallel", 2)); // a replay
        assertThat(mirror.pollOnce()).isZero();

        assertThat(committed()).isEqualTo(2);
        assertThat(server.commits.get()).isEqualTo(commits); // not even sent
        assertThat(read("v2_video_status", "a").getString("status")).isEqualTo("ready_for_assembly");
    }

    @Test
    void firestoreGuardsAgainstAnotherInstanceReplayingOldViews() throws Exception {
        send(view("a", 5, "ready_for_assembly", 9));
        mirror.pollOnce();

        // a second instance that has no memory of version 5 (e.g. a fenced-off zombie)
        FirestoreSink other = new FirestoreSink(firestore, Duration.ofMillis(5), Duration.ofMillis(40));
        assertThat(other.write(List.of(view("a", 3, "generating_parallel", 2)))).isZero();
        assertThat(read("v2_video_status", "a").getString("status")).isEqualTo("ready_for_assembly");
        assertThat(other.write(List.of(view("a", 6, "assembling", 9)))).isEqualTo(1);
        assertThat(read("v2_video_status", "a").getString("status")).isEqualTo("assembling");
    }

    @Test
    void retriesUnavailableWithBackoffAndLosesNothing() throws Exception {
        server.commitFailures.add(Status.UNAVAILABLE);
        server.commitFailures.add(Status.UNAVAILABLE);
        server.commitFailures.add(Status.UNAVAILABLE);
        send(view("a", 1, "queued", 0));
        send(view("c", 4, "generating_parallel", 3));

        assertThat(mirror.pollOnce()).isEqualTo(2);

        assertThat(server.failedCommits.get()).isEqualTo(3);
        assertThat(committed()).isEqualTo(2);
        assertThat(read("v2_video_status", "a").getString("status")).isEqualTo("queued");
        assertThat(read("v2_video_status", "c").getString("current_step")).isEqualTo("Génération bloc 4/9");
    }

    @Test
    void aPermanentErrorCommitsNoOffset() {
        server.commitFailures.add(Status.PERMISSION_DENIED);
        send(view("a", 1, "queued", 0));

        assertThatThrownBy(mirror::pollOnce).hasStackTraceContaining("PERMISSION_DENIED");

        assertThat(committed()).isEqualTo(-1);
        assertThat(server.document("v2_video_status", "a")).isNull();
    }

    @Test
    void consumerConfigIsReadCommittedWithoutAutoCommit() {
        Map<String, Object> config = FirestoreMirror.consumerConfig("localhost:9092", FirestoreMirror.DEFAULT_GROUP_ID);
        assertThat(config).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", false);
    }
}
