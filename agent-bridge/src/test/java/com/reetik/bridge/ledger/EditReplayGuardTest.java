package com.reetik.bridge.ledger;

import static com.reetik.bridge.ledger.VideoHistory.REQUEST;
import static com.reetik.bridge.ledger.VideoHistory.SCRIPT;
import static com.reetik.bridge.ledger.VideoHistory.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.command.EditBlock;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.AssemblyTask;
import com.reetik.contracts.event.BlockEdited;
import com.reetik.contracts.event.BlockTask;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.VideoCompleted;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Editing one block of a completed video, as the bridge's ledger and guard see it: the edited block is generated
 * again once, in the edit's run and version, even by a bridge whose ledger has not folded the edit yet; nothing of
 * the previous version is done again; a cancelled edit leaves the video completed.
 */
class EditReplayGuardTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");
    private static final String EDIT = "edit-1";
    private static final ScriptBlock EDITED = new ScriptBlock(2, "p2 at night", "n2", 4);

    private static EditBlock editCommand() {
        return new EditBlock(EDIT, VIDEO, "user-1", T0, REQUEST, List.of(SCRIPT.get(0), EDITED), 2, List.of(), null,
                2, "p2", "n2");
    }

    private static BlockEdited edited() {
        return new BlockEdited("e-edit", VIDEO, T0, 2, EDITED.prompt(), EDITED.narration(), 2, "p2", "n2", EDIT);
    }

    private static BlockTask editTask() {
        return BlockTask.start(VIDEO, 2, EDITED, 1, REQUEST, null, T0, EDIT, 2);
    }

    private static AssemblyTask assembly(int version) {
        return new AssemblyTask(VIDEO, List.of("file:///c1.mp4", "file:///c2.mp4"), 9, T0, List.of(), List.of(), false,
                null, version);
    }

    @Test
    void anEditOfACompletedVideoRunsOnceAndReopensItsBlockInItsOwnRun() {
        VideoHistory history = VideoHistory.completed();
        assertThat(ReplayGuard.command(history.ledger(), editCommand()).verdict()).isEqualTo(ReplayGuard.Verdict.RUN);

        VideoLedger ledger = history.add(edited()).ledger();
        assertThat(ledger.stage()).isEqualTo(VideoLedger.Stage.BLOCKS);
        assertThat(ledger.run()).isEqualTo(EDIT);
        assertThat(ledger.version()).isEqualTo(2);
        assertThat(ledger.block(2).completed()).as("the edited block is generated again").isFalse();
        assertThat(ledger.block(1).completed()).as("the others stay completed").isTrue();
        assertThat(ReplayGuard.command(ledger, editCommand()).skip()).as("read again: handled").isTrue();
        assertThat(ReplayGuard.blockTask(ledger, editTask()).skip()).isFalse();
        assertThat(ReplayGuard.blockTask(ledger, VideoHistory.start(1, 1, VideoHistory.CREATE)).skip())
                .as("the first run's task of a block read again").isTrue();
    }

    @Test
    void theEditedBlockRunsEvenOnABridgeWhoseLedgerHasNotFoldedTheEditYet() {
        VideoLedger lagging = VideoHistory.completed().ledger();

        assertThat(ReplayGuard.blockTask(lagging, editTask()).skip()).isFalse();
        assertThat(ReplayGuard.assemblyTask(lagging, assembly(2)).skip()).isFalse();
    }

    @Test
    void thePreviousVersionIsNotAssembledAgainOnceTheEditStarted() {
        VideoHistory history = VideoHistory.completed().add(edited());

        assertThat(ReplayGuard.assemblyTask(history.ledger(), assembly(1)).skip()).isTrue();
        assertThat(ReplayGuard.assemblyTask(history.ledger(), assembly(2)).skip()).isFalse();

        history.submitted(2, 1, null).completedBlock(2, 1).add(new AssemblyStarted("a2", VIDEO, T0))
                .add(new VideoCompleted("d2", VIDEO, T0, "file:///v2/final.mp4", 8, 2));
        assertThat(history.ledger().stage()).isEqualTo(VideoLedger.Stage.COMPLETED);
        assertThat(ReplayGuard.assemblyTask(history.ledger(), assembly(2)).skip()).as("done").isTrue();
        assertThat(ReplayGuard.blockTask(history.ledger(), editTask()).skip()).as("done").isTrue();
    }

    @Test
    void aCancelledEditLeavesTheVideoCompletedAndItsTasksSkipped() {
        VideoHistory history = VideoHistory.completed().add(edited()).cancelled("cancel-1");

        assertThat(history.ledger().stage()).isEqualTo(VideoLedger.Stage.COMPLETED);
        assertThat(ReplayGuard.blockTask(history.ledger(), editTask()).skip()).isTrue();
        assertThat(ReplayGuard.command(history.ledger(), new EditBlock("edit-2", VIDEO, "user-1", T0, REQUEST,
                List.of(SCRIPT.get(0), EDITED), 2, List.of(), null, 2, "p2", "n2")).skip())
                .as("a later edit runs").isFalse();
    }

    @Test
    void aSecondEditWhileOneRunsIsSkipped() {
        VideoLedger ledger = VideoHistory.completed().add(edited()).ledger();

        assertThat(ReplayGuard.command(ledger, new EditBlock("edit-2", VIDEO, "user-1", T0, REQUEST,
                List.of(SCRIPT.get(0), EDITED), 2, List.of(), null, 2, "p2", "n2")).skip()).isTrue();
    }

    @Test
    void aCancelledOrDeletedVideoIsNotEdited() {
        assertThat(ReplayGuard.command(VideoHistory.scripted().cancelled("c").ledger(), editCommand()).skip()).isTrue();
    }
}
