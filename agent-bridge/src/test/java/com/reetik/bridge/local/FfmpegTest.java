package com.reetik.bridge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegTest {

    @Test
    void shouldExtractTheBundledBinaryOnceAndReuseItWhenTheSizeMatches(@TempDir Path cache) throws IOException {
        // Given an empty cache folder
        Path first = new Ffmpeg(Optional.empty(), cache).binary();
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(first, old);

        // When a second Ffmpeg uses the same cache
        Path second = new Ffmpeg(Optional.empty(), cache).binary();

        // Then the binary is executable, not rewritten, and no temp file is left behind
        assertThat(second).isEqualTo(first);
        assertThat(Files.isExecutable(second)).isTrue();
        assertThat(Files.getLastModifiedTime(second)).isEqualTo(old);
        try (var files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ffmpeg-amd64");
        }
    }

    @Test
    void shouldReplaceATruncatedBinaryInTheCache(@TempDir Path cache) throws IOException {
        // Given a half-written binary in the cache
        Files.writeString(cache.resolve("ffmpeg-amd64"), "truncated");

        // When the binary is located
        Path binary = new Ffmpeg(Optional.empty(), cache).binary();

        // Then it is re-extracted whole
        assertThat(Files.size(binary)).isGreaterThan(10_000_000L);
    }

    @Test
    void shouldUseTheExplicitPathAndRefuseOneThatIsNotExecutable(@TempDir Path dir) throws IOException {
        // Given an explicit path to a working ffmpeg, and one to nothing
        Path real = TestMedia.FFMPEG.binary();

        // When / Then the explicit one is used as is, the missing one is refused
        assertThat(new Ffmpeg(Optional.of(real), dir).binary()).isEqualTo(real);
        assertThatThrownBy(() -> new Ffmpeg(Optional.of(dir.resolve("nope")), dir).binary())
                .isInstanceOf(IOException.class).hasMessageContaining("FFMPEG_PATH");
    }

    @Test
    void shouldReportTheLastStderrLinesWhenFfmpegFails(@TempDir Path dir) {
        // Given a filter that does not exist
        List<String> args = List.of("-f", "lavfi", "-i", "nosuchfilter=x=1", "-t", "1", dir.resolve("x.mp4").toString());

        // When / Then the failure carries ffmpeg's explanation
        assertThatThrownBy(() -> TestMedia.FFMPEG.run(args, Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with")
                .hasMessageContaining("nosuchfilter");
    }

    @Test
    void shouldKillFfmpegWhenItRunsPastTheTimeout() {
        // Given an endless render to nowhere
        List<String> args = List.of("-f", "lavfi", "-i", "testsrc=s=320x240:r=25", "-f", "null", "-");
        long start = System.nanoTime();

        // When it is run with a 1 s timeout
        // Then it fails with a timeout, promptly
        assertThatThrownBy(() -> TestMedia.FFMPEG.run(args, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldProbeAGeneratedFile(@TempDir Path dir) throws IOException {
        // Given a 2 s 320x240 25 fps mono 22.05 kHz file
        Path file = dir.resolve("probe.mp4");
        TestMedia.FFMPEG.run(List.of("-loglevel", "error", "-f", "lavfi", "-i", "testsrc=s=320x240:r=25",
                "-f", "lavfi", "-i", "sine=f=440:sample_rate=22050", "-t", "2", "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1", "-ar", "22050", file.toString()),
                Duration.ofSeconds(60));

        // When it is probed
        Ffmpeg.MediaInfo info = TestMedia.FFMPEG.probe(file);

        // Then every fact is read back
        assertThat(info.durationS()).isCloseTo(2.0, within(0.1));
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(240);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        assertThat(info.fps()).isEqualTo(25.0);
        assertThat(info.sampleRate()).isEqualTo(22050);
        assertThat(info.channels()).isEqualTo(1);
    }

    @Test
    void shouldParseStreamLinesWithFractionalRatesAndNoAudio() throws IOException {
        // Given stderr of a video-only 29.97 fps file
        String stderr = """
                Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':
                  Duration: 00:01:02.50, start: 0.000000, bitrate: 178 kb/s
                  Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080 [SAR 1:1 DAR 16:9], 151 kb/s, 29.97 fps, 29.97 tbr, 30k tbn, 59.94 tbc (default)
                At least one output file must be specified
                """;

        // When it is parsed
        Ffmpeg.MediaInfo info = Ffmpeg.parseMediaInfo(stderr, Path.of("x.mp4"));

        // Then
        assertThat(info).isEqualTo(new Ffmpeg.MediaInfo(62.5, 1920, 1080, "h264", null, 29.97, 0, 0));
    }

    @Test
    void shouldFailToProbeSomethingThatIsNotMedia(@TempDir Path dir) throws IOException {
        // Given a text file
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");

        // When / Then
        assertThatThrownBy(() -> TestMedia.FFMPEG.probe(text)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestMedia.FFMPEG.probe(dir.resolve("missing.mp4"))).isInstanceOf(IOException.class);
    }
}
