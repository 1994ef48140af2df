package com.reetik.gateway.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockRetried;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.status.StatusMachine;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.EventPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The live fold against the projector's own fold of the same log: a video's events at offsets 10, 20, 30, … of
 * partition 1 (other videos' events between them), the projector's view after each one being what it writes.
 */
class LiveFoldTest {

    private static final String VIDEO = "v1";
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
    private static final List<VideoEvent> EVENTS = List.of(
            new VideoRequested("e0", VIDEO, T, "u1", new VideoRequest("Les volcans", 36, "informative", "fr", "9:16"),
                    null, T, null),
            new ScriptStarted("e1", VIDEO, T.plusSeconds(1)),
            new ScriptGenerated("e2", VIDEO, T.plusSeconds(2), List.of(new ScriptBlock(1, "p1", "n1", 4),
                    new ScriptBlock(2, "p2", "n2", 4)), null),
            new BlockSubmitted("e3", VIDEO, T.plusSeconds(3), 1, 1, "op1"),
            new BlockSubmitted("e4", VIDEO, T.plusSeconds(3), 2, 1, "op2"),
            new BlockFailed("e5", VIDEO, T.plusSeconds(4), 2, 1, "agent_error", true, "503"),
            new BlockRetried("e6", VIDEO, T.plusSeconds(5), 2, 2, false),
            new BlockSubmitted("e7", VIDEO, T.plusSeconds(5), 2, 2, "op3"),
            // read again after an aborted transaction: the machine sees a duplicate and changes nothing
            new BlockSubmitted("e7", VIDEO, T.plusSeconds(5), 2, 2, "op3"),
            new BlockCompleted("e8", VIDEO, T.plusSeconds(6), 1, 1, "file:///1.mp4", 4),
            new BlockCompleted("e9", VIDEO, T.plusSeconds(7), 2, 2, "file:///2.mp4", 4),
            new AssemblyStarted("e10", VIDEO, T.plusSeconds(8)),
            new VideoCompleted("e11", VIDEO, T.plusSeconds(9), "file:///final.mp4", 8));

    /** The projector's view after the event at index i (offset 10 × (i + 1)). */
    private static final List<VideoStatus> PROJECTED = new ArrayList<>();

    static {
        VideoStatus view = null;
        for (VideoEvent event : EVENTS) {
            view = StatusMachine.apply(view, event).orElse(view);
            PROJECTED.add(view);
        }
    }

    private static long offset(int index) {
        return 10L * (index + 1);
    }

    private static EventPosition at(int index) {
        return new EventPosition(1, offset(index));
    }

    /** A fold that was given every event of partition 1 from {@code captureFrom}, the reader having started at 0. */
    private static LiveFold fold(long captureFrom, Long seenBefore) {
        return new LiveFold(new long[] {0, captureFrom}, new long[] {0, 0}, seenBefore, new long[] {-1, -1});
    }

    @Test
    void shouldMakeTheProjectorsNextViewsEventForEventVersionsIncluded() {
        // Given a fold following the video from offset 25 on, and the projector's view after the event at 20
        LiveFold fold = fold(25, offset(1));
        assertThat(fold.projected(PROJECTED.get(1), at(1))).isEmpty();

        // When every later event comes, before the projector's views of them
        List<VideoStatus> live = new ArrayList<>();
        for (int i = 2; i < EVENTS.size(); i++) {
            fold.event(1, offset(i), EVENTS.get(i)).ifPresent(live::add);
        }

        // Then the live views are the projector's, one for each event that changed the view (not the duplicate)
        List<VideoStatus> expected = PROJECTED.subList(1, PROJECTED.size()).stream().distinct().skip(1).toList();
        assertThat(live).containsExactlyElementsOf(expected);
        assertThat(live.get(live.size() - 1).status()).isEqualTo("completed");

        // And when the projector's own views come after, they agree with the fold
        for (int i = 2; i < EVENTS.size(); i++) {
            assertThat(fold.projected(PROJECTED.get(i), at(i))).isEmpty();
        }
        assertThat(fold.diverged()).isZero();
    }

    @Test
    void shouldFoldTheEventsReadBeforeItsBaseOnceTheProjectorsViewComes() {
        // Given a fold that got three events before any view of the projector
        LiveFold fold = fold(25, offset(1));
        for (int i = 2; i <= 4; i++) {
            assertThat(fold.event(1, offset(i), EVENTS.get(i))).isEmpty();
        }

        // When the projector's view after the event at 20 comes, then a newer one
        List<VideoStatus> caughtUp = fold.projected(PROJECTED.get(1), at(1));

        // Then the stream gets each view the three events make, at once (every step shown); the projector's is not newer
        assertThat(caughtUp).containsExactly(PROJECTED.get(2), PROJECTED.get(3), PROJECTED.get(4));
        assertThat(fold.projected(PROJECTED.get(3), at(3))).isEmpty();
        assertThat(fold.event(1, offset(5), EVENTS.get(5))).contains(PROJECTED.get(5));
    }

    @Test
    void shouldNotTrustABaseWhenAnEventOfTheVideoMayHaveBeenReadBeforeTheFollowBegan() {
        // Given a fold following from offset 35 whose video had an event at 30, read before the follow
        LiveFold fold = fold(35, offset(2));

        // When the projector's view is still the one after the event at 20
        assertThat(fold.projected(PROJECTED.get(1), at(1))).isEmpty();
        Optional<VideoStatus> next = fold.event(1, offset(3), EVENTS.get(3));

        // Then no live view is made from it (it would miss the script): the event waits
        assertThat(next).isEmpty();
        assertThat(fold.live()).isFalse();

        // And once the projector's view after the event at 30 comes, the waiting event is folded onto it
        assertThat(fold.projected(PROJECTED.get(2), at(2))).containsExactly(PROJECTED.get(3));
        assertThat(fold.live()).isTrue();
    }

    @Test
    void shouldNotTrustABaseFromBeforeTheReaderStarted() {
        // Given a reader that started at offset 35 and a fold following from 35
        LiveFold fold = new LiveFold(new long[] {0, 35}, new long[] {0, 35}, null, new long[] {-1, -1});

        // When the projector's latest view is the one after the event at 20
        assertThat(fold.projected(PROJECTED.get(1), at(1))).isEmpty();

        // Then it is no base (the event at 30 may be the video's, unread); one from after the start is
        assertThat(fold.live()).isFalse();
        assertThat(fold.event(1, offset(4), EVENTS.get(4))).isEmpty();
        assertThat(fold.projected(PROJECTED.get(3), at(3))).containsExactly(PROJECTED.get(4));
    }

    @Test
    void shouldKeepTheProjectorsViewWhenItDiffersFromTheFold() {
        // Given a live fold at the event at 30
        LiveFold fold = fold(25, offset(1));
        fold.projected(PROJECTED.get(1), at(1));
        fold.event(1, offset(2), EVENTS.get(2));

        // When the projector's view at that same event differs (another machine's rules)
        VideoStatus other = PROJECTED.get(2);
        VideoStatus different = new VideoStatus(other.videoId(), other.userId(), other.version(), other.status(),
                "autre chose", other.totalBlocks(), other.completedBlocks(), other.progress(), other.createdAt(),
                other.updatedAt(), other.request(), other.idempotencyKey(), other.agentVideoId(), other.blocks(),
                other.finalUrl(), other.durationS(), other.error());
        fold.projected(different, at(2));

        // Then it is counted, and the next live view follows the projector's
        assertThat(fold.diverged()).isEqualTo(1);
        assertThat(fold.event(1, offset(3), EVENTS.get(3)).orElseThrow().currentStep())
                .isEqualTo(StatusMachine.apply(different, EVENTS.get(3)).orElseThrow().currentStep());
    }
}
