package com.reetik.bridge.kafka;

import java.util.concurrent.ExecutorService;

/**
 * The pools on which the agent calls of a batch run side by side: one for the block tasks' submissions and checks
 * ({@link BlockTaskBatches}), one for the commands' scripts ({@link CommandBatches}), so that a video's script never
 * waits in line behind the submissions of the videos before it (seen: 100 videos asked for at once, their scripts
 * queued behind 900 submissions).
 *
 * @param blocks   null for the local preview, whose renders run on the listeners' threads
 * @param commands null for the local preview, whose scripts are written on the listeners' threads
 */
record AgentCalls(ExecutorService blocks, ExecutorService commands) implements AutoCloseable {

    /** The context closes it after the listeners stopped. */
    @Override
    public void close() {
        if (blocks != null) {
            blocks.shutdownNow();
        }
        if (commands != null) {
            commands.shutdownNow();
        }
    }
}
