package com.reetik.bridge.agent;

/**
 * Where a block's generation stands: {@link Done} with the stored clip, or {@link Pending} on an agent's
 * long-running operation that the bridge polls later (from a durable task, so a restarted bridge polls
 * the same operation instead of starting a new one).
 */
public sealed interface ClipProgress {

    record Done(Clip clip) implements ClipProgress {
    }

    /** @param operation the agent's name for the running generation, e.g. {@code projects/…/operations/…} */
    record Pending(String operation) implements ClipProgress {
    }
}
