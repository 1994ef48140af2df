package com.reetik.bridge.ledger;

import static com.reetik.bridge.ledger.ReplayGuard.Verdict.RESUME;
import static com.reetik.bridge.ledger.ReplayGuard.Verdict.RUN;
import static com.reetik.bridge.ledger.ReplayGuard.Verdict.SKIP;
import static com.reetik.bridge.ledger.VideoHistory.CREATE;
import static com.reetik.bridge.ledger.VideoHistory.cancel;
import static com.reetik.bridge.ledger.VideoHistory.create;
import static com.reetik.bridge.ledger.VideoHistory.poll;
import static com.reetik.bridge.ledger.VideoHistory.retryAssembly;
import static com.reetik.bridge.ledger.VideoHistory.retryBlocks;
import static com.reetik.bridge.ledger.VideoHistory.retryScript;
import static com.reetik.bridge.ledger.VideoHistory.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.ledger.ReplayGuard.Decision;
import com.reetik.bridge.ledger.ReplayGuard.Verdict;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.status.VideoStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Which command, block task or ready view runs and which is skipped, for each state of its video: the ledger is
 * folded from the events the bridge writes ({@link VideoHistory}), as it is in the application.
 */
class ReplayGuardTest {

    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");

    @Nested
    class CreateVideoCommand {

        @Test
        void shouldRunForAVideoWithNoEvent() {
            assertVerdict(ReplayGuard.command(null, create()), RUN);
        }

        @Test
        void shouldResumeTheScriptWhenItWasStartedAndNotWritten() {
            // Given the bridge stopped while the script agent wrote (VideoRequested and ScriptStarted committed)
            assertVerdict(ReplayGuard.command(VideoHistory.requested().ledger(), create()), RESUME);
        }

