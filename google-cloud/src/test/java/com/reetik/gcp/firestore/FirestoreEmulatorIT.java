package com.reetik.gcp.firestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FirestoreSink} with the real Firestore client against a Firestore emulator
 * ({@code gcloud emulators firestore start}); skipped unless {@code FIRESTORE_EMULATOR_HOST} is set.
 */
@Timeout(120)
class FirestoreEmulatorIT {

    static final String SKIP_REASON = "FIRESTORE_EMULATOR_HOST is not set: skipping the Firestore emulator test "
            + "(start one with `gcloud emulators firestore start` and export the variable)";
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    private Firestore firestore;
    private final String videoId = "it_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void setUp() {
        String host = System.getenv("FIRESTORE_EMULATOR_HOST");
        assumeTrue(host != null && !host.isBlank(), SKIP_REASON);
        firestore = FirestoreOptions.newBuilder()
                .setProjectId("reetik-test")
                .setEmulatorHost(host)
                .setCredentials(NoCredentials.getInstance())
                .build()
                .getService();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (firestore == null) {
            return;
        }
        try {
            firestore.collection(FirestoreDocuments.VIDEO_STATUS_COLLECTION).document(videoId).delete().get();
            firestore.collection(FirestoreDocuments.VEO_OPERATIONS_COLLECTION).document(videoId).delete().get();
        } finally {
            firestore.close();
        }
    }

    private VideoStatus view(long version, String status, int completed, String finalUrl) {
        List<BlockState> blocks = "queued".equals(status) ? List.of() : IntStream.rangeClosed(1, 9).mapToObj(i -> new BlockState(i,
                i <= completed ? BlockState.COMPLETED : i == completed + 1 ? BlockState.GENERATING : BlockState.PENDING,
                i <= completed + 1 ? 1 : 0, "prompt " + i, "narration " + i, 4,
                i <= completed ? "gs://bucket/" + videoId + "/clips/block_" + i + ".mp4" : null,
                i <= completed + 1 ? "projects/p/locations/us-central1/operations/op-" + i : null, null)).toList();
        return new VideoStatus(videoId, "user-1", version, status, "ignored", 9, completed, completed * 100 / 9, T0,
                T0.plusSeconds(version), new VideoRequest("les volcans", 36, "informative", "fr", "9:16"), null, null,
                blocks, finalUrl, finalUrl == null ? null : 36.0, null);
    }

    private DocumentSnapshot read(String collection) throws Exception {
        return firestore.collection(collection).document(videoId).get().get();
    }

    @Test
    void writesTheSeedsTwoDocumentsAndKeepsTheNewestView() throws Exception {
        // Given a sink on the emulator
        FirestoreSink sink = new FirestoreSink(firestore, Duration.ofMillis(100), Duration.ofSeconds(2));

        // When a video's views are written: queued, generating 2/9, then a batch ending with completed
        assertThat(sink.write(List.of(view(1, "queued", 0, null)))).isEqualTo(1);
        DocumentSnapshot queued = read(FirestoreDocuments.VIDEO_STATUS_COLLECTION);
        assertThat(queued.getString("status")).isEqualTo("queued");
        assertThat(queued.getString("current_step")).isEqualTo("En attente");
        assertThat(sink.write(List.of(view(2, "generating_parallel", 2, null)))).isEqualTo(1);
        assertThat(read(FirestoreDocuments.VIDEO_STATUS_COLLECTION).getString("current_step")).isEqualTo("Génération bloc 3/9");
        String finalUrl = "gs://bucket/" + videoId + "/final.mp4";
        VideoStatus completed = view(4, "completed", 9, finalUrl);
        assertThat(sink.write(List.of(view(3, "generating_parallel", 8, null), completed))).isEqualTo(1);
        // and another sink with no memory of them replays an older view
        assertThat(new FirestoreSink(firestore).write(List.of(view(2, "generating_parallel", 2, null)))).isZero();

        // Then both documents hold the completed view, field for field as in the seed
        DocumentSnapshot status = read(FirestoreDocuments.VIDEO_STATUS_COLLECTION);
        assertThat(status.getData().keySet()).containsExactlyInAnyOrderElementsOf(FirestoreDocuments.VIDEO_STATUS_FIELDS);
        assertThat(status.getData()).isEqualTo(FirestoreDocuments.videoStatus(completed));
        assertThat(status.getString("video_id")).isEqualTo(videoId);
        assertThat(status.getString("status")).isEqualTo("completed");
        assertThat(status.getString("current_step")).isEqualTo("Terminé");
        assertThat(status.getLong("total_blocks")).isEqualTo(9);
        assertThat(status.getLong("completed_blocks")).isEqualTo(9);
        assertThat(status.getString("created_at")).isEqualTo("2026-02-01T20:36:48Z");
        assertThat(status.getString("updated_at")).isEqualTo("2026-02-01T20:36:52Z");
        DocumentSnapshot veo = read(FirestoreDocuments.VEO_OPERATIONS_COLLECTION);
        assertThat(veo.getData().keySet()).containsExactlyInAnyOrderElementsOf(FirestoreDocuments.VEO_OPERATIONS_FIELDS);
        assertThat(veo.getData()).isEqualTo(FirestoreDocuments.veoOperations(completed));
        assertThat(veo.getString("final_url")).isEqualTo(finalUrl);
        assertThat((List<?>) veo.get("blocks")).hasSize(9).allSatisfy(block ->
                assertThat(((Map<?, ?>) block).keySet()).map(Object::toString).containsExactlyInAnyOrderElementsOf(FirestoreDocuments.BLOCK_FIELDS));
        assertThat((Map<?, ?>) veo.get("operations")).hasSize(9);
        assertThat((Map<?, ?>) veo.get("clips_status")).hasSize(9).allSatisfy((k, v) -> assertThat(v).isEqualTo("completed"));
    }
}
