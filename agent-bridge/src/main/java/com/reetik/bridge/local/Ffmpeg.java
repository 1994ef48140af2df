package com.reetik.bridge.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg binary of the local preview: {@code FFMPEG_PATH} when set, otherwise the static ffmpeg 4.4.1 shipped in
 * {@code ws.schild:jave-nativebin-linux64}, extracted once into a cache folder. Runs it with a timeout and reads
 * media facts from its stderr (there is no ffprobe).
 */
public final class Ffmpeg {

    /** The classpath resource of the bundled static ffmpeg (linux x86-64). */
    public static final String BUNDLED_RESOURCE = "ws/schild/jave/nativebin/ffmpeg-amd64";
    /** The environment variable naming an ffmpeg to use instead of the bundled one. */
    public static final String ENV_FFMPEG_PATH = "FFMPEG_PATH";

    private static final int STDERR_TAIL_LINES = 12;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern DURATION = Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private static final Pattern VIDEO = Pattern.compile("Stream #\\d+:\\d+.*?: Video: (\\w+).*?, (\\d{2,5})x(\\d{2,5})");
    private static final Pattern FPS = Pattern.compile("([\\d.]+)(k?) fps");
    private static final Pattern TBR = Pattern.compile("([\\d.]+)(k?) tbr");
    private static final Pattern AUDIO = Pattern.compile("Stream #\\d+:\\d+.*?: Audio: (\\w+).*?, (\\d+) Hz, ([^,]+)");
    private static final Pattern CHANNELS = Pattern.compile("(\\d+) channels");

    /** What ffmpeg says about a media file. Codecs are null (and rates 0) when the stream is absent. */
    public record MediaInfo(double durationS, int width, int height, String videoCodec, String audioCodec, double fps,
                            int sampleRate, int channels) {
    }

    private final Optional<Path> explicitPath;
    private final Path cacheDir;
    private Path binary;

