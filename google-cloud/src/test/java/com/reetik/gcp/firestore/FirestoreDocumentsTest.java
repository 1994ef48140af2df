package com.reetik.gcp.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoError;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** Field by field against the seed's two examples (test resources seed/*.json, copied from the seed). */
@SuppressWarnings("unchecked")
class FirestoreDocumentsTest {

    private static final String VIDEO = "test_20260201_203648";
    private static final Instant CREATED = Instant.parse("2026-02-01T20:36:48.123456Z");
    private static final Instant UPDATED = Instant.parse("2026-02-01T20:38:15.987Z");
    private static final String FINAL = "gs://bucket/test_20260201_203648/final.mp4";

    private static Map<String, Object> seed(String name) throws IOException {
        try (InputStream in = FirestoreDocumentsTest.class.getResourceAsStream("/seed/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("[...]", "[]").replace("{...}", "{}"); // the seed's placeholders
            return Json.mapper().readValue(text, new TypeReference<Map<String, Object>>() { });
        }
    }

    private static VideoStatus view(long version, String status, int completed, String finalUrl, VideoError error) {
        List<BlockState> blocks = new ArrayList<>();
        IntStream.rangeClosed(1, 9).forEach(i -> {
            String state = i <= completed ? BlockState.COMPLETED : i == completed + 1 ? BlockState.GENERATING : BlockState.PENDING;
            if (error != null && i == completed + 1) {
                state = BlockState.FAILED;
            }
            blocks.add(new BlockState(i, state, i <= completed + 1 ? 1 : 0, "prompt " + i, "narration " + i, 4,
                    i <= completed ? "gs://bucket/" + VIDEO + "/clips/block_" + i + ".mp4" : null,
                    i <= completed + 1 ? "projects/p/locations/us-central1/operations/op-" + i : null,
                    error != null && i == completed + 1 ? error.code() : null));
        });
        return new VideoStatus(VIDEO, "user-1", version, status, "ignored: the API's wording", 9, completed,
                completed * 100 / 9, CREATED, UPDATED, new VideoRequest("les volcans", 36, "informative", "fr", "9:16"),
                "idem-1", "agent-1", status.equals("queued") ? List.of() : blocks, finalUrl,
                finalUrl == null ? null : 36.0, error);
    }

    private static void assertSameNumbers(Object actual, Object expected) {
        assertThat(((Number) actual).longValue()).isEqualTo(((Number) expected).longValue());
    }

    @Test
    void videoStatusMatchesTheSeedExampleFieldByField() throws IOException {
        Map<String, Object> expected = seed("v2_video_status.json");
        Map<String, Object> doc = FirestoreDocuments.videoStatus(view(7, "generating_parallel", 2, null, null));

        assertThat(doc.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(doc.keySet()).containsExactlyElementsOf(FirestoreDocuments.VIDEO_STATUS_FIELDS);
        assertThat(doc.get("video_id")).isEqualTo(expected.get("video_id"));
        assertThat(doc.get("status")).isEqualTo(expected.get("status"));
        assertThat(doc.get("current_step")).isEqualTo(expected.get("current_step")).isEqualTo("Génération bloc 3/9");
        assertSameNumbers(doc.get("total_blocks"), expected.get("total_blocks"));
        assertSameNumbers(doc.get("completed_blocks"), expected.get("completed_blocks"));
        assertThat(doc.get("created_at")).isEqualTo(expected.get("created_at")).isEqualTo("2026-02-01T20:36:48Z");
        assertThat(doc.get("updated_at")).isEqualTo(expected.get("updated_at")).isEqualTo("2026-02-01T20:38:15Z");
        assertThat(doc).doesNotContainKeys("version", "_version", "user_id", "progress", "request", "blocks");
    }

    @Test
    void veoOperationsMatchesTheSeedExampleFieldByField() throws IOException {
        Map<String, Object> expected = seed("v2_veo_operations.json");
        Map<String, Object> doc = FirestoreDocuments.veoOperations(view(12, "ready_for_assembly", 9, null, null));

        assertThat(doc.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(doc.keySet()).containsExactlyElementsOf(FirestoreDocuments.VEO_OPERATIONS_FIELDS);
        assertThat(doc.get("video_id")).isEqualTo(expected.get("video_id"));
        assertThat(doc.get("status")).isEqualTo(expected.get("status"));
        assertSameNumbers(doc.get("total_blocks"), expected.get("total_blocks"));
        assertSameNumbers(doc.get("completed_blocks"), expected.get("completed_blocks"));
        // The seed shows a final_url already at ready_for_assembly; ours stays null until completed.
        assertThat(doc.get("final_url")).isNull();
        assertThat(doc.get("blocks")).isInstanceOf(List.class);
        assertThat(doc.get("operations")).isInstanceOf(Map.class);
        assertThat(doc.get("clips_status")).isInstanceOf(Map.class);
        assertThat(expected.get("blocks")).isInstanceOf(List.class);
        assertThat(expected.get("operations")).isInstanceOf(Map.class);
        assertThat(expected.get("clips_status")).isInstanceOf(Map.class);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) doc.get("blocks");
        assertThat(blocks).hasSize(9);
        assertThat(blocks.get(0)).containsExactly(
                Map.entry("index", 1L), Map.entry("prompt", "prompt 1"), Map.entry("narration", "narration 1"),
                Map.entry("duration", 4L), Map.entry("state", "completed"),
                Map.entry("clip_uri", "gs://bucket/" + VIDEO + "/clips/block_1.mp4"));
        blocks.forEach(b -> assertThat(b.keySet()).containsExactlyElementsOf(FirestoreDocuments.BLOCK_FIELDS));
        assertThat((Map<Object, Object>) doc.get("clips_status")).hasSize(9).containsEntry("9", "completed");
        assertThat((Map<Object, Object>) doc.get("operations")).hasSize(9)
                .containsEntry("4", "projects/p/locations/us-central1/operations/op-4");
    }

    @Test
    void queued() {
        VideoStatus view = view(1, "queued", 0, null, null);
        Map<String, Object> status = FirestoreDocuments.videoStatus(view);
        assertThat(status.get("status")).isEqualTo("queued");
        assertThat(status.get("current_step")).isEqualTo("En attente");
        assertThat(status.get("completed_blocks")).isEqualTo(0L);
        Map<String, Object> veo = FirestoreDocuments.veoOperations(view);
        assertThat(veo.keySet()).containsExactlyElementsOf(FirestoreDocuments.VEO_OPERATIONS_FIELDS);
        assertThat((List<?>) veo.get("blocks")).isEmpty();
        assertThat((Map<Object, Object>) veo.get("operations")).isEmpty();
        assertThat((Map<Object, Object>) veo.get("clips_status")).isEmpty();
        assertThat(veo.get("final_url")).isNull();
    }

    @Test
    void generatingParallelUsesTheSeedWording() {
        VideoStatus view = view(7, "generating_parallel", 2, null, null);
        assertThat(FirestoreDocuments.currentStep(view)).isEqualTo("Génération bloc 3/9");
        Map<String, Object> veo = FirestoreDocuments.veoOperations(view);
        assertThat((Map<Object, Object>) veo.get("clips_status")).containsEntry("1", "completed").containsEntry("2", "completed")
                .containsEntry("3", "generating").containsEntry("4", "pending");
        // operations only where known: blocks 1 to 3
        assertThat(((Map<Object, Object>) veo.get("operations")).keySet()).containsExactly("1", "2", "3");
        assertThat(FirestoreDocuments.currentStep(view(9, "generating_parallel", 9, null, null)))
                .isEqualTo("Génération bloc 9/9");
    }

    @Test
    void readyForAssembly() {
        Map<String, Object> status = FirestoreDocuments.videoStatus(view(12, "ready_for_assembly", 9, null, null));
        assertThat(status.get("current_step")).isEqualTo("Préparation assemblage");
        assertThat(status.get("completed_blocks")).isEqualTo(9L);
    }

    @Test
    void completedCarriesTheFinalUrl() {
        VideoStatus view = view(14, "completed", 9, FINAL, null);
        assertThat(FirestoreDocuments.videoStatus(view).get("current_step")).isEqualTo("Terminé");
        Map<String, Object> veo = FirestoreDocuments.veoOperations(view);
        assertThat(veo.get("status")).isEqualTo("completed");
        assertThat(veo.get("final_url")).isEqualTo(FINAL);
    }

    @Test
    void failed() {
        VideoError error = new VideoError("quota_exceeded", "Quota API dépassé. Réessayez dans quelques minutes.",
                "block 5", "429");
        VideoStatus view = view(9, "failed", 4, null, error);
        Map<String, Object> status = FirestoreDocuments.videoStatus(view);
        assertThat(status.keySet()).containsExactlyElementsOf(FirestoreDocuments.VIDEO_STATUS_FIELDS);
        assertThat(status.get("status")).isEqualTo("failed");
        assertThat(status.get("current_step")).isEqualTo("Erreur");
        Map<String, Object> veo = FirestoreDocuments.veoOperations(view);
        assertThat(veo.keySet()).containsExactlyElementsOf(FirestoreDocuments.VEO_OPERATIONS_FIELDS);
        assertThat(veo.get("final_url")).isNull();
        assertThat((Map<Object, Object>) veo.get("clips_status")).containsEntry("5", "failed");
    }

    @Test
    void timestampsAreUtcToTheSecond() {
        assertThat(FirestoreDocuments.timestamp(Instant.parse("2026-02-01T20:36:48.999Z"))).isEqualTo("2026-02-01T20:36:48Z");
        assertThat(FirestoreDocuments.timestamp(Instant.parse("2026-02-01T20:36:00Z"))).isEqualTo("2026-02-01T20:36:00Z");
        assertThat(FirestoreDocuments.timestamp(null)).isNull();
    }
}
