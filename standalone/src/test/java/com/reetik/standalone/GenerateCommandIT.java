package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.local.Ffmpeg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/reetik.jar generate …} as a user runs it, from the packaged jar. */
@Timeout(600)
class GenerateCommandIT {

    private static final Path JAR = Path.of("target", "reetik.jar");

    @TempDir
    Path dir;

    @Test
    void shouldWriteAThirtySixSecondVerticalVideoOfNineDistinctBlocks() throws Exception {
        // Given a fresh data directory
        Path output = dir.resolve("volcans.mp4");

        // When the user generates the default video
        Result result = run(List.of("generate", "Les volcans d'Islande", "--duration", "36", "--language", "fr",
                "-o", output.toString()));

        // Then the command succeeds, showed the French steps and says where the file is
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Génération du script", "Génération vidéos (", "/9 blocs)",
                "Assemblage", output.toString());
        // and its subtitles are beside it, as players look for them, the first one from the start
        assertThat(Files.readString(dir.resolve("volcans.srt"))).startsWith("1\n00:00:00,000 --> ");
        // and the file is a 36 ± 1 s 720x1280 H.264 + AAC video
        Ffmpeg ffmpeg = new Ffmpeg(Optional.empty(), dir.resolve("bin"));
        Ffmpeg.MediaInfo info = ffmpeg.probe(output);
        assertThat(info.durationS()).isBetween(35.0, 37.0);
        assertThat(info.width()).isEqualTo(720);
        assertThat(info.height()).isEqualTo(1280);
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.audioCodec()).isEqualTo("aac");
        // and its nine blocks look different: a frame from the middle of each differs from the next
        List<byte[]> frames = new ArrayList<>();
        for (int block = 0; block < 9; block++) {
            frames.add(ffmpeg.runForOutput(List.of("-ss", String.valueOf(block * 4 + 2), "-i", output.toString(),
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-s", "90x160", "-"), Duration.ofSeconds(30)));
        }
        for (int i = 1; i < frames.size(); i++) {
            assertThat(meanAbsoluteDifference(frames.get(i - 1), frames.get(i))).as("blocks %d and %d", i, i + 1)
                    .isGreaterThan(10.0);
        }
    }

    @Test
    void shouldRefuseADurationOutOfRangeWithAClearMessage() throws Exception {
        // When the user asks for 5 s
        Result result = run(List.of("generate", "Les volcans d'Islande", "--duration", "5"));

        // Then the command fails at once, saying why
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("--duration must be from 8 to 180 seconds");

        // And so does a transition that does not exist
        Result transition = run(List.of("generate", "Les volcans d'Islande", "--transition", "dissolve"));
        assertThat(transition.exitCode()).isEqualTo(2);
        assertThat(transition.output()).contains("--transition must be one of [cut, fade]");
    }

    @Test
    void shouldFailWithTheErrorMessageAndStageWhenEveryClipFails() throws Exception {
        // Given agents whose every clip fails (retryable), two attempts per block, priced as paid agents would be
        // When the user generates a video
        Result result = run(List.of("generate", "Les volcans d'Islande", "--duration", "8", "-o",
                dir.resolve("never.mp4").toString()), "REETIK_LOCAL_FAILURE_RATE", "1", "REETIK_MAX_ATTEMPTS", "2",
                "REETIK_PRICE_PER_SECOND", "0.40");

        // Then before starting it said what the video would be cut into and cost
        assertThat(result.output()).contains("Estimation : 2 blocs de 4 s, 8 s générées, coût estimé 3.20 USD");

        // and it exits non-zero with the French message and the failing stage, and writes no file
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("Erreur : Une erreur est survenue. Veuillez réessayer.", "block ");
        assertThat(dir.resolve("never.mp4")).doesNotExist();
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    record Result(int exitCode, String output) {
    }

    private Result run(List<String> args, String... env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        Path out = Files.createTempFile(dir, "generate", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().put("REETIK_DATA_DIR", dir.resolve("data-" + System.nanoTime()).toString());
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        if (!process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("generate did not finish in 300 s: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
