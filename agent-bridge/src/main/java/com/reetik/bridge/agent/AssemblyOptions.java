package com.reetik.bridge.agent;

import java.util.List;

/**
 * What the assembly does beside joining the clips.
 *
 * @param narrations     each block's narration, in block order (the subtitles' text)
 * @param burnSubtitles  draw the subtitles into the picture (the picture is then encoded again)
 * @param crossfade      join the blocks with a short crossfade of picture and sound instead of a cut (the picture
 *                       is then encoded again)
 * @param version        the version of the video being assembled: its files go where {@code ObjectKeys} puts that
 *                       version (1: the seed's {@code {video_id}/final.mp4}), never over a playable version's
 */
public record AssemblyOptions(List<String> narrations, boolean burnSubtitles, boolean crossfade, int version) {

    public static final AssemblyOptions NONE = new AssemblyOptions(List.of(), false, false, 1);

    public AssemblyOptions {
        narrations = narrations == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(narrations));
        version = Math.max(1, version);
    }

    /** The first version. */
    public AssemblyOptions(List<String> narrations, boolean burnSubtitles, boolean crossfade) {
        this(narrations, burnSubtitles, crossfade, 1);
    }

    /** The same options for version {@code newVersion}. */
    public AssemblyOptions forVersion(int newVersion) {
        return new AssemblyOptions(narrations, burnSubtitles, crossfade, newVersion);
    }

    /** Cuts, with or without burned subtitles. */
    public AssemblyOptions(List<String> narrations, boolean burnSubtitles) {
        this(narrations, burnSubtitles, false);
    }
}
