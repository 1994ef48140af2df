package com.reetik.gcp.firestore;

import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.VideoStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's two Firestore documents of a status view, field for field:
 * {@code v2_video_status/{video_id}} and {@code v2_veo_operations/{video_id}}. Pure mapping, no client.
 * The view's {@code version} is not written: it orders writes in the mirror (see docs/gcp.md).
 */
public final class FirestoreDocuments {

    public static final String VIDEO_STATUS_COLLECTION = "v2_video_status";
    public static final String VEO_OPERATIONS_COLLECTION = "v2_veo_operations";

    /** The fields of {@code v2_video_status}, in the seed's order. */
    public static final List<String> VIDEO_STATUS_FIELDS = List.of(
            "video_id", "status", "current_step", "total_blocks", "completed_blocks", "created_at", "updated_at");
    /** The fields of {@code v2_veo_operations}, in the seed's order. */
    public static final List<String> VEO_OPERATIONS_FIELDS = List.of(
            "video_id", "status", "total_blocks", "completed_blocks", "final_url", "blocks", "operations", "clips_status");
    /** The fields of one entry of {@code v2_veo_operations.blocks}. */
    public static final List<String> BLOCK_FIELDS = List.of("index", "prompt", "narration", "duration", "state", "clip_uri");

    private FirestoreDocuments() {
    }

    /** {@code v2_video_status/{video_id}}. */
    public static Map<String, Object> videoStatus(VideoStatus view) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("video_id", view.videoId());
        doc.put("status", view.status());
        doc.put("current_step", currentStep(view));
        doc.put("total_blocks", (long) view.totalBlocks());
        doc.put("completed_blocks", (long) view.completedBlocks());
        doc.put("created_at", timestamp(view.createdAt()));
        doc.put("updated_at", timestamp(view.updatedAt()));
        return Collections.unmodifiableMap(doc);
    }

    /** {@code v2_veo_operations/{video_id}}. */
    public static Map<String, Object> veoOperations(VideoStatus view) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        Map<String, Object> operations = new LinkedHashMap<>();
        Map<String, Object> clipsStatus = new LinkedHashMap<>();
        for (BlockState block : view.blocks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", (long) block.index());
            entry.put("prompt", block.prompt());
            entry.put("narration", block.narration());
            entry.put("duration", (long) block.durationS());
            entry.put("state", block.state());
            entry.put("clip_uri", block.clipUri());
            blocks.add(Collections.unmodifiableMap(entry));
            String index = Integer.toString(block.index());
            if (block.operation() != null && !block.operation().isBlank()) {
                operations.put(index, block.operation());
            }
            clipsStatus.put(index, block.state());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("video_id", view.videoId());
        doc.put("status", view.status());
        doc.put("total_blocks", (long) view.totalBlocks());
        doc.put("completed_blocks", (long) view.completedBlocks());
        // the playable version, also while an edit makes the next one
        doc.put("final_url", view.finalUrl());
        doc.put("blocks", List.copyOf(blocks));
        doc.put("operations", Collections.unmodifiableMap(operations));
        doc.put("clips_status", Collections.unmodifiableMap(clipsStatus));
        return Collections.unmodifiableMap(doc);
    }

    /**
     * The seed's wording: "Génération bloc 3/9" while 2 of 9 blocks are done (the block being made), the
     * French status message otherwise.
     */
    public static String currentStep(VideoStatus view) {
        Status status = Status.fromWire(view.status()).orElse(null);
        if (status == null) {
            return view.currentStep();
        }
        if (status == Status.GENERATING_PARALLEL) {
            int total = view.totalBlocks();
            int current = total > 0 ? Math.min(view.completedBlocks() + 1, total) : view.completedBlocks() + 1;
            return "Génération bloc " + current + "/" + total;
        }
        return status.message(Language.FR, view.completedBlocks(), view.totalBlocks());
    }

    /** ISO-8601 UTC to the second, as in the seed: {@code 2026-02-01T20:36:48Z}; null stays null. */
    public static String timestamp(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
