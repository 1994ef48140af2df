package com.reetik.gcp.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.firestore.v1.Value;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mirror running on its own thread ({@link FirestoreMirror#run()}) through a 10 s Firestore outage: Kafka's
 * MockConsumer (records added by the test; its methods are synchronized) and the real Firestore client against
 * {@link FakeFirestoreServer}, which answers UNAVAILABLE to every call during the outage.
 */
@Timeout(150)
class FirestoreOutageTest {

    private static final TopicPartition PARTITION = new TopicPartition(Topics.VIDEO_STATUS.name(), 0);
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** queued (version 1), generating_parallel 0/9 .. 8/9 (versions 2..10), completed (version 11). */
    private static final int LAST_VERSION = 11;
    private static final List<String> STATUS_ORDER = List.of("queued", "generating_parallel", "completed");

    private FakeFirestoreServer server;
    private Firestore firestore;
    private MockConsumer<String, VideoStatus> consumer;
    private FirestoreMirror mirror;
    private Thread mirrorThread;
    private final AtomicReference<Throwable> mirrorFailure = new AtomicReference<>();
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeFirestoreServer();
        firestore = server.client();
        consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        // Backoff capped at 2 s (30 s in production) so that the test sees the recovery quickly.
        mirror = new FirestoreMirror(consumer, new FirestoreSink(firestore, Duration.ofMillis(100), Duration.ofSeconds(2)),
                Duration.ofMillis(20));
        mirrorThread = new Thread(() -> {
            try {
                mirror.run();
            } catch (Throwable e) {
                mirrorFailure.set(e);
            }
        }, "firestore-mirror");
        mirrorThread.setDaemon(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        mirror.close();
        mirrorThread.join(Duration.ofSeconds(10).toMillis());
        firestore.close();
        server.close();
    }

    /** Version 1 queued, 2..10 generating_parallel (version - 2) of 9 done, 11 completed with its final URL. */
    private static VideoStatus view(String videoId, int version) {
        String status = version == 1 ? "queued" : version < LAST_VERSION ? "generating_parallel" : "completed";
        int completed = version == 1 ? 0 : Math.min(version - 2, 9);
        List<BlockState> blocks = version == 1 ? List.of() : IntStream.rangeClosed(1, 9).mapToObj(i -> new BlockState(i,
                i <= completed ? BlockState.COMPLETED : i == completed + 1 ? BlockState.GENERATING : BlockState.PENDING,
                i <= completed + 1 ? 1 : 0, "prompt " + i, "narration " + i, 4,
                i <= completed ? "gs://b/" + videoId + "/clips/block_" + i + ".mp4" : null,
                i <= completed + 1 ? "operations/" + videoId + "-op-" + i : null, null)).toList();
        String finalUrl = "completed".equals(status) ? "gs://b/" + videoId + "/final.mp4" : null;
        return new VideoStatus(videoId, "user-1", version, status, "x", 9, completed, completed * 100 / 9, T0,
                T0.plusSeconds(version), new VideoRequest("volcans", 36, "informative", "fr", "9:16"), null, null,
                blocks, finalUrl, finalUrl == null ? null : 36.0, null);
    }

    private void send(VideoStatus view) {
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, offset++, view.videoId(), view));
    }

    private long committed() {
        OffsetAndMetadata meta = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return meta == null ? -1 : meta.offset();
    }

    private static String stored(com.google.firestore.v1.Document doc, String field) {
        Value value = doc == null ? null : doc.getFieldsMap().get(field);
        return value == null ? null : value.hasIntegerValue() ? Long.toString(value.getIntegerValue()) : value.getStringValue();
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(mirrorFailure.get()).as("the mirror thread failed").isNull();
            assertThat(System.nanoTime() - deadline).as("timed out waiting for: " + what).isNegative();
            Thread.sleep(50);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    @Test
    void shouldConvergeAfterAThirtySecondOutageWithoutLosingAView() throws Exception {
        // Given the mirror on its own thread has written video a's views 1..4 and committed their offsets
        // (run() subscribes; the partition is assigned and the first views added at its first poll, on its thread)
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            for (int version = 1; version <= 4; version++) {
                send(view("a", version));
            }
        });
        mirrorThread.start();
        String aAtFour = FirestoreDocuments.timestamp(view("a", 4).updatedAt());
        await("a's version 4 written and committed", Duration.ofSeconds(20), () -> committed() == 4
                && aAtFour.equals(stored(server.document(FirestoreDocuments.VIDEO_STATUS_COLLECTION, "a"), "updated_at")));
        int writtenBeforeOutage = server.commitLog.size();

        // When Firestore answers UNAVAILABLE to every call for 10 s while a walks to completed and b is queued,
        // generated block by block and completed (one view every 1.2 s, interleaved, all within the outage)
        long outageStart = System.nanoTime();
        server.outage(OUTAGE);
        List<VideoStatus> duringOutage = new ArrayList<>();
        for (int version = 1; version <= LAST_VERSION; version++) {
            if (version + 4 <= LAST_VERSION) {
                duringOutage.add(view("a", version + 4));
            }
            duringOutage.add(view("b", version));
        }
        for (int i = 0; i < duringOutage.size(); i++) {
            sleepUntil(outageStart + Duration.ofMillis(400L * i).toNanos());
            send(duringOutage.get(i));
        }
        // (still within the outage: ~7.2 s of 10) nothing was written, nothing more committed
        await("the mirror to hit the outage", Duration.ofSeconds(5), () -> server.rejectedCalls.get() > 0);
        assertThat(server.unavailable()).as("the views were all sent during the outage").isTrue();
        assertThat(committed()).isEqualTo(4);
        assertThat(server.commitLog).hasSize(writtenBeforeOutage);
        assertThat(server.document(FirestoreDocuments.VEO_OPERATIONS_COLLECTION, "b")).isNull();

        // Then after the outage both documents of both videos converge to the completed views, every offset is committed
        long records = offset;
        assertThat(records).isEqualTo(4 + 7 + 11);
        await("both videos completed in Firestore and every offset committed", Duration.ofSeconds(90), () ->
                committed() == records
                        && "completed".equals(stored(server.document(FirestoreDocuments.VIDEO_STATUS_COLLECTION, "a"), "status"))
                        && "completed".equals(stored(server.document(FirestoreDocuments.VEO_OPERATIONS_COLLECTION, "a"), "status"))
                        && "completed".equals(stored(server.document(FirestoreDocuments.VIDEO_STATUS_COLLECTION, "b"), "status"))
                        && "completed".equals(stored(server.document(FirestoreDocuments.VEO_OPERATIONS_COLLECTION, "b"), "status")));
        assertThat(System.nanoTime() - outageStart).as("converged after, not during, the outage")
                .isGreaterThanOrEqualTo(OUTAGE.toNanos());
        assertThat(server.rejectedCalls.get()).isPositive();
        assertThat(mirrorThread.isAlive()).isTrue();
        assertThat(mirrorFailure.get()).isNull();

        for (String video : List.of("a", "b")) {
            VideoStatus latest = view(video, LAST_VERSION);
            DocumentSnapshot status = firestore.collection(FirestoreDocuments.VIDEO_STATUS_COLLECTION).document(video).get().get();
            assertThat(status.getData()).as("v2_video_status/" + video).isEqualTo(FirestoreDocuments.videoStatus(latest));
            assertThat(status.getString("status")).isEqualTo("completed");
            assertThat(status.getString("current_step")).isEqualTo("Terminé");
            assertThat(status.getLong("completed_blocks")).isEqualTo(9);
            assertThat(status.getString("updated_at")).isEqualTo(FirestoreDocuments.timestamp(latest.updatedAt()));
            DocumentSnapshot veo = firestore.collection(FirestoreDocuments.VEO_OPERATIONS_COLLECTION).document(video).get().get();
            assertThat(veo.getData()).as("v2_veo_operations/" + video).isEqualTo(FirestoreDocuments.veoOperations(latest));
            assertThat(veo.getString("status")).isEqualTo("completed");
            assertThat(veo.getString("final_url")).isEqualTo("gs://b/" + video + "/final.mp4");
            assertThat(veo.getLong("completed_blocks")).isEqualTo(9);
            assertThat((Map<?, ?>) veo.get("clips_status")).hasSize(9).allSatisfy((k, v) -> assertThat(v).isEqualTo("completed"));
        }

        // and no document ever went back: per document, the written updated_at, status and completed_blocks never decrease
        Map<String, List<FakeFirestoreServer.Written>> byDocument = server.commitLog.stream().collect(
                Collectors.groupingBy(w -> w.document().getName(), LinkedHashMap::new, Collectors.toList()));
        assertThat(byDocument.keySet()).hasSize(4);
        // a status and a veo document of one video are always written together, in one commit
        Map<Long, Set<String>> documentsPerCommit = server.commitLog.stream().collect(Collectors.groupingBy(
                FakeFirestoreServer.Written::commit, Collectors.mapping(w -> w.document().getName(), Collectors.toSet())));
        assertThat(documentsPerCommit.values()).allSatisfy(names -> assertThat(names.size() % 2).isZero());
        byDocument.forEach((name, writes) -> {
            List<String> states = writes.stream().map(w -> stored(w.document(), "status") + " "
                    + stored(w.document(), "completed_blocks")).toList();
            for (int i = 1; i < writes.size(); i++) {
                FakeFirestoreServer.Written before = writes.get(i - 1);
                FakeFirestoreServer.Written after = writes.get(i);
                assertThat(after.commit()).isGreaterThan(before.commit());
                assertThat(STATUS_ORDER.indexOf(stored(after.document(), "status")))
                        .as("%s went back in status: %s", name, states)
                        .isGreaterThanOrEqualTo(STATUS_ORDER.indexOf(stored(before.document(), "status")));
                assertThat(Long.parseLong(stored(after.document(), "completed_blocks")))
                        .as("%s went back in completed_blocks: %s", name, states)
                        .isGreaterThanOrEqualTo(Long.parseLong(stored(before.document(), "completed_blocks")));
                if (name.contains(FirestoreDocuments.VIDEO_STATUS_COLLECTION + "/")) {
                    assertThat(stored(after.document(), "updated_at")).as("%s went back in updated_at", name)
                            .isGreaterThanOrEqualTo(stored(before.document(), "updated_at"));
                }
            }
            assertThat(states.get(states.size() - 1)).isEqualTo("completed 9");
        });
    }
}
