package com.reetik.bridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.status.VideoRequest;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalScriptWriterTest {

    private static final String THEME = "Les volcans d'Islande";

    @Test
    void shouldWriteNineFourSecondBlocksNumberedFromOneForThirtySixSeconds() {
        // Given the default writer and a 36 s French request
        LocalScriptWriter writer = new LocalScriptWriter();

        // When the script is written
        List<ScriptBlock> blocks = writer.write(new VideoRequest(THEME, 36, "informative", "fr", "9:16"));

        // Then there are 9 blocks of 4 s numbered 1..9
        assertThat(blocks).hasSize(9);
        assertThat(blocks).extracting(ScriptBlock::index).containsExactlyElementsOf(IntStream.rangeClosed(1, 9).boxed().toList());
        assertThat(blocks).extracting(ScriptBlock::durationS).containsOnly(4);
        // and every prompt and narration mentions the theme, in natural French
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.narration()).contains(THEME);
            assertThat(b.prompt()).contains(THEME);
        });
        assertThat(blocks.get(0).narration()).isEqualTo("Découvrons ensemble : Les volcans d'Islande.");
        assertThat(blocks.get(8).narration()).isEqualTo("Vous en savez maintenant un peu plus sur « Les volcans d'Islande ».");
        assertThat(blocks).extracting(ScriptBlock::narration).doesNotHaveDuplicates();
        assertThat(blocks).extracting(ScriptBlock::prompt).doesNotHaveDuplicates();
        // and every prompt opens with the same visual brief, which names the palette every block is painted with
        String brief = LocalScriptWriter.visualBrief(new VideoRequest(THEME, 36, "informative", "fr", "9:16"));
        assertThat(brief).contains(LocalLook.of(THEME).name());
        assertThat(blocks).allSatisfy(b -> assertThat(b.prompt()).startsWith("Visual brief: " + brief + " Shot: "));
    }

    @Test
    void shouldWriteEnglishNarrationThatDiffersFromFrench() {
        // Given the same request in French and in English
        LocalScriptWriter writer = new LocalScriptWriter();

        // When both are written
        List<ScriptBlock> fr = writer.write(new VideoRequest(THEME, 36, "storytelling", "fr", "9:16"));
        List<ScriptBlock> en = writer.write(new VideoRequest(THEME, 36, "storytelling", "en", "9:16"));

        // Then they have the same shape but no narration line in common
        assertThat(en).hasSameSizeAs(fr);
        for (int i = 0; i < fr.size(); i++) {
            assertThat(en.get(i).narration()).isNotEqualTo(fr.get(i).narration()).contains(THEME);
        }
        assertThat(en.get(0).narration()).startsWith("Once upon a time");
        assertThat(fr.get(0).narration()).startsWith("Il était une fois");
    }

    @Test
    void shouldRoundUpToThreeBlocksForTenSeconds() {
        // Given a 10 s request with 4 s blocks
        LocalScriptWriter writer = new LocalScriptWriter(4);

        // When the script is written
        List<ScriptBlock> blocks = writer.write(new VideoRequest(THEME, 10, "humorous", "fr", "9:16"));

        // Then ceil(10 / 4) = 3 blocks: intro, middle, conclusion
        assertThat(blocks).hasSize(3);
        assertThat(blocks).extracting(ScriptBlock::narration).doesNotHaveDuplicates();
    }

    @Test
    void shouldUseCeilingWithSixSecondBlocks() {
        // Given 6 s blocks
        LocalScriptWriter writer = new LocalScriptWriter(6);

        // When scripts of 36, 37 and 8 s are written
        int thirtySix = writer.write(new VideoRequest(THEME, 36, "informative", "en", "16:9")).size();
        List<ScriptBlock> thirtySeven = writer.write(new VideoRequest(THEME, 37, "informative", "en", "16:9"));
        int eight = writer.write(new VideoRequest(THEME, 8, "informative", "en", "16:9")).size();

        // Then the counts are ceil(target / 6) and blocks last 6 s
        assertThat(thirtySix).isEqualTo(6);
        assertThat(thirtySeven).hasSize(7).extracting(ScriptBlock::durationS).containsOnly(6);
        assertThat(eight).isEqualTo(2);
    }

    @Test
    void shouldRejectBlockLengthsOtherThanFourSixOrEight() {
        // Given / When / Then: 5 s or 10 s blocks are refused, 8 s accepted
        assertThatThrownBy(() -> new LocalScriptWriter(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalScriptWriter(10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LocalScriptWriter(8).blockSeconds()).isEqualTo(8);
    }

    @Test
    void shouldNeverRepeatANarrationLineEvenForTheLongestVideoInEveryStyleAndLanguage() {
        // Given the longest video (180 s → 45 blocks)
        LocalScriptWriter writer = new LocalScriptWriter();
        for (Style style : Style.values()) {
            for (String language : List.of("fr", "en")) {
                // When it is written
                List<ScriptBlock> blocks = writer.write(new VideoRequest(THEME, 180, style.wireName(), language, "9:16"));

                // Then all 45 lines are different and mention the theme
                assertThat(blocks).hasSize(45);
                assertThat(blocks).extracting(ScriptBlock::narration).doesNotHaveDuplicates()
                        .allSatisfy(n -> assertThat(n).contains(THEME));
            }
        }
    }

    @Test
    void shouldRejectARequestWithoutTheme() {
        // Given a blank theme / When written / Then refused
        assertThatThrownBy(() -> new LocalScriptWriter().write(new VideoRequest(" ", 36, "informative", "fr", "9:16")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
