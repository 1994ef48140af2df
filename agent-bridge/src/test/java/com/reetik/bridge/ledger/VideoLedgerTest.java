package com.reetik.bridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.ledger.VideoLedger.BlockLedger;
import com.reetik.bridge.ledger.VideoLedger.Stage;
import com.reetik.contracts.json.JsonSerde;
import org.junit.jupiter.api.Test;

/** The fold of a video's events into what the bridge already did. */
class VideoLedgerTest {

    @Test
    void shouldFollowAVideoFromItsRequestToItsEnd() {
        assertThat(VideoHistory.requested().ledger().stage()).isEqualTo(Stage.SCRIPT);
        assertThat(VideoHistory.scripted().ledger().stage()).isEqualTo(Stage.BLOCKS);
        VideoLedger done = VideoHistory.completed().ledger();
        assertThat(done.stage()).isEqualTo(Stage.COMPLETED);
        assertThat(done.commands()).containsExactly(VideoHistory.CREATE);
        assertThat(done.block(2)).isEqualTo(new BlockLedger(2, true, VideoHistory.CREATE, 1, true, null, null));
    }

    @Test
    void shouldStartANewRunWhenAUserRetryReopensAFailedVideo() {
        // Given a video failed at block 2, then retried by the user
        VideoLedger failed = VideoHistory.failedAtBlock2().ledger();
        assertThat(failed.stage()).isEqualTo(Stage.FAILED);
        VideoLedger retried = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1").ledger();

        // Then the retry's run is current, block 2 counts its attempts in it, block 1 stays completed
        assertThat(retried.stage()).isEqualTo(Stage.BLOCKS);
        assertThat(retried.run()).isEqualTo("retry-1");
        assertThat(retried.commands()).containsExactly(VideoHistory.CREATE, "retry-1");
        assertThat(retried.block(2)).isEqualTo(new BlockLedger(2, false, "retry-1", 1, false, null, null));
        assertThat(retried.block(1).completed()).isTrue();
    }

    @Test
    void shouldTellAUserRetryWhichAttemptComesNextAndWhichBlockIsStillInFlight() {
        // Given block 1 whose operation is running, and block 2 that failed for good at attempt 3
        VideoHistory h = VideoHistory.scripted().submitted(1, 1, "op/1").submitted(2, 1, null).failedAndRetried(2, 1)
                .submitted(2, 2, null).failedAndRetried(2, 2).submitted(2, 3, null)
                .add(new com.reetik.contracts.event.BlockFailed("e", VideoHistory.VIDEO,
                        java.time.Instant.parse("2026-02-01T20:40:00Z"), 2, 3, "quota_exceeded", false, "429"))
                .failed("block 2");
        VideoLedger failed = h.ledger();

        // Then block 1 is in flight since its operation was recorded, and block 2's next attempt is its fourth
        assertThat(failed.block(1).inFlight()).isTrue();
        assertThat(failed.block(1).submittedAt()).isNotNull();
        assertThat(failed.block(2).inFlight()).isFalse();
        assertThat(failed.block(2).nextUserAttempt()).isEqualTo(4);
        // and a block whose next attempt was queued but never sent to the agent gets that attempt, not one more
        VideoLedger queued = VideoHistory.scripted().submitted(1, 1, null).failedAndRetried(1, 1).failed("block 2")
                .ledger();
        assertThat(queued.block(1).nextUserAttempt()).isEqualTo(2);
    }

    @Test
    void shouldNotReopenACompletedOrCancelledVideo() {
        VideoLedger after = VideoHistory.completed().userRetriedBlock(2, "retry-1").cancelled("cancel-1").ledger();
        assertThat(after.stage()).isEqualTo(Stage.COMPLETED);
        assertThat(after.run()).isEqualTo(VideoHistory.CREATE);
        // (the commands are still known as handled)
        assertThat(after.handled("cancel-1")).isTrue();
    }

    @Test
    void shouldLeaveAFailedVideoFailedOnACancel() {
        assertThat(VideoHistory.failedAtBlock2().cancelled("cancel-1").ledger().stage()).isEqualTo(Stage.FAILED);
    }

    @Test
    void shouldIgnoreEventsBeforeTheVideoWasRequested() {
        VideoHistory h = VideoHistory.completed();
        assertThat(VideoLedger.apply(null, h.events().get(2))).isNull();
    }

    @Test
    void shouldReadBackWhatItWrites() {
        VideoLedger ledger = VideoHistory.failedAtBlock2().userRetriedBlock(2, "retry-1").submitted(2, 1, "op/2")
                .ledger();
        try (JsonSerde<VideoLedger> serde = new JsonSerde<>(VideoLedger.class)) {
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", ledger)))
                    .isEqualTo(ledger);
        }
    }
}
