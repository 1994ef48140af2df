package com.reetik.bridge.ledger;

import com.reetik.bridge.ledger.VideoLedger.BlockLedger;
import com.reetik.bridge.ledger.VideoLedger.Stage;
import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.RetryVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.status.VideoStatus;

/**
 * Whether a command, a block task or a ready view is work to do, or work already done that is read again (a
 * consumer group reset to the earliest offsets, offsets that expired, a rebalance after a crash). Each decision
 * compares the record with the video's {@link VideoLedger}, or null when the ledger has no event of the video.
 *
 * <p>The ledger may lag what the bridge itself just wrote (it reads {@code reetik.video-events} like any
 * consumer), never the reverse. So every rule skips only what the ledger <em>shows</em> done; whatever it does not
 * show yet runs, as it did before there was a ledger: a new video, a run the ledger has not seen start, an
 * attempt that has not ended. A started step whose outcome is missing (the bridge stopped in the middle of a
 * script or an assembly, after its progress event committed on its own) is resumed, not skipped.
 */
public final class ReplayGuard {

    /** What to do with a record. */
    public enum Verdict {
        /** Do the work. */
        RUN,
        /** The work was started (its progress event committed) but did not end: do the rest of it. */
        RESUME,
        /** The work was done (or its video was taken elsewhere since): do nothing. */
        SKIP
    }

    /** A verdict with the reason, for the log. */
    public record Decision(Verdict verdict, String reason) {

        public boolean skip() {
            return verdict == Verdict.SKIP;
        }
    }

    private ReplayGuard() {
    }

    public static Decision command(VideoLedger ledger, VideoCommand command) {
        if (command instanceof CreateVideo create) {
            return create(ledger, create);
        } else if (command instanceof CancelVideo cancel) {
            return cancel(ledger, cancel);
        } else if (command instanceof com.reetik.contracts.command.DeleteVideo delete) {
            return delete(ledger, delete);
        } else if (command instanceof com.reetik.contracts.command.EditBlock edit) {
            return edit(ledger, edit);
        }
        return retry(ledger, (RetryVideo) command);
    }

    /**
     * A DeleteVideo is skipped once handled or once the video is deleted; else it runs, whatever the video's
     * stage (a running video is cancelled as it is deleted), and even for a video the ledger does not know: what
     * storage holds of it goes all the same.
     */
    static Decision delete(VideoLedger ledger, com.reetik.contracts.command.DeleteVideo delete) {
        if (ledger != null && ledger.handled(delete.commandId())) {
            return skip("this delete was handled");
        }
        if (ledger != null && ledger.stage() == Stage.DELETED) {
            return skip("the video is deleted");
        }
        return run("the video is not deleted");
    }

    /**
     * An EditBlock is skipped once handled, when the video was cancelled or deleted, or when another edit is
     * running; else it runs. Not only when the ledger shows the video completed or failed: the gateway saw it so,
     * and a ledger that lags folds the edit in its place all the same (an edit of a video that was in fact still
     * running is ignored by the ledger and the projector alike, and its block task then skipped as a replaced run).
     */
    static Decision edit(VideoLedger ledger, com.reetik.contracts.command.EditBlock edit) {
        if (ledger == null) {
            return run("an edit of a video the ledger has not seen yet");
        }
        if (ledger.handled(edit.commandId())) {
            return skip("this edit was handled");
        }
        if (ledger.stage() == Stage.CANCELLED || ledger.stage() == Stage.DELETED) {
            return skip("the video is " + name(ledger.stage()));
        }
        if (ledger.edit() && ledger.stage() != Stage.FAILED && ledger.stage() != Stage.COMPLETED) {
            return skip("edit " + ledger.run() + " is running (" + name(ledger.stage()) + ")");
        }
        return run("an edit not handled yet");
    }

    /**
     * A CreateVideo runs when the video has no event yet; resumes the script when its run is still writing the
     * script (stopped after ScriptStarted); else the video exists, in whatever state: skipped.
     */
    static Decision create(VideoLedger ledger, CreateVideo create) {
        if (ledger == null) {
            return run("a new video");
        }
        boolean ownRun = ledger.run() == null || ledger.run().equals(create.commandId());
        if (ownRun && (ledger.stage() == Stage.REQUESTED || ledger.stage() == Stage.SCRIPT)) {
            return new Decision(Verdict.RESUME, "its script was started and not written");
        }
        return skip("the video exists (" + name(ledger.stage()) + ")");
    }

    /** A CancelVideo is skipped once handled, or when the video completed or was cancelled; else it runs. */
    static Decision cancel(VideoLedger ledger, CancelVideo cancel) {
        if (ledger != null && ledger.handled(cancel.commandId())) {
            return skip("this cancel was handled");
        }
        if (ledger != null && ledger.stage().done()) {
            return skip("the video is " + name(ledger.stage()));
        }
        return run("the video is not over");
    }

    /**
     * A RetryVideo that an event already names is skipped, unless it is the current run and its script or
     * assembly was started and did not end (then resumed); one never handled is skipped when the video completed
     * or was cancelled, or when another retry took the failed video up and it has not failed again (two retries
     * sent at once, through two gateways: only the first starts anything). Not whenever the video is not failed:
     * the ledger may not show yet the failure of the video's first run that the gateway saw, and that retry runs.
     * (Were the ledger to lag the failure of a retry's run too, the next retry would be skipped: nothing is paid
     * twice, the video stays failed and the user may retry again.)
     */
    static Decision retry(VideoLedger ledger, RetryVideo retry) {
        if (ledger != null && ledger.handled(retry.commandId())) {
            if (retry.commandId().equals(ledger.run())) {
                if (retry.script().isEmpty() && ledger.stage() == Stage.SCRIPT) {
                    return new Decision(Verdict.RESUME, "its script was started and not written");
                }
                if (!retry.script().isEmpty() && retry.blocksToRetry().isEmpty() && ledger.stage() == Stage.ASSEMBLY) {
                    return new Decision(Verdict.RESUME, "its assembly was started and did not end");
                }
            }
            return skip("this retry was handled");
        }
        if (ledger != null && ledger.stage().done()) {
            return skip("the video is " + name(ledger.stage()));
        }
        if (ledger != null && ledger.stage() != Stage.FAILED && reopenedByRetry(ledger)) {
            return skip("retry " + ledger.run() + " took the video up (" + name(ledger.stage()) + ")");
        }
        return run("a retry not handled yet");
    }

