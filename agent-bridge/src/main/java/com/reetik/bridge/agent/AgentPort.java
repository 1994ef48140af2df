package com.reetik.bridge.agent;

import com.reetik.contracts.status.VideoRequest;
import java.util.List;

/**
 * The agents as the bridge sees them: write a script, generate one block's clip, assemble the clips.
 * Adapters: {@code local} (templates + ffmpeg, no network), {@code cloud-run}, {@code veo}.
 * Every method may block; each throws {@link AgentException} with a classified error.
 */
public interface AgentPort {

    /** The script of a video: {@code ceil(target / block)} blocks, numbered from 1. */
    Script writeScript(String videoId, VideoRequest request) throws AgentException;

    /** Generates one block's clip and stores it at {@code {video_id}/clips/block_{i}.mp4}. */
    Clip generateClip(ClipRequest request) throws AgentException;

    /**
     * Starts one block's clip. An agent that works in one call (local) answers {@link ClipProgress.Done};
     * one with long-running operations (Veo) answers {@link ClipProgress.Pending} at once, and the bridge
     * then calls {@link #pollClip} about every poll interval, from a durable task.
     */
    default ClipProgress startClip(ClipRequest request) throws AgentException {
        return new ClipProgress.Done(generateClip(request));
    }

    /**
     * Whether {@link #startClip} only submits a long-running operation and answers at once (Veo, the Cloud
     * Run video agent), rather than making the clip in the call (local). The bridge then records the
     * submission together with the operation, in one transaction, instead of announcing the start first.
     */
    default boolean startsOperations() {
        return false;
    }

    /** Checks an operation {@link #startClip} began; {@link ClipProgress.Done} once the clip is stored. */
    default ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
        throw new AgentException(com.reetik.contracts.status.ErrorCode.DEFAULT, false,
                "this agent has no operations to poll (" + operation + ")");
    }

    /**
     * Checks several operations of one video, the outcomes in the order of {@code checks}. An agent that can check
     * a video's operations in one call (the Cloud Run check agent takes them as a map) overrides it: a video's
     * blocks are submitted together, so their checks fall due together, and one call instead of one per block
     * is what the agent and the bridge pay for. By default one {@link #pollClip} each, a failure staying that block's.
     */
    default List<ClipCheck.Outcome> pollClips(List<ClipCheck> checks) {
        List<ClipCheck.Outcome> outcomes = new java.util.ArrayList<>(checks.size());
        for (ClipCheck check : checks) {
            try {
                outcomes.add(new ClipCheck.Checked(pollClip(check.request(), check.operation())));
            } catch (AgentException e) {
                outcomes.add(new ClipCheck.Failed(e));
            }
        }
        return outcomes;
    }

    /** Joins the clips, in order, into {@code {video_id}/final.mp4}. */
    Assembled assemble(String videoId, List<String> clipUris) throws AgentException;

    /**
     * Joins the clips with {@code options}; an assembler that can neither burn subtitles into the picture nor
     * crossfade (a remote one) joins them as {@link #assemble(String, List)} does: the subtitles stay files beside
     * the video, and the blocks are cut.
     */
    default Assembled assemble(String videoId, List<String> clipUris, AssemblyOptions options) throws AgentException {
        return assemble(videoId, clipUris);
    }
}
