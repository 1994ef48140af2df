package com.reetik.bridge.agent;

import java.util.List;

/**
 * What the assembly does beside joining the clips.
 *
 * @param narrations     each block's narration, in block order (the subtitles' text)
 * @param burnSubtitles  draw the subtitles into the picture (the picture is then encoded again)
 * @param crossfade      join the blocks with a short crossfade of picture and sound instead of a cut (the picture
 *                       is then encoded again)
 */
public record AssemblyOptions(List<String> narrations, boolean burnSubtitles, boolean crossfade) {

    public static final AssemblyOptions NONE = new AssemblyOptions(List.of(), false, false);

    public AssemblyOptions {
        narrations = narrations == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(narrations));
    }

    /** Cuts, with or without burned subtitles. */
    public AssemblyOptions(List<String> narrations, boolean burnSubtitles) {
        this(narrations, burnSubtitles, false);
    }
}