    /** Whether the current run is a user retry's (not the run of the command that created the video). */
    private static boolean reopenedByRetry(VideoLedger ledger) {
        return ledger.run() != null && !ledger.commands().isEmpty() && !ledger.run().equals(ledger.commands().get(0));
    }

    /**
     * A block task (a start, or a poll of an operation) is skipped when its video completed or was cancelled, its
     * block completed, or its run was replaced by a later retry; within the current run, when a start's video
     * failed (a retry generates again every block not completed), its attempt was superseded or ended, or (a start)
     * its attempt's operation was recorded (the polls own it). A poll of a failed video goes on: the generation
     * is paid for, and a retry then finds the block completed.
     */
    public static Decision blockTask(VideoLedger ledger, BlockTask task) {
        if (ledger == null) {
            return run("no event of the video seen yet");
        }
        if (ledger.stage() == Stage.CANCELLED || ledger.stage() == Stage.DELETED) {
            return skip("the video is " + name(ledger.stage()));
        }
        String run = task.commandId();
        if (run != null && !ledger.handled(run)) {
            // a retry's or an edit's run that the ledger has not folded yet: an edit's block was completed before
            return run("its run has just started");
        }
        if (ledger.stage().done()) {
            return skip("the video is " + name(ledger.stage()));
        }
        BlockLedger block = ledger.block(task.block().index());
        if (block != null && block.completed()) {
            return skip("the block is completed");
        }
        if (run != null && !run.equals(ledger.run())) {
            // a run the ledger knows but is not current was replaced; one it does not know has just started
            return ledger.handled(run) ? skip("a later retry replaced its run") : run("its run has just started");
        }
        boolean start = task.operation() == null;
        if (ledger.stage() == Stage.FAILED && start) {
            return skip("the video failed (a retry generates the blocks not completed)");
        }
        if (block == null || !java.util.Objects.equals(block.run(), ledger.run()) || block.attempt() == 0) {
            return run("no attempt of the block in this run yet");
        }
        if (task.attempt() < block.attempt()) {
            return skip("attempt " + task.attempt() + " was followed by attempt " + block.attempt());
        }
        if (task.attempt() == block.attempt() && block.ended()) {
            return skip("attempt " + task.attempt() + " ended");
        }
        if (start && task.attempt() == block.attempt() && block.operation() != null) {
            return skip("attempt " + task.attempt() + " was submitted as " + block.operation());
        }
        return run("attempt " + task.attempt() + " has not ended");
    }

    /**
     * A view ready for assembly is assembled unless the video completed, failed or was cancelled since (the view
     * is older than the video's events). An assembly started and not ended is done again.
     */
    public static Decision readyView(VideoLedger ledger, VideoStatus view) {
        Decision byVersion = ledger == null ? null : byVersion(ledger, view.workingVersion());
        if (byVersion != null) {
            return byVersion;
        }
        if (ledger != null && (ledger.stage().done() || ledger.stage() == Stage.FAILED)) {
            return skip("the video is " + name(ledger.stage()) + " (view version " + view.version() + ")");
        }
        return run("every block is completed");
    }

    /**
     * An assembly task is skipped when its video completed, failed or was cancelled since; resumed when the assembly was started and did not end (the bridge stopped in the middle:
     * AssemblyStarted is committed, VideoCompleted is not); else it runs.
     */
    public static Decision assemblyTask(VideoLedger ledger, com.reetik.contracts.event.AssemblyTask task) {
        if (ledger == null) {
            return run("no event of the video seen yet");
        }
        Decision byVersion = byVersion(ledger, task.versionOrFirst());
        if (byVersion != null) {
            return byVersion;
        }
        if (ledger.stage().done() || ledger.stage() == Stage.FAILED) {
            return skip("the video is " + name(ledger.stage()));
        }
        if (ledger.stage() == Stage.ASSEMBLY) {
            return new Decision(Verdict.RESUME, "its assembly was started and did not end");
        }
        return run("every block is completed");
    }

    /**
     * An assembly of {@code version} against the ledger's current version: an older one was followed by an edit
     * (skipped); a newer one is an edit the ledger has not folded yet (run, unless the video was cancelled or
     * deleted); the same one: null, the stage decides.
     */
    private static Decision byVersion(VideoLedger ledger, int version) {
        if (version < ledger.version()) {
            return skip("version " + version + " was followed by an edit (version " + ledger.version() + ")");
        }
        if (version > ledger.version() && ledger.stage() != Stage.CANCELLED && ledger.stage() != Stage.DELETED) {
            return run("an edit the ledger has not folded yet (version " + version + ")");
        }
        return null;
    }

    private static Decision run(String reason) {
        return new Decision(Verdict.RUN, reason);
    }

    private static Decision skip(String reason) {
        return new Decision(Verdict.SKIP, reason);
    }

    private static String name(Stage stage) {
        return stage.name().toLowerCase(java.util.Locale.ROOT);
    }
}
