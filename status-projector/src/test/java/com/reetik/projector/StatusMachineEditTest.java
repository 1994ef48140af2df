package com.reetik.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockEdited;
import com.reetik.contracts.event.BlockFailed;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoFailed;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.StatusMachine;
import com.reetik.contracts.status.VideoStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing one block of a completed video, as the status view shows it (issue 13, item 1). */
class StatusMachineEditTest {

    private static final String VIDEO = "volcans_20260201_203648_9f3a2c";
    private static final Instant T0 = Instant.parse("2026-02-01T20:36:48Z");
    private static final String V1 = "file:///data/" + VIDEO + "/final.mp4";
    private static final String V2 = "file:///data/" + VIDEO + "/v2/final.mp4";
    private int seconds;

    private VideoStatus view;

    private void apply(VideoEvent event) {
        view = StatusMachine.apply(view, event).orElse(view);
    }

    private Instant next() {
        return T0.plusSeconds(++seconds);
    }

    private void completedVideo() {
        apply(new VideoRequested("e1", VIDEO, next(), "u1",
                new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16"), null, T0, "create"));
        apply(new ScriptStarted("e2", VIDEO, next(), "create"));
        apply(new ScriptGenerated("e3", VIDEO, next(), List.of(new ScriptBlock(1, "A crater", "Un cratère.", 4),
                new ScriptBlock(2, "A lava flow at dusk", "La lave coule.", 4)), null));
        for (int block = 1; block <= 2; block++) {
            apply(new BlockSubmitted("s" + block, VIDEO, next(), block, 1, null));
            apply(new BlockCompleted("c" + block, VIDEO, next(), block, 1, "file:///data/" + VIDEO
                    + "/clips/block_" + block + ".mp4", 4.0));
        }
        apply(new AssemblyStarted("a1", VIDEO, next()));
        apply(new VideoCompleted("done1", VIDEO, next(), V1, 8.0));
        assertThat(view.status()).isEqualTo("completed");
        assertThat(view.finalVersion()).isEqualTo(1);
    }

    private BlockState block(int index) {
        return view.blocks().stream().filter(b -> b.index() == index).findFirst().orElseThrow();
    }

    private void edit(String eventId) {
        apply(new BlockEdited(eventId, VIDEO, next(), 2, "A lava flow at night", "La lave coule la nuit.", 2,
                "A lava flow at dusk", "La lave coule.", "edit-" + eventId));
    }

    @Test
    void anEditRegeneratesOnlyItsBlockWhileThePreviousVersionStaysPlayableThenCompletesAsVersionTwo() {
        completedVideo();
        edit("edit1");

        assertThat(view.status()).isEqualTo("generating_parallel");
        assertThat(view.finalUrl()).as("the previous version plays during the edit").isEqualTo(V1);
        assertThat(view.finalVersion()).isEqualTo(1);
        assertThat(view.edit()).isEqualTo(new VideoStatus.Edit(2, 2, "A lava flow at dusk", "La lave coule.",
                "file:///data/" + VIDEO + "/clips/block_2.mp4"));
        assertThat(block(1).state()).isEqualTo(BlockState.COMPLETED);
        assertThat(block(2).state()).isEqualTo(BlockState.PENDING);
        assertThat(block(2).prompt()).isEqualTo("A lava flow at night");
        assertThat(view.completedBlocks()).isEqualTo(1);

        apply(new BlockSubmitted("s2b", VIDEO, next(), 2, 1, null));
        apply(new BlockCompleted("c2b", VIDEO, next(), 2, 1, "file:///data/" + VIDEO + "/v2/clips/block_2.mp4", 4));
        assertThat(view.status()).isEqualTo("ready_for_assembly");
        assertThat(view.workingVersion()).isEqualTo(2);
        apply(new AssemblyStarted("a2", VIDEO, next()));
        apply(new VideoCompleted("done2", VIDEO, next(), V2, 8.0, 2));

        assertThat(view.status()).isEqualTo("completed");
        assertThat(view.finalUrl()).isEqualTo(V2);
        assertThat(view.finalVersion()).isEqualTo(2);
        assertThat(view.edit()).isNull();
        assertThat(view.progress()).isEqualTo(100);
        assertThat(view.workingVersion()).as("the next edit's version").isEqualTo(3);
    }

    @Test
    void aCancelledEditReturnsTheVideoToItsPlayableVersionWithTheBlockAsItWas() {
        completedVideo();
        edit("edit1");
        apply(new BlockSubmitted("s2b", VIDEO, next(), 2, 1, null));

        apply(new VideoCancelled("x", VIDEO, next(), "cancel"));

        assertThat(view.status()).isEqualTo("completed");
        assertThat(view.finalUrl()).isEqualTo(V1);
        assertThat(view.edit()).isNull();
        assertThat(block(2)).isEqualTo(new BlockState(2, BlockState.COMPLETED, 1, "A lava flow at dusk",
                "La lave coule.", 4, "file:///data/" + VIDEO + "/clips/block_2.mp4", null, null));
        assertThat(view.completedBlocks()).isEqualTo(2);
    }

    @Test
    void aFailedEditKeepsThePreviousVersionAndMayBeEditedAgainOrCancelled() {
        completedVideo();
        edit("edit1");
        apply(new BlockFailed("f", VIDEO, next(), 2, 1, "third_party_content", false, "refused"));
        apply(new VideoFailed("vf", VIDEO, next(), "third_party_content", "block 2", "refused"));

        assertThat(view.status()).isEqualTo("failed");
        assertThat(view.finalUrl()).as("the previous version still plays").isEqualTo(V1);
        assertThat(view.edit().block()).isEqualTo(2);

        apply(new BlockEdited("edit2", VIDEO, next(), 2, "A calm lava lake", "Un lac de lave.", 2,
                "A lava flow at night", "La lave coule la nuit.", "edit-2"));
        assertThat(view.status()).isEqualTo("generating_parallel");
        assertThat(view.edit().previousPrompt()).as("what the playable version has, not the failed edit's text")
                .isEqualTo("A lava flow at dusk");
        apply(new BlockFailed("f2", VIDEO, next(), 2, 1, "third_party_content", false, "refused"));
        apply(new VideoFailed("vf2", VIDEO, next(), "third_party_content", "block 2", "refused"));

        apply(new VideoCancelled("x", VIDEO, next(), "cancel"));
        assertThat(view.status()).isEqualTo("completed");
        assertThat(block(2).prompt()).isEqualTo("A lava flow at dusk");
        assertThat(block(2).completed()).isTrue();
    }

    @Test
    void anEditOfARunningVideoChangesNothing() {
        completedVideo();
        edit("edit1");
        VideoStatus during = view;

        apply(new BlockEdited("edit2", VIDEO, next(), 1, "Another crater", "Un autre cratère.", 2, "A crater",
                "Un cratère.", "edit-2"));

        assertThat(view).isEqualTo(during);
    }
}