        @Test
        void shouldSkipWhenTheVideoExistsInAnyOtherState() {
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().ledger(), create()), SKIP);
            assertVerdict(ReplayGuard.command(VideoHistory.completed().ledger(), create()), SKIP);
            assertVerdict(ReplayGuard.command(VideoHistory.failedAtBlock2().ledger(), create()), SKIP);
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().cancelled("cancel-1").ledger(), create()), SKIP);
            // a video that failed at its script does not restart either
            assertVerdict(ReplayGuard.command(VideoHistory.requested().failed("script").ledger(), create()), SKIP);
        }

        @Test
        void shouldNotResumeTheScriptOfARetryInProgress() {
            // Given a video failed at its script, retried from the script, the retry writing it
            VideoHistory h = VideoHistory.requested().failed("script")
                    .add(new ScriptStarted("e", VideoHistory.VIDEO, T0, "retry-1"));
            // Then the old CreateVideo, read again, leaves it to the retry
            assertVerdict(ReplayGuard.command(h.ledger(), create()), SKIP);
        }
    }

    @Nested
    class CancelVideoCommand {

        @Test
        void shouldRunWhileTheVideoIsNotOver() {
            assertVerdict(ReplayGuard.command(null, cancel("cancel-1")), RUN);
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().ledger(), cancel("cancel-1")), RUN);
        }

        @Test
        void shouldSkipOnceHandledOrWhenTheVideoIsOver() {
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().cancelled("cancel-1").ledger(),
                    cancel("cancel-1")), SKIP);
            assertVerdict(ReplayGuard.command(VideoHistory.completed().ledger(), cancel("cancel-1")), SKIP);
            // a failed video ignores a cancel (its view stays failed), and once handled it is not written again
            assertVerdict(ReplayGuard.command(VideoHistory.failedAtBlock2().cancelled("cancel-1").ledger(),
                    cancel("cancel-1")), SKIP);
        }
    }

    @Nested
    class RetryVideoCommand {

        @Test
        void shouldRunARetryOfAFailedVideoNotHandledYet() {
            assertVerdict(ReplayGuard.command(VideoHistory.failedAtBlock2().ledger(), retryBlocks("retry-1", 2)), RUN);
            // (and one the ledger cannot place yet: it runs, as before there was a ledger)
            assertVerdict(ReplayGuard.command(null, retryBlocks("retry-1", 2)), RUN);
        }

        @Test
        void shouldSkipARetryHandledEvenWhenTheVideoFailedAgain() {
            // Given the retry reopened the video, which then failed again
            VideoHistory h = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1").submitted(2, 1, null)
                    .add(new com.reetik.contracts.event.BlockFailed("e", VideoHistory.VIDEO, T0, 2, 1,
                            "usage_guidelines", false, "refused"))
                    .failed("block 2");
            // Then the retry, read again, does nothing; a new retry of the new failure runs
            assertVerdict(ReplayGuard.command(h.ledger(), retryBlocks("retry-1", 2)), SKIP);
            assertVerdict(ReplayGuard.command(h.ledger(), retryBlocks("retry-2", 2)), RUN);
        }

        @Test
        void shouldStartOnlyTheFirstOfTwoRetriesSentAtOnce() {
            // Given a first retry took the failed video up (two gateways each accepted one)
            VideoHistory h = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1");
            // Then the second, read after it, starts nothing: its blocks would be paid twice
            assertVerdict(ReplayGuard.command(h.ledger(), retryBlocks("retry-2", 2)), SKIP);
            // while the first run of a video whose failure the ledger does not show yet still lets a retry run
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().ledger(), retryBlocks("retry-1", 2)), RUN);
        }

        @Test
        void shouldSkipARetryOfACompletedOrCancelledVideo() {
            assertVerdict(ReplayGuard.command(VideoHistory.completed().ledger(), retryBlocks("retry-1", 2)), SKIP);
            assertVerdict(ReplayGuard.command(VideoHistory.scripted().cancelled("c").ledger(), retryScript("r")), SKIP);
        }

        @Test
        void shouldResumeARetriedScriptOrAssemblyThatDidNotEnd() {
            VideoHistory script = VideoHistory.requested().failed("script")
                    .add(new ScriptStarted("e", VideoHistory.VIDEO, T0, "retry-1"));
            assertVerdict(ReplayGuard.command(script.ledger(), retryScript("retry-1")), RESUME);

            VideoHistory assembly = VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1)
                    .submitted(2, 1, null).completedBlock(2, 1).add(new AssemblyStarted("e", VideoHistory.VIDEO, T0))
                    .failed("assembly").add(new AssemblyStarted("e2", VideoHistory.VIDEO, T0, "retry-1"));
            assertVerdict(ReplayGuard.command(assembly.ledger(), retryAssembly("retry-1")), RESUME);
            // and once the retried assembly ended, it is done
            assertVerdict(ReplayGuard.command(assembly.add(new com.reetik.contracts.event.VideoCompleted("e3",
                    VideoHistory.VIDEO, T0, "file:///f.mp4", 8)).ledger(), retryAssembly("retry-1")), SKIP);
        }
    }

    @Nested
    class BlockTasks {

        @Test
        void shouldRunATaskOfAVideoWithNoEventOrABlockWithNoAttemptYet() {
            assertVerdict(ReplayGuard.blockTask(null, start(1, 1, CREATE)), RUN);
            assertVerdict(ReplayGuard.blockTask(VideoHistory.scripted().ledger(), start(1, 1, CREATE)), RUN);
        }

        @Test
        void shouldRunAgainAnAttemptSubmittedButNotEnded() {
            // Given the bridge stopped while rendering block 1 (its BlockSubmitted committed on its own)
            VideoLedger ledger = VideoHistory.scripted().submitted(1, 1, null).ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(1, 1, CREATE)), RUN);
        }

        @Test
        void shouldSkipACompletedBlock() {
            VideoLedger ledger = VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1).ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(1, 1, CREATE)), SKIP);
        }

        @Test
        void shouldSkipEveryTaskOfACompletedOrCancelledVideo() {
            assertVerdict(ReplayGuard.blockTask(VideoHistory.completed().ledger(), start(2, 1, CREATE)), SKIP);
            VideoLedger cancelled = VideoHistory.scripted().cancelled("cancel-1").ledger();
            assertVerdict(ReplayGuard.blockTask(cancelled, start(1, 1, CREATE)), SKIP);
            assertVerdict(ReplayGuard.blockTask(cancelled, poll(1, 1, CREATE, "operations/1")), SKIP);
        }

        @Test
        void shouldSkipAnAttemptThatEndedOrWasFollowedByAnother() {
            // Given attempt 1 of block 2 failed and attempt 2 was queued (check-and-retry)
            VideoLedger ledger = VideoHistory.scripted().submitted(2, 1, null).failedAndRetried(2, 1).ledger();
            // Then attempt 1, read again, is skipped; attempt 2 runs
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, CREATE)), SKIP);
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 2, CREATE)), RUN);
        }

        @Test
        void shouldLeaveAnOperationToItsPolls() {
            // Given attempt 1 of block 1 was submitted as an operation
            VideoHistory h = VideoHistory.scripted().submitted(1, 1, "operations/1");
            // Then its start task, read again, starts nothing; its poll goes on until the block ends
            assertVerdict(ReplayGuard.blockTask(h.ledger(), start(1, 1, CREATE)), SKIP);
            assertVerdict(ReplayGuard.blockTask(h.ledger(), poll(1, 1, CREATE, "operations/1")), RUN);
            assertVerdict(ReplayGuard.blockTask(h.completedBlock(1, 1).ledger(), poll(1, 1, CREATE, "operations/1")),
                    SKIP);
        }

        @Test
        void shouldSkipTheStartsOfAFailedVideoButFinishItsPaidOperations() {
            // Given block 2 failed for good: the video failed, block 1 was completed
            VideoLedger ledger = VideoHistory.failedAtBlock2().ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, CREATE)), SKIP);
            assertVerdict(ReplayGuard.blockTask(ledger, start(1, 1, CREATE)), SKIP);
            // and a block whose operation was still running when the video failed is polled to its end
            VideoLedger threeBlocks = VideoHistory.scripted().submitted(1, 1, "operations/1").submitted(2, 1, null)
                    .add(new com.reetik.contracts.event.BlockFailed("e", VideoHistory.VIDEO, T0, 2, 1, "default",
                            false, "x"))
                    .failed("block 2").ledger();
            assertVerdict(ReplayGuard.blockTask(threeBlocks, poll(1, 1, CREATE, "operations/1")), RUN);
        }

        @Test
        void shouldRunTheTasksOfARetryAndSkipThoseOfTheRunItReplaced() {
            // Given the failed video retried: block 2 again, attempt 1 in the retry's run
            VideoLedger ledger = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1").ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, "retry-1")), RUN);
            // the first run's task of the same block and attempt, read again, is skipped
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, CREATE)), SKIP);
            // and a completed block stays completed
            assertVerdict(ReplayGuard.blockTask(ledger, start(1, 1, "retry-1")), SKIP);
        }

        @Test
        void shouldLetARetryTakeOverAnOperationInFlightInsteadOfPayingForItAgain() {
            // Given block 1's operation still running when block 2 failed the video, and a retry that adopted it
            // (what CommandHandler writes: BlockRetried of the same attempt, then BlockSubmitted naming the operation)
            VideoHistory h = VideoHistory.scripted().submitted(1, 1, "operations/1").submitted(2, 1, null)
                    .add(new com.reetik.contracts.event.BlockFailed("e", VideoHistory.VIDEO, T0, 2, 1, "default",
                            false, "x"))
                    .failed("block 2").userRetriedBlock(2, "retry-1")
                    .add(new com.reetik.contracts.event.BlockRetried("e2", VideoHistory.VIDEO, T0, 1, 1, true,
                            "retry-1"))
                    .submitted(1, 1, "operations/1");
            // Then the retry's poll of that operation runs, the first run's poll of it stops, nothing starts it again
            assertVerdict(ReplayGuard.blockTask(h.ledger(), poll(1, 1, "retry-1", "operations/1")), RUN);
            assertVerdict(ReplayGuard.blockTask(h.ledger(), poll(1, 1, CREATE, "operations/1")), SKIP);
            assertVerdict(ReplayGuard.blockTask(h.ledger(), start(1, 1, "retry-1")), SKIP);
        }

        @Test
        void shouldRunARetrysTaskTheLedgerDoesNotShowYet() {
            // Given the retry's BlockRetried not in the ledger yet (it lags the bridge's own writes)
            VideoLedger ledger = VideoHistory.failedAtBlock2().ledger();
            // Then its task runs: the ledger shows nothing of its run
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, "retry-1")), RUN);
        }

        @Test
        void shouldSkipTheTasksOfARetryOnceTheVideoFailedAgain() {
            VideoLedger ledger = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1").submitted(2, 1, null)
                    .add(new com.reetik.contracts.event.BlockFailed("e", VideoHistory.VIDEO, T0, 2, 1,
                            "usage_guidelines", false, "refused"))
                    .failed("block 2").ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, "retry-1")), SKIP);
        }

        @Test
        void shouldTreatATaskWithoutACommandAsOneOfTheCurrentRun() {
            // Tasks written before tasks named their run
            VideoLedger ledger = VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1).ledger();
            assertVerdict(ReplayGuard.blockTask(ledger, start(1, 1, null)), SKIP);
            assertVerdict(ReplayGuard.blockTask(ledger, start(2, 1, null)), RUN);
        }
    }

    @Nested
    class ReadyViews {

        @Test
        void shouldAssembleWhileTheVideoIsGeneratingOrAssembling() {
            VideoHistory h = VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1).submitted(2, 1, null)
                    .completedBlock(2, 1);
            assertVerdict(ReplayGuard.readyView(null, readyView()), RUN);
            assertVerdict(ReplayGuard.readyView(h.ledger(), readyView()), RUN);
            // the bridge stopped during the assembly (AssemblyStarted committed on its own): assembled again
            assertVerdict(ReplayGuard.readyView(h.add(new AssemblyStarted("e", VideoHistory.VIDEO, T0)).ledger(),
                    readyView()), RUN);
        }

        @Test
        void shouldSkipAViewOlderThanTheVideosEnd() {
            assertVerdict(ReplayGuard.readyView(VideoHistory.completed().ledger(), readyView()), SKIP);
            VideoHistory assembled = VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1)
                    .submitted(2, 1, null).completedBlock(2, 1).add(new AssemblyStarted("e", VideoHistory.VIDEO, T0));
            assertVerdict(ReplayGuard.readyView(assembled.failed("assembly").ledger(), readyView()), SKIP);
            assertVerdict(ReplayGuard.readyView(VideoHistory.completed().cancelled("c").ledger(), readyView()), SKIP);
        }

        private VideoStatus readyView() {
            return new VideoStatus(VideoHistory.VIDEO, "user-1", 7, "ready_for_assembly", "Préparation assemblage", 2,
                    2, 90, T0, T0, VideoHistory.REQUEST, null, null, List.of(), null, null, null);
        }
    }

    @Nested
    class AssemblyTasks {

        private final com.reetik.contracts.event.AssemblyTask task = new com.reetik.contracts.event.AssemblyTask(
                VideoHistory.VIDEO, List.of("file:///clips/block_1.mp4", "file:///clips/block_2.mp4"), 7, T0,
                List.of("Un.", "Deux."), List.of(4, 4), false, null);

        private VideoHistory blocksDone() {
            return VideoHistory.scripted().submitted(1, 1, null).completedBlock(1, 1).submitted(2, 1, null)
                    .completedBlock(2, 1);
        }

        @Test
        void shouldAssembleAVideoWhoseBlocksAreDone() {
            assertVerdict(ReplayGuard.assemblyTask(null, task), RUN);
            assertVerdict(ReplayGuard.assemblyTask(blocksDone().ledger(), task), RUN);
        }

        @Test
        void shouldResumeAnAssemblyStartedAndNotEnded() {
            // the bridge stopped in the middle: AssemblyStarted committed on its own, the task's offset did not
            assertVerdict(ReplayGuard.assemblyTask(blocksDone().add(new AssemblyStarted("e", VideoHistory.VIDEO, T0))
                    .ledger(), task), RESUME);
        }

        @Test
        void shouldSkipATaskReadAgainAfterTheVideoEnded() {
            assertVerdict(ReplayGuard.assemblyTask(VideoHistory.completed().ledger(), task), SKIP);
            assertVerdict(ReplayGuard.assemblyTask(blocksDone().add(new AssemblyStarted("e", VideoHistory.VIDEO, T0))
                    .failed("assembly").ledger(), task), SKIP);
            assertVerdict(ReplayGuard.assemblyTask(blocksDone().cancelled("c").ledger(), task), SKIP);
        }
    }

    private static void assertVerdict(Decision decision, Verdict expected) {
        assertThat(decision.verdict()).as("decision: %s (%s)", decision.verdict(), decision.reason())
                .isEqualTo(expected);
    }
}
