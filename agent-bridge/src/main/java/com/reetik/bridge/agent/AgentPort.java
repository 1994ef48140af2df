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

    /** Joins the clips, in order, into {@code {video_id}/final.mp4}. */
    Assembled assemble(String videoId, List<String> clipUris) throws AgentException;
}
