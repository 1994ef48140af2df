package com.reetik.gateway.video;

import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoError;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import java.util.List;

/**
 * What the HTTP API shows of a view or a summary: the internal one ({@code reetik.video-status}, read by the
 * services) holds where files are ({@code file://} paths, bucket URIs), the agents' operation names (which name
 * the GCP project), the agent's video id and the raw agent or ffmpeg output of a failure. None of that is the
 * user's business, and some of it helps an attacker: the API answers the video's file as its own URL
 * ({@code /api/videos/{id}/file}), and leaves the rest out ({@code null}); the details stay in the logs and topics.
 */
final class PublicViews {

    private PublicViews() {
    }

    static String fileUrl(String videoId) {
        return "/api/videos/" + videoId + "/file";
    }

    static VideoStatus of(VideoStatus view) {
        if (view == null) {
            return null;
        }
        List<BlockState> blocks = view.blocks() == null ? null : view.blocks().stream()
                .map(b -> new BlockState(b.index(), b.state(), b.attempt(), b.prompt(), b.narration(), b.durationS(),
                        null, null, b.errorCode()))
                .toList();
        VideoError error = view.error() == null ? null
                : new VideoError(view.error().code(), view.error().message(), view.error().stage(), null);
        VideoStatus.Edit edit = view.edit() == null ? null : new VideoStatus.Edit(view.edit().version(),
                view.edit().block(), view.edit().previousPrompt(), view.edit().previousNarration(), null);
        return new VideoStatus(view.videoId(), view.userId(), view.version(), view.status(), view.currentStep(),
                view.totalBlocks(), view.completedBlocks(), view.progress(), view.createdAt(), view.updatedAt(),
                view.request(), view.idempotencyKey(), null, blocks,
                playable(view.finalUrl()) ? fileUrl(view.videoId()) : null, view.durationS(), error,
                view.finalVersion(), edit);
    }

    static VideoSummary of(VideoSummary summary) {
        return new VideoSummary(summary.videoId(), summary.theme(), summary.status(), summary.currentStep(),
                summary.progress(), summary.totalBlocks(), summary.completedBlocks(), summary.createdAt(),
                summary.updatedAt(), playable(summary.finalUrl()) ? fileUrl(summary.videoId()) : null,
                summary.durationS(), summary.idempotencyKey(), summary.version(), summary.targetDuration(),
                summary.language(), summary.finalVersion());
    }

    /**
     * A version of the video can be played: once it completed, also while an edit makes the next version and after
     * an edit failed (a first run has no final until it completes).
     */
    private static boolean playable(String finalUrl) {
        return finalUrl != null;
    }
}
