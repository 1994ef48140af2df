package com.reetik.bridge.agent;

/**
 * What a script may ask for, whichever agent wrote it, checked before any clip is paid for: every block is a paid
 * generation, so a script with more blocks, or more seconds, than its target needs is refused. Veo's clips last 4 to
 * 8 s: a target of T seconds needs at most ceil(T / 4) blocks, and the blocks may pass T by less than one 8 s clip.
 */
public final class ScriptLimits {

    private ScriptLimits() {
    }

    /** The most blocks of 4 s that the target needs. */
    public static int maxBlocks(int targetDuration) {
        return (targetDuration + 3) / 4;
    }

    /** The most seconds of clips a script for this target may add up to. */
    public static int maxTotalSeconds(int targetDuration) {
        return targetDuration + 7;
    }
}