    public Ffmpeg(Optional<Path> explicitPath, Path cacheDir) {
        this.explicitPath = Objects.requireNonNull(explicitPath, "explicitPath");
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** An ffmpeg from {@code FFMPEG_PATH} if set (and not blank), else the bundled one extracted into {@code cacheDir}. */
    public static Ffmpeg fromEnvironment(Path cacheDir) {
        String value = System.getenv(ENV_FFMPEG_PATH);
        Optional<Path> explicit = value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()));
        return new Ffmpeg(explicit, cacheDir);
    }

    /** The binary to run; extracts the bundled one on first use. */
    public synchronized Path binary() throws IOException {
        if (binary == null) {
            if (explicitPath.isPresent()) {
                Path path = explicitPath.get();
                if (!Files.isExecutable(path)) {
                    throw new IOException(ENV_FFMPEG_PATH + " is not an executable file: " + path);
                }
                binary = path;
            } else {
                binary = extractBundled();
            }
        }
        return binary;
    }

    private Path extractBundled() throws IOException {
        URL resource = Ffmpeg.class.getClassLoader().getResource(BUNDLED_RESOURCE);
        if (resource == null) {
            throw new IOException("no ffmpeg: set " + ENV_FFMPEG_PATH + " or put ws.schild:jave-nativebin-linux64 "
                    + "on the classpath (resource " + BUNDLED_RESOURCE + " not found)");
        }
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve("ffmpeg-amd64");
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false);
        long expectedSize = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && (expectedSize < 0 ? Files.size(target) > 0 : Files.size(target) == expectedSize)) {
            makeExecutable(target);
            return target;
        }
        Path tmp = Files.createTempFile(cacheDir, ".ffmpeg-", ".part");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            makeExecutable(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            permissions.addAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("cannot make executable: " + file, e);
            }
        }
    }

    /**
     * Runs {@code ffmpeg -hide_banner -nostdin <args>}; returns its stderr. A non-zero exit or the timeout (the
     * process is killed) is an {@link IOException} carrying the last stderr lines.
     */
    public String run(List<String> args, Duration timeout) throws IOException {
        return exec(args, timeout, true).stderr();
    }

    /** Like {@link #run} but returns what ffmpeg wrote to stdout (e.g. {@code -f rawvideo -}). */
    public byte[] runForOutput(List<String> args, Duration timeout) throws IOException {
        return exec(args, timeout, true).stdout();
    }

    /** The duration, size, codecs, frame rate and audio layout of a media file. */
    public MediaInfo probe(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such media file: " + file);
        }
        // ffmpeg exits 1 here ("At least one output file must be specified"): read stderr regardless.
        Result result = exec(List.of("-i", file.toAbsolutePath().toString()), PROBE_TIMEOUT, false);
        return parseMediaInfo(result.stderr(), file);
    }

    static MediaInfo parseMediaInfo(String stderr, Path file) throws IOException {
        Matcher duration = DURATION.matcher(stderr);
        if (!duration.find()) {
            throw new IOException("ffmpeg cannot read " + file + ": " + tail(stderr));
        }
        double durationS = Integer.parseInt(duration.group(1)) * 3600.0 + Integer.parseInt(duration.group(2)) * 60.0
                + Double.parseDouble(duration.group(3));
        int width = 0;
        int height = 0;
        String videoCodec = null;
        double fps = 0;
        String audioCodec = null;
        int sampleRate = 0;
        int channels = 0;
        for (String line : stderr.split("\\R")) {
            Matcher video = VIDEO.matcher(line);
            if (videoCodec == null && video.find()) {
                videoCodec = video.group(1);
                width = Integer.parseInt(video.group(2));
                height = Integer.parseInt(video.group(3));
                Matcher rate = FPS.matcher(line);
                if (!rate.find()) {
                    rate = TBR.matcher(line);
                    if (!rate.find()) {
                        rate = null;
                    }
                }
                if (rate != null) {
                    fps = Double.parseDouble(rate.group(1)) * (rate.group(2).isEmpty() ? 1 : 1000);
                }
                continue;
            }
            Matcher audio = AUDIO.matcher(line);
            if (audioCodec == null && audio.find()) {
                audioCodec = audio.group(1);
                sampleRate = Integer.parseInt(audio.group(2));
                channels = channelCount(audio.group(3).trim());
            }
        }
        return new MediaInfo(durationS, width, height, videoCodec, audioCodec, fps, sampleRate, channels);
    }

    private static int channelCount(String layout) {
        Matcher count = CHANNELS.matcher(layout);
        if (count.find()) {
            return Integer.parseInt(count.group(1));
        }
        String name = layout.replaceAll("\\(.*\\)", "").trim();
        return switch (name) {
            case "mono" -> 1;
            case "stereo", "downmix" -> 2;
            case "2.1", "3.0", "3.0(back)" -> 3;
            case "4.0", "quad", "quad(side)", "3.1" -> 4;
            case "5.0", "5.0(side)", "4.1" -> 5;
            case "5.1", "5.1(side)", "6.0" -> 6;
            case "7.1", "7.1(wide)" -> 8;
            default -> 0;
        };
    }

    private record Result(int exitCode, byte[] stdout, String stderr) {
    }

    private Result exec(List<String> args, Duration timeout, boolean failOnExit) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.add("-hide_banner");
        command.add("-nostdin");
        command.addAll(args);
        Path out = Files.createTempFile("reetik-ffmpeg-", ".out");
        Path err = Files.createTempFile("reetik-ffmpeg-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running ffmpeg");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!finished) {
                kill(process);
                throw new IOException("ffmpeg timed out after " + timeout.toMillis() + " ms and was killed: "
                        + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            int exit = process.exitValue();
            if (failOnExit && exit != 0) {
                throw new IOException("ffmpeg exited with " + exit + ": " + tail(stderr));
            }
            return new Result(exit, Files.readAllBytes(out), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last non-blank lines of ffmpeg's stderr, joined with " | ". */
    static String tail(String stderr) {
        List<String> lines = Arrays.stream(stderr.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
        return last.isEmpty() ? "(no output)" : String.join(" | ", last);
    }
}
