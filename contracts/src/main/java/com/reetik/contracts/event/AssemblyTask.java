package com.reetik.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.reetik.contracts.status.VideoRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A video to assemble: every block completed, its clips in block order. Keyed by {@code video_id} on
 * {@code reetik.assembly-tasks}; the agent bridge writes it when it reads the projector's view
 * {@code ready_for_assembly}, and reads it to join the clips. A topic of its own, not compacted, because the view
 * that triggers the assembly is on a compacted topic: once the video's next view ({@code assembling}) replaced it,
 * a bridge that crashed in the middle of the assembly would find nothing left to take it up again.
 *
 * <p>It names no run: the view does not carry one, and the bridge's ledger, which may lag the view, could name an
 * older run and have the task skipped for good.
 *
 * @param viewVersion the version of the view that was ready
 * @param narrations  each block's narration, in block order, for the subtitles (empty in tasks written before
 *                    subtitles existed: such a video is assembled without them)
 * @param durationsS  each block's planned duration, in block order: where the cuts are when the assembler does not
 *                    report the clips' real durations
 * @param burnedSubtitles whether the subtitles are drawn into the picture (the request's {@code subtitles: burned})
 * @param transition  the request's {@code transition}: {@code cut} or {@code fade} (absent in tasks written before
 *                    it: cut)
 * @param version     the version of the video this assembly makes: 1 (or absent) the first, more after an edit (its
 *                    files are stored apart from the playable version's)
 */
public record AssemblyTask(String videoId, List<String> clipUris, long viewVersion,
                           Instant createdAt, List<String> narrations, List<Integer> durationsS,
                           boolean burnedSubtitles, String transition, Integer version) {

    /** The first version. */
    public AssemblyTask(String videoId, List<String> clipUris, long viewVersion, Instant createdAt,
                        List<String> narrations, List<Integer> durationsS, boolean burnedSubtitles,
                        String transition) {
        this(videoId, clipUris, viewVersion, createdAt, narrations, durationsS, burnedSubtitles, transition, null);
    }

    /** The version, 1 when the task does not say. */
    public int versionOrFirst() {
        return com.reetik.contracts.status.VideoVersions.orFirst(version);
    }

    public AssemblyTask {
        clipUris = clipUris == null ? List.of() : List.copyOf(clipUris);
        narrations = narrations == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(narrations));
        durationsS = durationsS == null ? List.of() : List.copyOf(durationsS);
        transition = transition == null ? VideoRequest.TRANSITION_CUT : transition;
    }

    /** Whether the blocks are joined with a crossfade. */
    public boolean crossfade() {
        return VideoRequest.TRANSITION_FADE.equals(transition);
    }

    @JsonProperty("schema_version")
    public int schemaVersion() {
        return 1;
    }
}
