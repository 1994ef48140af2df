package com.reetik.contracts.asyncapi;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoDeleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import java.util.List;

/**
 * One realistic event of every type of {@code reetik.video-events}, as the agent bridge writes them: with every
 * nullable field set, or with every nullable field null.
 */
public final class VideoEventSamples {

    public static final String VIDEO_ID = "les_volcans_d_islande_20260201_203648_9f3a2c";

    private static final String CREATE = "3e9b1f2a-7c4d-4e8f-a1b2-c3d4e5f6a7b8";
    private static final String RETRY = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String CANCEL = "9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f";
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48.412Z");
    private static final VideoRequest REQUEST = new VideoRequest("Les volcans d'Islande", 36, "informative", "fr",
            "9:16");
    private static final List<ScriptBlock> SCRIPT = List.of(
            new ScriptBlock(1, "Aerial view of an Icelandic volcano at dawn, vertical 9:16 framing",
                    "L'Islande compte plus de trente volcans actifs.", 8),
            new ScriptBlock(2, "A lava flow at night, close-up, vertical 9:16 framing",
                    "Leur lave façonne l'île depuis des millions d'années.", 8),
            new ScriptBlock(3, "Steam rising from a fissure, slow pan, vertical 9:16 framing",
                    "Et la terre, ici, ne dort jamais.", 4));

    private VideoEventSamples() {
    }

    /** One event of every type, every field set (nanosecond instants included). */
    public static List<VideoEvent> realistic() {
        return List.of(
                new VideoRequested("0f8e3c2a-6a4b-4bd5-9a43-3f3b8f1e2d10", VIDEO_ID, T0,
                        "7d2f4c1e-2b8a-4f0e-9c53-0a6e1f9b7c21", REQUEST, "client-key-42", T0.minusMillis(307), CREATE),
                new ScriptStarted("5b1f8e6d-3f0c-4f9e-8a7e-2d9c4b6a1e33", VIDEO_ID, T0.plusMillis(8), CREATE),
                new ScriptGenerated("9a4d2b7c-1e5f-4a3b-8c6d-7e9f0a1b2c3d", VIDEO_ID, T0.plusSeconds(7), SCRIPT,
                        "agent-vid-7781"),
                new BlockSubmitted("3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99", VIDEO_ID, T0.plusSeconds(8), 1, 1,
                        "projects/reetik/locations/us-central1/publishers/google/models/veo-3.1-generate-001"
                                + "/operations/5f0c"),
                new BlockCompleted("7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928", VIDEO_ID,
                        Instant.parse("2026-02-01T20:38:15.123456789Z"), 1, 1,
                        "gs://reetik-videos/" + VIDEO_ID + "/clips/block_1.mp4", 8.0),
                new BlockFailed("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", VIDEO_ID, T0.plusSeconds(14), 2, 1,
                        "quota_exceeded", true, "HTTP 429 RESOURCE_EXHAUSTED"),
                new BlockRetried("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", VIDEO_ID, T0.plusSeconds(14), 2, 1, true,
                        RETRY),
                new AssemblyStarted("4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a", VIDEO_ID, T0.plusSeconds(172), RETRY),
                new VideoCompleted("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", VIDEO_ID, T0.plusSeconds(190),
                        "gs://reetik-videos/" + VIDEO_ID + "/v2/final.mp4", 20.04, 2),
                new VideoFailed("6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c", VIDEO_ID, T0.plusSeconds(102),
                        "third_party_content", "block 3", "RAI support code 35561574"),
                new VideoCancelled("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", VIDEO_ID, T0.plusSeconds(22), CANCEL),
                new VideoDeleted("8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e", VIDEO_ID, T0.plusSeconds(600), "user-42",
                        CANCEL),
                new com.reetik.contracts.event.BlockEdited("9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", VIDEO_ID,
                        T0.plusSeconds(400), 3, "A lava flow at night", "La lave coule sous les étoiles.", 2,
                        "A lava flow at dusk", "La lave coule.", CANCEL));
    }

    /** One event of every type, every nullable field null (the events without one as in {@link #realistic()}). */
    public static List<VideoEvent> withNulls() {
        return List.of(
                new VideoRequested("0f8e3c2a-6a4b-4bd5-9a43-3f3b8f1e2d10", VIDEO_ID, T0,
                        "7d2f4c1e-2b8a-4f0e-9c53-0a6e1f9b7c21", new VideoRequest("Aurores boréales", 8, "humorous",
                        "en", "16:9"), null, null),
                new ScriptStarted("5b1f8e6d-3f0c-4f9e-8a7e-2d9c4b6a1e33", VIDEO_ID, T0),
                new ScriptGenerated("9a4d2b7c-1e5f-4a3b-8c6d-7e9f0a1b2c3d", VIDEO_ID, T0, SCRIPT.subList(0, 1), null),
                new BlockSubmitted("3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99", VIDEO_ID, T0, 1, 1, null),
                new BlockCompleted("7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928", VIDEO_ID, T0, 1, 3,
                        "file:///data/videos/" + VIDEO_ID + "/clips/block_1.mp4", 4),
                new BlockFailed("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", VIDEO_ID, T0, 1, 2, "default", false, null),
                new BlockRetried("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", VIDEO_ID, T0, 1, 1, true),
                new AssemblyStarted("4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a", VIDEO_ID, T0),
                new VideoCompleted("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", VIDEO_ID, T0,
                        "file:///data/videos/" + VIDEO_ID + "/final.mp4", 8),
                new VideoFailed("6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c", VIDEO_ID, T0, "assembly_failed", "assembly",
                        null),
                new VideoCancelled("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", VIDEO_ID, T0),
                new VideoDeleted("8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e", VIDEO_ID, T0, null, null),
                new com.reetik.contracts.event.BlockEdited("9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", VIDEO_ID, T0, 1,
                        null, null, 2, null, null, null));
    }
}
