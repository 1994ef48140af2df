package com.reetik.bridge.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    @Test
    void shouldPutEachNarrationOverItsOwnBlockFromTheRealDurations() {
        // Given three blocks whose clips last 4.02, 3.98 and 4.5 s in the joined file
        Captions captions = Captions.of(List.of("L'Islande compte 130 volcans.", "La lave coule vers la mer.",
                "Et la nuit s'illumine."), List.of(4.02, 3.98, 4.5));

        // Then each cue starts where its block starts and ends at the next cut
        assertThat(captions.toVtt()).isEqualTo("""
                WEBVTT

                1
                00:00:00.000 --> 00:00:04.020
                L'Islande compte 130 volcans.

                2
                00:00:04.020 --> 00:00:08.000
                La lave coule vers la mer.

                3
                00:00:08.000 --> 00:00:12.500
                Et la nuit s'illumine.

                """);
        assertThat(captions.toSrt()).startsWith("""
                1
                00:00:00,000 --> 00:00:04,020
                L'Islande compte 130 volcans.

                2
                00:00:04,020 --> 00:00:08,000
                """);
    }

    @Test
    void shouldKeepTheTimeOfABlockWithoutNarrationAndWriteNoCueForIt() {
        Captions captions = Captions.of(Arrays.asList("Un.", null, "  ", "Quatre."), List.of(4.0, 4.0, 4.0, 6.0));

        assertThat(captions.cues()).extracting(Captions.Cue::text).containsExactly("Un.", "Quatre.");
        assertThat(captions.cues().get(1).startS()).isEqualTo(12.0);
        assertThat(captions.cues().get(1).endS()).isEqualTo(18.0);
    }

    @Test
    void shouldSplitALongNarrationIntoReadableCuesThatShareTheBlock() {
        // Given a narration of three sentences, too long for one caption, over an 8 s block after a 4 s one
        String narration = "Sous la glace du Vatnajökull dorment des volcans actifs depuis des siècles. "
                + "Quand l'un d'eux s'éveille, la glace fond en quelques heures. "
                + "Les rivières débordent alors jusqu'à la mer.";
        Captions captions = Captions.of(List.of("Avant.", narration), List.of(4.0, 8.0));

        // Then the block's cues follow each other without gap from its start to its end
        List<Captions.Cue> cues = captions.cues().subList(1, captions.cues().size());
        assertThat(cues).hasSizeGreaterThan(1);
        assertThat(cues.get(0).startS()).isEqualTo(4.0);
        assertThat(cues.get(cues.size() - 1).endS()).isEqualTo(12.0);
        for (int i = 1; i < cues.size(); i++) {
            assertThat(cues.get(i).startS()).isEqualTo(cues.get(i - 1).endS());
        }
        // and no caption is more than two lines of 42 characters, and no word is lost
        for (Captions.Cue cue : cues) {
            List<String> lines = Captions.lines(cue.text());
            assertThat(lines).hasSizeLessThanOrEqualTo(2);
            assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(42));
        }
        assertThat(String.join(" ", cues.stream().map(Captions.Cue::text).toList())).isEqualTo(narration);
    }

    @Test
    void shouldWriteAccentsPercentsAndQuotesAsTheyAreAndEscapeOnlyMarkup() {
        Captions captions = Captions.of(List.of("« 100 % » l'<été> & \"propre\" --> oui"), List.of(4.0));

        assertThat(captions.toVtt()).contains("\n« 100 % » l'&lt;été&gt; &amp; \"propre\" --&gt; oui\n");
        assertThat(captions.toSrt()).contains("\n« 100 % » l'‹été> & \"propre\" -> oui\n");
    }

    @Test
    void shouldRefuseNarrationsThatDoNotMatchTheBlocks() {
        assertThatThrownBy(() -> Captions.of(List.of("a", "b"), List.of(4.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 narrations for 1 blocks");
    }
}
