package com.reetik.bridge.agent;

/**
 * A check of one block's operation ({@link AgentPort#pollClips}): the block's request and its operation; and what
 * the check found, {@link Outcome}.
 */
public record ClipCheck(ClipRequest request, String operation) {

    /** What one check found: where the clip stands, or the agent's classified failure of that block. */
    public sealed interface Outcome {
        /** The progress, or throws the block's failure. */
        ClipProgress progress() throws AgentException;
    }

    public record Checked(ClipProgress found) implements Outcome {
        @Override
        public ClipProgress progress() {
            return found;
        }
    }

    public record Failed(AgentException failure) implements Outcome {
        @Override
        public ClipProgress progress() throws AgentException {
            throw failure;
        }
    }
}
