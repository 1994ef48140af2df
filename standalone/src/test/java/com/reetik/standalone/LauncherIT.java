package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/reetik}, the quick way to start the CLI (the unpacked application of {@code standalone/target/reetik}).
 * A whole {@code generate} through it, and the archive it writes, run in {@code bench/run-all.sh --smoke}.
 */
@Timeout(120)
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path ARCHIVE = ROOT.resolve("standalone/target/reetik/reetik.jsa");

    @TempDir
    Path dir;

    @Test
    void shouldRunTheCliFromTheUnpackedApplication() throws Exception {
        Result version = run("--version");

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("reetik 0.1.0");
    }

    @Test
    void shouldRefuseABadArgumentClearlyAndKeepNoArchiveOfThatRun() throws Exception {
        Files.deleteIfExists(ARCHIVE);

        Result refused = run("generate", "Les volcans d'Islande", "--duration", "5");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.output()).contains("--duration must be from 8 to 180 seconds")
                .doesNotContain("[warning]", "[error]");
        assertThat(ARCHIVE).doesNotExist();
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bin/reetik").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("REETIK_DATA_DIR", dir.resolve("data").toString());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/reetik did not end in 90 s: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
