package com.reetik.bridge.ledger;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the bridge already did for one video, folded from its events on {@code reetik.video-events} (the bridge's
 * own output, so it never waits for the projector): the stage, the commands handled, the current run (the
 * {@code CreateVideo} or the latest {@code RetryVideo} that reopened the video) and, per block, its latest attempt in
 * that run and whether that attempt ended. {@link ReplayGuard} compares a command or a task with it.
 *
 * <p>The stage follows the projector's status machine where it matters here: a video that completed or was
 * cancelled stays so; a failed one is reopened only by a user retry ({@code ScriptStarted}, {@code BlockRetried}
 * with {@code user_requested}, {@code AssemblyStarted}); a block once completed stays completed.
 *
 * @param run      the {@code command_id} of the command whose run is current; null for events written before
 *                 events carried one
 * @param commands every {@code command_id} named by the video's events, in order
 * @param blocks   the blocks that had an event, by index
 * @param version  the version of the video the current run makes: 1, or the edit's ({@code BlockEdited})
 * @param edit     whether the current run is an edit of one block ({@code BlockEdited})
 * @param playable whether a version completed ({@code VideoCompleted}): a cancelled edit returns the video to it
 */
public record VideoLedger(String videoId, Stage stage, String run, List<String> commands, List<BlockLedger> blocks,
                          int version, boolean edit, boolean playable) {

    /** Where the video is, as far as the bridge's work is concerned. */
    public enum Stage {
        /** VideoRequested, nothing after it yet. */
        REQUESTED,
        /** ScriptStarted: the script is being written. */
        SCRIPT,
        /** ScriptGenerated (or a user retry of blocks): the blocks are being generated. */
        BLOCKS,
        /** AssemblyStarted: the clips are being joined. */
        ASSEMBLY,
        COMPLETED,
        FAILED,
        CANCELLED,
        /** VideoDeleted: its objects are gone; nothing of it is made again. */
        DELETED;

        /** Completed, cancelled or deleted: nothing reopens it. */
        public boolean done() {
            return this == COMPLETED || this == CANCELLED || this == DELETED;
        }
    }

    /**
     * One block in the ledger.
     *
     * @param completed sticky: a block completed once is never generated again
     * @param run       the run its {@code attempt} belongs to (attempts count from 1 again in each run)
     * @param attempt   the latest attempt seen in that run, 0 before any
     * @param ended     whether that attempt ended (BlockCompleted or BlockFailed)
     * @param operation the agent's operation of that attempt, once recorded: its polls own it
     * @param submittedAt when that operation was recorded (its deadline counts from then); null without one
     */
    public record BlockLedger(int index, boolean completed, String run, int attempt, boolean ended, String operation,
                              Instant submittedAt) {

        static BlockLedger fresh(int index, String run) {
            return new BlockLedger(index, false, run, 0, false, null, null);
        }

        /** An attempt whose agent operation was recorded and has not ended: paid for, its polls will tell. */
        public boolean inFlight() {
            return !completed && !ended && operation != null;
        }

        /**
         * The attempt a user retry gives this block: the next one after an attempt that ended, else the attempt
         * that was due and never sent to the agent (a start skipped because the video had failed). Attempts keep
         * counting across retries, so {@code REETIK_MAX_ATTEMPTS} bounds the automatic ones for good.
         */
        public int nextUserAttempt() {
            return ended ? attempt + 1 : Math.max(attempt, 1);
        }
    }

    public VideoLedger {
        version = Math.max(1, version);
        commands = commands == null ? List.of() : List.copyOf(commands);
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    /** Whether an event of the video names this command (it was handled, at least in part). */
    public boolean handled(String commandId) {
        return commandId != null && commands.contains(commandId);
    }

    /** The block with this index, or null when none of its events was seen. */
    public BlockLedger block(int index) {
        return blocks.stream().filter(b -> b.index() == index).findFirst().orElse(null);
    }

    /**
     * The ledger after {@code event}; {@code current} null: the video is not known yet (only a VideoRequested starts
     * it; anything else before it is ignored, as the projector does). Pure: rebuilt from the log, the same ledger.
     */
    public static VideoLedger apply(VideoLedger current, VideoEvent event) {
        if (event instanceof VideoRequested requested) {
            if (current != null) {
                return current;
            }
            String command = requested.commandId();
            return new VideoLedger(requested.videoId(), Stage.REQUESTED, command,
                    command == null ? List.of() : List.of(command), List.of(), 1, false, false);
        }
        if (current == null) {
            return null;
        }
        Draft d = new Draft(current);
        d.handled(commandOf(event));
        if (event instanceof com.reetik.contracts.event.VideoDeleted) {
            // whatever it was, completed ones included: deleted is the last word
            d.stage = Stage.DELETED;
            return d.build();
        }
        if (event instanceof com.reetik.contracts.event.BlockEdited edited) {
            // a user's edit reopens a completed or failed video: the one exception to "a completed block stays
            // completed", for the edited block only, in the edit's own run
            if (d.stage == Stage.COMPLETED || d.stage == Stage.FAILED) {
                d.playable |= d.stage == Stage.COMPLETED;
                d.reopen(Stage.BLOCKS, edited.commandId());
                d.version = edited.version();
                d.edit = true;
                d.restart(edited.blockIndex());
            }
            return d.build();
        }
        if (d.stage.done()) {
            return d.build();
        }
        if (event instanceof ScriptStarted started) {
            if (d.stage == Stage.REQUESTED) {
                d.stage = Stage.SCRIPT;
            } else if (d.stage == Stage.FAILED) {
                d.reopen(Stage.SCRIPT, started.commandId());
            }
        } else if (event instanceof ScriptGenerated) {
            if (d.stage == Stage.REQUESTED || d.stage == Stage.SCRIPT) {
                d.stage = Stage.BLOCKS;
            }
        } else if (event instanceof BlockSubmitted submitted) {
            Instant at = submitted.operation() == null ? null : submitted.occurredAt();
            d.block(submitted.blockIndex(), b -> submitted.attempt() > b.attempt()
                    ? new BlockLedger(b.index(), false, b.run(), submitted.attempt(), false, submitted.operation(), at)
                    : submitted.attempt() == b.attempt() && submitted.operation() != null
                    ? new BlockLedger(b.index(), false, b.run(), b.attempt(), b.ended(), submitted.operation(), at)
                    : b);
        } else if (event instanceof BlockCompleted completed) {
            d.block(completed.blockIndex(), b -> new BlockLedger(b.index(), true, b.run(),
                    Math.max(b.attempt(), completed.attempt()), true, b.operation(), b.submittedAt()));
        } else if (event instanceof BlockFailed failed) {
            d.block(failed.blockIndex(), b -> failed.attempt() >= b.attempt()
                    ? new BlockLedger(b.index(), false, b.run(), failed.attempt(), true, b.operation(),
                            b.submittedAt())
                    : b);
        } else if (event instanceof BlockRetried retried) {
            if (retried.userRequested() && d.stage == Stage.FAILED) {
                d.reopen(Stage.BLOCKS, retried.commandId());
            }
            // a user retry's blocks belong to its run; one that did not reopen the video (a second click on
            // retry) names a run that is not current: its blocks are left alone
            if (!retried.userRequested() || Objects.equals(retried.commandId(), d.run) || retried.commandId() == null) {
                d.block(retried.blockIndex(), b -> retried.attempt() > b.attempt()
                        ? new BlockLedger(b.index(), false, b.run(), retried.attempt(), false, null, null)
                        : b);
            }
        } else if (event instanceof AssemblyStarted assembly) {
            if (d.stage == Stage.FAILED) {
                d.reopen(Stage.ASSEMBLY, assembly.commandId());
            } else if (d.stage == Stage.BLOCKS) {
                d.stage = Stage.ASSEMBLY;
            }
        } else if (event instanceof VideoCompleted) {
            if (d.stage != Stage.FAILED) {
                d.stage = Stage.COMPLETED;
                d.playable = true;
                d.edit = false;
            }
        } else if (event instanceof VideoFailed) {
            d.stage = Stage.FAILED;
        } else if (event instanceof VideoCancelled) {
            if (d.edit && d.playable) {
                // an edit cancelled, running or failed: the video is its playable version again
                d.stage = Stage.COMPLETED;
                d.edit = false;
            } else if (d.stage != Stage.FAILED) {
                d.stage = Stage.CANCELLED;
            }
        }
        return d.build();
    }

    private static String commandOf(VideoEvent event) {
        if (event instanceof ScriptStarted e) {
            return e.commandId();
        } else if (event instanceof BlockRetried e) {
            return e.commandId();
        } else if (event instanceof AssemblyStarted e) {
            return e.commandId();
        } else if (event instanceof VideoCancelled e) {
            return e.commandId();
        } else if (event instanceof com.reetik.contracts.event.VideoDeleted e) {
            return e.commandId();
        } else if (event instanceof com.reetik.contracts.event.BlockEdited e) {
            return e.commandId();
        }
        return null;
    }

    /** A mutable copy while one event is applied. */
    private static final class Draft {
        private final String videoId;
        private Stage stage;
        private String run;
        private final List<String> commands;
        private final List<BlockLedger> blocks;
        private int version;
        private boolean edit;
        private boolean playable;

        Draft(VideoLedger base) {
            videoId = base.videoId();
            stage = base.stage();
            run = base.run();
            commands = new ArrayList<>(base.commands());
            blocks = new ArrayList<>(base.blocks());
            version = base.version();
            edit = base.edit();
            playable = base.playable();
        }

        /** The edited block starts again in the current run, completed or not. */
        void restart(int index) {
            blocks.removeIf(b -> b.index() == index);
            blocks.add(BlockLedger.fresh(index, run));
            blocks.sort(Comparator.comparingInt(BlockLedger::index));
        }

        void handled(String commandId) {
            if (commandId != null && !commands.contains(commandId)) {
                commands.add(commandId);
            }
        }

        /** A user retry took the failed video up again: its command's run is current from now on. */
        void reopen(Stage next, String commandId) {
            stage = next;
            run = commandId;
        }

        /** Changes a block in the current run; a completed block stays as it is. */
        void block(int index, java.util.function.UnaryOperator<BlockLedger> change) {
            for (int i = 0; i < blocks.size(); i++) {
                BlockLedger b = blocks.get(i);
                if (b.index() == index) {
                    if (!b.completed()) {
                        BlockLedger inRun = Objects.equals(b.run(), run) ? b
                                : BlockLedger.fresh(index, run);
                        blocks.set(i, change.apply(inRun));
                    }
                    return;
                }
            }
            blocks.add(change.apply(BlockLedger.fresh(index, run)));
            blocks.sort(Comparator.comparingInt(BlockLedger::index));
        }

        VideoLedger build() {
            return new VideoLedger(videoId, stage, run, commands, blocks, version, edit, playable);
        }
    }
}
