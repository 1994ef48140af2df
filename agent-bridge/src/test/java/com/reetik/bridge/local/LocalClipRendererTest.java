package com.reetik.bridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.Clip;
import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClipRendererTest {

    @TempDir
    Path dir;

    private LocalObjectStore store() {
        return new LocalObjectStore(dir.resolve("videos"));
    }

    private LocalClipRenderer renderer(LocalObjectStore store) {
        return new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0, RandomGenerator.getDefault());
    }

    @Test
    void shouldRenderAVerticalFourSecondH264AacClipIntoTheStore() throws Exception {
        // Given a renderer and block 3 of 9 of a vertical French video
        LocalObjectStore store = store();
        VideoRequest request = TestMedia.request(36, "fr", "9:16");

        // When the block is rendered
        long start = System.nanoTime();
        Clip clip = renderer(store).render(TestMedia.clipRequest("vid-1", 3, 9,
                "Découvrons ensemble : Les volcans d'Islande, « 100 % » naturels; [vraiment]", request));
        System.out.printf("rendered one 4 s block in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        // Then it is stored at {video_id}/clips/block_3.mp4 and probes as 720x1280 h264/aac 24 fps 4 s
        assertThat(store.exists(ObjectKeys.clip("vid-1", 3))).isTrue();
        assertThat(clip.clipUri()).isEqualTo(store.uri(ObjectKeys.clip("vid-1", 3)));
        assertThat(clip.durationS()).isCloseTo(4.0, within(0.1));
        assertThat(clip.operation()).isNull();
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(Path.of(URI.create(clip.clipUri())));
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(1280);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.fps()).isEqualTo(24.0);
        assertThat(info.sampleRate()).isEqualTo(48000);
        assertThat(info.channels()).isEqualTo(2);
        assertThat(info.durationS()).isCloseTo(4.0, within(0.1));
        // and no temp file is left in the work dir
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void shouldRenderLandscapeClipsAt1280x720() throws Exception {
        // Given a 16:9 English request
        LocalObjectStore store = store();

        // When block 1 is rendered
        Clip clip = renderer(store).render(TestMedia.clipRequest("vid-2", 1, 3, "Let's discover together: Iceland.",
                TestMedia.request(12, "en", AspectRatio.LANDSCAPE.wireName())));

        // Then it is 1280x720
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(Path.of(URI.create(clip.clipUri())));
        assertThat(info.width()).isEqualTo(1280);
        assertThat(info.height()).isEqualTo(720);
        assertThat(info.durationS()).isCloseTo(4.0, within(0.1));
    }

    @Test
    void shouldDrawAQuarterOfThePixelsAt360pWithTheSameTextLayout() throws Exception {
        // Given a renderer set to the 360p draft (REETIK_LOCAL_RESOLUTION=360p)
        LocalObjectStore store = store();
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault(), PreviewResolution.parse("360p"));

        // When a vertical block and a landscape block are rendered
        Clip vertical = renderer.render(TestMedia.clipRequest("vid-3", 1, 2, "Découvrons ensemble : l'Islande.",
                TestMedia.request(8, "fr", "9:16")));
        Clip landscape = renderer.render(TestMedia.clipRequest("vid-4", 1, 2, "Let's discover Iceland.",
                TestMedia.request(8, "en", "16:9")));

        // Then they are 360x640 and 640x360, still 4 s of h264/aac
        Ffmpeg.MediaInfo v = TestMedia.FFMPEG.probe(Path.of(URI.create(vertical.clipUri())));
        assertThat(v.width()).isEqualTo(360);
        assertThat(v.height()).isEqualTo(640);
        assertThat(v.videoCodec()).isEqualTo("h264");
        assertThat(v.audioCodec()).isEqualTo("aac");
        assertThat(v.durationS()).isCloseTo(4.0, within(0.1));
        Ffmpeg.MediaInfo l = TestMedia.FFMPEG.probe(Path.of(URI.create(landscape.clipUri())));
        assertThat(l.width()).isEqualTo(640);
        assertThat(l.height()).isEqualTo(360);
    }

    @Test
    void shouldRefuseAnUnknownPreviewResolutionNamingTheOnesAllowed() {
        assertThat(PreviewResolution.parse(null)).isEqualTo(PreviewResolution.P720);
        assertThat(PreviewResolution.parse(" 360P ")).isEqualTo(PreviewResolution.P360);
        assertThatThrownBy(() -> PreviewResolution.parse("1080p"))
                .hasMessage("REETIK_LOCAL_RESOLUTION must be 720p or 360p, not '1080p'");
    }

    @Test
    void shouldPaintEveryBlockOfAVideoInItsOwnPaletteAndAnotherVideoInAnother() throws Exception {
        // Given two videos whose themes have different looks
        String theme = "Les volcans d'Islande";
        String other = java.util.stream.Stream.of("Les baleines du Québec", "Le désert d'Atacama", "Les fjords de Norvège",
                "La forêt amazonienne").filter(t -> !LocalLook.of(t).equals(LocalLook.of(theme))).findFirst().orElseThrow();
        LocalObjectStore store = store();
        LocalClipRenderer renderer = renderer(store);
        VideoRequest first = new VideoRequest(theme, 36, "informative", "fr", "9:16");
        VideoRequest second = new VideoRequest(other, 36, "informative", "fr", "9:16");

        // When blocks 1 and 3 of the first (both in the dark half of its palette) and block 1 of the second are rendered
        double[] one = colors(renderer.render(TestMedia.clipRequest("look-a", 1, 9, "Un.", first)));
        double[] three = colors(renderer.render(TestMedia.clipRequest("look-a", 3, 9, "Un.", first)));
        double[] elsewhere = colors(renderer.render(TestMedia.clipRequest("look-b", 1, 9, "Un.", second)));

        // Then the first video's blocks share their hue, and the other video's differs clearly
        System.out.printf("hue distance block 1 vs 3: %.3f, vs another video: %.3f%n",
                TestMedia.hueDistance(one, three), TestMedia.hueDistance(one, elsewhere));
        assertThat(TestMedia.hueDistance(one, three)).isLessThan(0.04);
        assertThat(TestMedia.hueDistance(one, elsewhere)).isGreaterThan(0.08);
    }

    @Test
    void shouldDrawTheVideosReferenceImagesAlongTheBottomOfEveryBlock() throws Exception {
        // Given a video with two reference images stored beside it, as the gateway stores them: red PNG, blue JPEG
        LocalObjectStore store = store();
        byte[] red = image(java.awt.Color.RED, "png");
        byte[] blue = image(java.awt.Color.BLUE, "jpg");
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16", null, null,
                List.of(new ReferenceImage("image/png", "a".repeat(64), red.length),
                        new ReferenceImage("image/jpeg", "b".repeat(64), blue.length)));
        put(store, ObjectKeys.referenceImage("refs", 1, "image/png"), red);
        put(store, ObjectKeys.referenceImage("refs", 2, "image/jpeg"), blue);
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault(), PreviewResolution.parse("360p"));

        // When block 2 is rendered, and the same block of a video without them
        Clip with = renderer.render(TestMedia.clipRequest("refs", 2, 2, "La lave coule.", request));
        Clip without = renderer.render(TestMedia.clipRequest("plain", 2, 2, "La lave coule.",
                new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16")));

        // Then the first image fills a square at the bottom left and the second the square beside it
        // (360x640 frame: squares of 90 px from x 11 and 112, y 539; here scaled to 90x160: centres (14, 146), (39, 146))
        byte[] frame = TestMedia.rgbFrame(Path.of(URI.create(with.clipUri())), 1);
        int[] first = TestMedia.pixel(frame, 14, 146);
        int[] second = TestMedia.pixel(frame, 39, 146);
        System.out.printf("reference squares: %s %s%n", java.util.Arrays.toString(first), java.util.Arrays.toString(second));
        assertThat(first[0]).isGreaterThan(200);
        assertThat(first[1]).isLessThan(60);
        assertThat(first[2]).isLessThan(60);
        assertThat(second[2]).isGreaterThan(200);
        assertThat(second[0]).isLessThan(60);
        // while the clip without them shows no such square there, and both are still 4 s clips with sound
        int[] plain = TestMedia.pixel(TestMedia.rgbFrame(Path.of(URI.create(without.clipUri())), 1), 14, 146);
        assertThat(plain).isNotEqualTo(first);
        assertThat(Math.abs(plain[0] - first[0]) + Math.abs(plain[1] - first[1]) + Math.abs(plain[2] - first[2]))
                .isGreaterThan(100);
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(Path.of(URI.create(with.clipUri())));
        assertThat(info.durationS()).isCloseTo(4.0, within(0.1));
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.width()).isEqualTo(360);
    }

    @Test
    void shouldFailForGoodWhenAReferenceImageIsNotInStorage() {
        // Given a request naming a reference image that was never stored
        LocalObjectStore store = store();
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16", null, null,
                List.of(new ReferenceImage("image/png", "a".repeat(64), 10)));

        // When a block is rendered / Then a non-retryable error names the missing object
        assertThatThrownBy(() -> renderer(store).render(TestMedia.clipRequest("lost", 1, 2, "x", request)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("reference image lost/references/1.png is not in storage");
                });
    }

    static byte[] image(java.awt.Color color, String format) throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private void put(LocalObjectStore store, String key, byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "ref", ".img");
        Files.write(file, bytes);
        store.put(key, file);
    }

    private static double[] colors(Clip clip) throws Exception {
        return TestMedia.colorShares(Path.of(URI.create(clip.clipUri())), 1);
    }

    @Test
    void shouldMakeDifferentBlocksLookDifferent() throws Exception {
        // Given two blocks of the same video
        LocalObjectStore store = store();
        LocalClipRenderer renderer = renderer(store);
        VideoRequest request = TestMedia.request(36, "fr", "9:16");

        // When both are rendered and a frame is taken from each at 1 s
        Clip one = renderer.render(TestMedia.clipRequest("vid-3", 1, 9, "Découvrons ensemble : Les volcans d'Islande.", request));
        Clip two = renderer.render(TestMedia.clipRequest("vid-3", 2, 9, "Les chiffres clés surprennent souvent.", request));
        byte[] frameOne = TestMedia.grayFrame(Path.of(URI.create(one.clipUri())), 1);
        byte[] frameTwo = TestMedia.grayFrame(Path.of(URI.create(two.clipUri())), 1);

        // Then the pictures differ substantially, not just in a few bytes
        double difference = TestMedia.meanAbsoluteDifference(frameOne, frameTwo);
        System.out.printf("mean absolute difference block 1 vs 2: %.1f%n", difference);
        assertThat(difference).isGreaterThan(20.0);
        // while the same clip compared with itself does not differ at all
        assertThat(TestMedia.meanAbsoluteDifference(frameOne, TestMedia.grayFrame(Path.of(URI.create(one.clipUri())), 1)))
                .isZero();
    }

    @Test
    void shouldDrawNarrationWithPercentSignsAndBackslashesAsTyped() throws Exception {
        // Given the same block twice: once without narration, once with a % and a \ in it
        LocalObjectStore store = store();
        LocalClipRenderer renderer = renderer(store);
        VideoRequest request = TestMedia.request(36, "fr", "9:16");
        Clip silent = renderer.render(TestMedia.clipRequest("vid-5", 1, 9, "", request));
        Clip percent = renderer.render(TestMedia.clipRequest("vid-6", 1, 9,
                "Économiser 100% d'énergie, 50 %{n} \\ fin", request));

        // When a frame is taken from each
        double difference = TestMedia.meanAbsoluteDifference(
                TestMedia.grayFrame(Path.of(URI.create(silent.clipUri())), 1),
                TestMedia.grayFrame(Path.of(URI.create(percent.clipUri())), 1));

        // Then the narration is drawn (ffmpeg's text expansion once dropped the whole text on a stray %)
        System.out.printf("mean absolute difference without vs with narration: %.2f%n", difference);
        assertThat(difference).isGreaterThan(1.0);
    }

    @Test
    void shouldTellBlocksApartWithAPatternWhenNoFontExists() throws Exception {
        // Given a renderer that finds no font
        LocalObjectStore store = store();
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault(), List.of(dir.resolve("no-such-font.ttf")));
        VideoRequest request = TestMedia.request(36, "fr", "9:16");

        // When blocks 1 and 2 are rendered
        Clip one = renderer.render(TestMedia.clipRequest("vid-4", 1, 9, "un", request));
        Clip two = renderer.render(TestMedia.clipRequest("vid-4", 2, 9, "deux", request));

        // Then it still renders valid, distinct clips
        assertThat(renderer.font()).isEmpty();
        assertThat(one.durationS()).isCloseTo(4.0, within(0.1));
        double difference = TestMedia.meanAbsoluteDifference(TestMedia.grayFrame(Path.of(URI.create(one.clipUri())), 1),
                TestMedia.grayFrame(Path.of(URI.create(two.clipUri())), 1));
        assertThat(difference).isGreaterThan(20.0);
    }

    @Test
    void shouldFailRetryablyBeforeRenderingWhenTheFailureRateIsOne() throws IOException {
        // Given a renderer that always fails on purpose
        LocalObjectStore store = store();
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 1.0,
                RandomGenerator.getDefault());

        // When a block is rendered
        // Then a retryable DEFAULT error says so, and nothing was written
        assertThatThrownBy(() -> renderer.render(TestMedia.clipRequest("vid-5", 1, 9, "x", TestMedia.request(36, "fr", "9:16"))))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.code()).isEqualTo(ErrorCode.DEFAULT);
                    assertThat(e.getMessage()).contains("local preview: simulated clip failure (REETIK_LOCAL_FAILURE_RATE=1.0)");
                });
        assertThat(store.exists(ObjectKeys.clip("vid-5", 1))).isFalse();
        assertThat(Files.exists(dir.resolve("videos"))).isFalse();
        assertThat(Files.exists(dir.resolve("work"))).isFalse();
    }

    @Test
    void shouldFailOnlyWhenTheInjectedRandomFallsBelowTheRate() {
        // Given a rate of 0.3 and randoms that draw 0.5 and 0.1
        RandomGenerator fixedHigh = new FixedRandom(0.5);
        RandomGenerator fixedLow = new FixedRandom(0.1);
        LocalObjectStore store = store();

        // When a block with no duration is rendered (fails after the failure check, without ffmpeg)
        // Then the draw of 0.5 passes the check, the draw of 0.1 triggers the simulated failure
        assertThatThrownBy(() -> new LocalClipRenderer(TestMedia.FFMPEG, store, dir, 0.3, fixedHigh)
                .render(new com.reetik.bridge.agent.ClipRequest("v", null, 1,
                        new com.reetik.contracts.event.ScriptBlock(1, "p", "n", 0), 1, null)))
                .isInstanceOf(AgentException.class).hasMessageContaining("no duration");
        assertThatThrownBy(() -> new LocalClipRenderer(TestMedia.FFMPEG, store, dir, 0.3, fixedLow)
                .render(new com.reetik.bridge.agent.ClipRequest("v", null, 1,
                        new com.reetik.contracts.event.ScriptBlock(1, "p", "n", 0), 1, null)))
                .isInstanceOf(AgentException.class).hasMessageContaining("simulated clip failure");
    }

    @Test
    void shouldRejectFailureRatesOutsideZeroToOne() {
        // Given / When / Then
        assertThat(LocalClipRenderer.parseFailureRate(null)).isZero();
        assertThat(LocalClipRenderer.parseFailureRate(" 0.25 ")).isEqualTo(0.25);
        assertThatThrownBy(() -> LocalClipRenderer.parseFailureRate("1.5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalClipRenderer.parseFailureRate("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalClipRenderer(TestMedia.FFMPEG, store(), dir, -0.1, RandomGenerator.getDefault()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWrapNarrationToTheLineWidth() {
        // Given a long line / When wrapped at 20 characters
        String wrapped = LocalClipRenderer.wrap("Découvrons ensemble : Les volcans d'Islande, terre de feu et de glace", 20);

        // Then no line is longer than 20 and no word is lost
        assertThat(wrapped.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(20));
        assertThat(wrapped.replace('\n', ' ')).isEqualTo("Découvrons ensemble : Les volcans d'Islande, terre de feu et de glace");
    }

    @Test
    void shouldKeepFrenchPunctuationWithItsWordWhenWrapping() {
        // Given a line whose "!" would fall alone on the last line
        String text = "Accrochez-vous, on parle de « Les volcans d'Islande » !";

        // When wrapped at the vertical width
        String wrapped = LocalClipRenderer.wrap(text, LocalClipRenderer.charsPerLine(AspectRatio.VERTICAL));

        // Then no line starts with closing punctuation and no line ends with an opening guillemet
        assertThat(wrapped.lines()).noneMatch(l -> l.startsWith("!") || l.startsWith("»") || l.endsWith("«"));
        assertThat(wrapped.replace('\n', ' ')).isEqualTo(text);
    }

    /** A generator whose every double is the same. */
    private record FixedRandom(double value) implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextDouble() {
            return value;
        }
    }
}
