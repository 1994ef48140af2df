package com.reetik.bridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegAssemblerTest {

    @TempDir
    Path dir;

    @Test
    void shouldReencodeClipsOfDifferentSizesToTheFirstClipsSize() throws Exception {
        // Given a vertical clip followed by a landscape clip
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault());
        Clip vertical = renderer.render(TestMedia.clipRequest("mixed", 1, 2, "Vertical", TestMedia.request(8, "fr", "9:16")));
        Clip landscape = renderer.render(TestMedia.clipRequest("mixed", 2, 2, "Landscape", TestMedia.request(8, "fr", "16:9")));

        // When they are assembled
        Assembled assembled = new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"))
                .assemble("mixed", List.of(vertical.clipUri(), landscape.clipUri()));

        // Then the final video is 8 s of 720x1280 h264/aac
        Path file = Path.of(URI.create(assembled.finalUrl()));
        assertThat(assembled.finalUrl()).isEqualTo(store.uri(ObjectKeys.finalVideo("mixed")));
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(file);
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(1280);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.fps()).isEqualTo(24.0);
        assertThat(assembled.durationS()).isCloseTo(8.0, within(0.5));
        // and the landscape part was scaled into the frame with black bars above and below (it was re-encoded)
        byte[] secondHalf = TestMedia.grayFrame(file, 6);
        assertThat(TestMedia.meanOfRows(secondHalf, 0, 40)).isLessThan(30.0);
        assertThat(TestMedia.meanOfRows(secondHalf, 120, 160)).isLessThan(30.0);
        assertThat(TestMedia.meanOfRows(TestMedia.grayFrame(file, 2), 0, 40)).isGreaterThan(30.0);
        // and the cut it reports (for the subtitles) is where the picture changes: bars 0.1 s after it, none before
        assertThat(assembled.clipDurationsS()).hasSize(2);
        double cut = assembled.clipDurationsS().get(0);
        assertThat(cut + assembled.clipDurationsS().get(1)).isCloseTo(assembled.durationS(), within(0.1));
        assertThat(TestMedia.meanOfRows(TestMedia.grayFrame(file, cut + 0.1), 0, 40)).isLessThan(30.0);
        assertThat(TestMedia.meanOfRows(TestMedia.grayFrame(file, cut - 0.1), 0, 40)).isGreaterThan(30.0);
        assertThat(TestMedia.topLevelBoxOffset(file, "moov")).isLessThan(TestMedia.topLevelBoxOffset(file, "mdat"));
        // and a poster frame of the same size is stored beside it, as a JPEG
        Path poster = store.localFile(ObjectKeys.poster("mixed")).orElseThrow();
        byte[] jpeg = Files.readAllBytes(poster);
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
        Ffmpeg.MediaInfo frame = TestMedia.FFMPEG.probe(poster);
        assertThat(frame.width()).isEqualTo(720);
        assertThat(frame.height()).isEqualTo(1280);
    }

    @Test
    void shouldJoinTheSoundInStepWithThePictureWithoutAClickAtTheCuts() throws Exception {
        // Given three local clips, each with its own tone (a click at a cut when the wave jumps)
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault(), PreviewResolution.P360);
        List<String> clips = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            clips.add(renderer.render(TestMedia.clipRequest("sound", i, 3, "Bloc " + i,
                    TestMedia.request(12, "fr", "9:16"))).clipUri());
        }

        // When they are joined (the picture copied)
        Assembled assembled = new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"))
                .assemble("sound", clips);

        // Then the sound lasts as long as the picture, instead of growing at each cut
        Path file = Path.of(URI.create(assembled.finalUrl()));
        short[] pcm = TestMedia.monoPcm(file);
        assertThat(pcm.length / 48_000.0).isCloseTo(assembled.durationS(), within(0.05));
        // and around each cut the level falls to a fraction of the tone's (measured over ±10 ms), then comes back
        double cut = 0;
        for (int i = 0; i < 2; i++) {
            cut += assembled.clipDurationsS().get(i);
            double middle = TestMedia.rms(pcm, cut - 2.1, cut - 1.9);
            assertThat(middle).as("tone of block %d", i + 1).isGreaterThan(50.0);
            assertThat(TestMedia.rms(pcm, cut - 0.01, cut + 0.01)).as("level at cut %d", i + 1)
                    .isLessThan(middle * 0.3);
            assertThat(TestMedia.rms(pcm, cut + 0.2, cut + 0.4)).isCloseTo(middle, within(middle * 0.2));
        }
    }

    @Test
    void shouldFadeEachBlockIntoTheNextWhenACrossfadeIsAsked() throws Exception {
        // Given three local clips of 4 s, dark and light in turn, each with its own tone
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                RandomGenerator.getDefault(), PreviewResolution.P360);
        List<String> clips = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            clips.add(renderer.render(TestMedia.clipRequest("fade", i, 3, "Bloc " + i,
                    TestMedia.request(12, "fr", "9:16"))).clipUri());
        }
        FfmpegAssembler assembler = new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"));

        // When they are joined with cuts, then with crossfades
        Path cut = Path.of(URI.create(assembler.assemble("cut", clips).finalUrl()));
        Assembled faded = assembler.assemble("faded", clips, new com.reetik.bridge.agent.AssemblyOptions(
                List.of("Un", "Deux", "Trois"), false, true));
        Path file = Path.of(URI.create(faded.finalUrl()));

        // Then the blocks overlap by half a second at each of the two cuts, and the cuts reported (for the subtitles)
        // add up to the file's length
        assertThat(faded.durationS()).isCloseTo(12.0 - 2 * FfmpegAssembler.CROSSFADE_S, within(0.1));
        assertThat(faded.clipDurationsS()).hasSize(3);
        assertThat(faded.clipDurationsS().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(faded.durationS(), within(0.1));
        double at = 0;
        for (int i = 0; i < 2; i++) {
            at += faded.clipDurationsS().get(i);
            // and the picture changes from one block to the next in steps, where the cut version jumps in one
            double[] times = {at - 0.3, at - 0.15, at, at + 0.15, at + 0.3};
            double whole = TestMedia.meanAbsoluteDifference(TestMedia.grayFrame(file, times[0]),
                    TestMedia.grayFrame(file, times[4]));
            assertThat(whole).as("change across fade %d", i + 1).isGreaterThan(20.0);
            for (int k = 0; k < 4; k++) {
                double step = TestMedia.meanAbsoluteDifference(TestMedia.grayFrame(file, times[k]),
                        TestMedia.grayFrame(file, times[k + 1]));
                assertThat(step).as("step %d of fade %d", k + 1, i + 1).isLessThan(whole * 0.6);
            }
            double cutAt = 4.0 * (i + 1);
            double jump = TestMedia.meanAbsoluteDifference(TestMedia.grayFrame(cut, cutAt - 0.05),
                    TestMedia.grayFrame(cut, cutAt + 0.05));
            assertThat(jump).as("the plain cut %d jumps", i + 1).isGreaterThan(20.0);
        }
        // and the sound crosses over: no silence and no doubling in the middle of each fade
        short[] pcm = TestMedia.monoPcm(file);
        assertThat(pcm.length / 48_000.0).isCloseTo(faded.durationS(), within(0.05));
        at = 0;
        for (int i = 0; i < 2; i++) {
            at += faded.clipDurationsS().get(i);
            double before = TestMedia.rms(pcm, at - 1.6, at - 1.4);
            double middle = TestMedia.rms(pcm, at - 0.02, at + 0.02);
            assertThat(before).as("tone before fade %d", i + 1).isGreaterThan(50.0);
            assertThat(middle).as("level in fade %d", i + 1).isBetween(before * 0.4, before * 1.3);
        }
    }

    @Test
    void shouldDrawTheSubtitlesIntoThePictureWhenAskedAtBothAspectRatios() throws Exception {
        for (String aspect : List.of("9:16", "16:9")) {
            // Given two clips, and narrations with accents, a percent sign and quotes
            LocalObjectStore store = new LocalObjectStore(dir.resolve("videos-" + aspect.replace(':', 'x')));
            LocalClipRenderer renderer = new LocalClipRenderer(TestMedia.FFMPEG, store, dir.resolve("work"), 0.0,
                    RandomGenerator.getDefault(), PreviewResolution.P360);
            List<String> clips = new java.util.ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                clips.add(renderer.render(TestMedia.clipRequest("v", i, 2, "Bloc " + i,
                        TestMedia.request(8, "fr", aspect))).clipUri());
            }
            FfmpegAssembler assembler = new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"));
            List<String> narrations = List.of("L'été « 100 % » à Reykjavík, \"géothermique\".", "Deuxième bloc.");

            // When they are joined without, then with burned subtitles
            Path plain = Path.of(URI.create(assembler.assemble("plain", clips).finalUrl()));
            Assembled burned = assembler.assemble("burned", clips, new com.reetik.bridge.agent.AssemblyOptions(
                    narrations, true));
            Path drawn = Path.of(URI.create(burned.finalUrl()));

            // Then the picture differs near the bottom, where the subtitles are, and nowhere near the top
            for (double at : List.of(2.0, 6.0)) {
                byte[] a = TestMedia.grayFrame(plain, at);
                byte[] b = TestMedia.grayFrame(drawn, at);
                int rows = TestMedia.FRAME_H;
                assertThat(mostDifferentRow(a, b, rows * 55 / 100, rows * 97 / 100)).as("%s at %.0f s, bottom", aspect, at)
                        .isGreaterThan(15.0);
                assertThat(mostDifferentRow(a, b, 0, rows * 30 / 100)).as("%s at %.0f s, top", aspect, at)
                        .isLessThan(5.0);
            }
            // and the sound and the cuts are those of the plain join
            assertThat(burned.durationS()).isCloseTo(8.0, within(0.1));
            assertThat(burned.clipDurationsS()).hasSize(2);
        }
    }

    /** Of rows {@code from} (inclusive) to {@code to}, the largest mean absolute difference of one row. */
    private static double mostDifferentRow(byte[] a, byte[] b, int from, int to) {
        int width = TestMedia.FRAME_W;
        double most = 0;
        for (int row = from; row < to; row++) {
            long sum = 0;
            for (int i = row * width; i < (row + 1) * width; i++) {
                sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
            most = Math.max(most, (double) sum / width);
        }
        return most;
    }

    @Test
    void shouldFailWithoutRetryWhenAClipIsMissing() throws Exception {
        // Given one stored clip and the URI of a clip that was never stored
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        Path clip = Files.writeString(dir.resolve("block.mp4"), "whatever");
        String present = store.put(ObjectKeys.clip("gone", 1), clip);
        String missing = store.uri(ObjectKeys.clip("gone", 2));

        // When they are assembled
        // Then ASSEMBLY_FAILED, not retryable, naming the missing clip, and no final video
        assertThatThrownBy(() -> new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"))
                .assemble("gone", List.of(present, missing)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ASSEMBLY_FAILED);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("clip " + missing + " is missing");
                });
        assertThat(store.exists(ObjectKeys.finalVideo("gone"))).isFalse();
    }

    @Test
    void shouldFailWithoutRetryWhenAClipIsNotAVideo() throws Exception {
        // Given a stored "clip" that is text
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        String uri = store.put(ObjectKeys.clip("junk", 1), Files.writeString(dir.resolve("junk.mp4"), "not a video"));

        // When / Then ffmpeg's failure is an ASSEMBLY_FAILED, not retryable
        assertThatThrownBy(() -> new FfmpegAssembler(TestMedia.FFMPEG, store, dir.resolve("assembly"))
                .assemble("junk", List.of(uri)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ASSEMBLY_FAILED);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void shouldRefuseToAssembleNothing() {
        // Given / When / Then
        LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
        assertThatThrownBy(() -> new FfmpegAssembler(TestMedia.FFMPEG, store, dir).assemble("none", List.of()))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ASSEMBLY_FAILED));
    }
}
