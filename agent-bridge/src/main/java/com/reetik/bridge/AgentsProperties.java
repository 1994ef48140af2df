package com.reetik.bridge;

import com.reetik.bridge.local.PreviewResolution;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which agents make the videos, under {@code reetik.agents}.
 *
 * @param kind       {@code REETIK_AGENTS}: {@code local} (local preview: templates and ffmpeg, no network, no
 *                   AI), {@code cloud-run} (the four Cloud Run agents) or {@code veo} (Veo 3.1 + Gemini)
 * @param ffmpegPath {@code FFMPEG_PATH}: another ffmpeg binary; none: the static ffmpeg bundled from Maven
 *                   Central, extracted under {@code {REETIK_DATA_DIR}/bin}
 * @param local      the local preview's settings
 */
@ConfigurationProperties("reetik.agents")
public record AgentsProperties(String kind, Path ffmpegPath, Local local) {

    public static final List<String> KINDS = List.of("local", "cloud-run", "veo");

    public AgentsProperties {
        kind = kind == null || kind.isBlank() ? "local" : kind.trim();
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("REETIK_AGENTS must be local, cloud-run or veo, not '" + kind + "'");
        }
        ffmpegPath = ffmpegPath == null || ffmpegPath.toString().isBlank() ? null : ffmpegPath;
        local = local == null ? new Local(4, 0.0, null) : local;
    }

    /**
     * @param blockSeconds {@code REETIK_BLOCK_SECONDS}: block length of the local script (4, 6 or 8, as Veo allows)
     * @param failureRate  {@code REETIK_LOCAL_FAILURE_RATE}: share of local clips that fail with a retryable
     *                     error, to exercise check-and-retry
     * @param resolution   {@code REETIK_LOCAL_RESOLUTION}: {@code 720p} (default) or {@code 360p}, a quicker draft
     */
    public record Local(int blockSeconds, double failureRate, String resolution) {

        public Local {
            resolution = PreviewResolution.parse(resolution).wireName();
            if (blockSeconds != 4 && blockSeconds != 6 && blockSeconds != 8) {
                throw new IllegalArgumentException("REETIK_BLOCK_SECONDS must be 4, 6 or 8, not " + blockSeconds);
            }
            if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
                throw new IllegalArgumentException("REETIK_LOCAL_FAILURE_RATE must be between 0 and 1, not " + failureRate);
            }
        }

        /** The frame size the local clips are drawn at. */
        public PreviewResolution previewResolution() {
            return PreviewResolution.parse(resolution);
        }
    }
}
