package com.reetik.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM: a main class on a classpath, or {@code -jar}, with its own environment, stdout and
 * stderr appended to one log file, and a hard kill ({@code SIGKILL}) for failure drills.
 *
 * <p>Every process started here is also registered with a JVM shutdown hook that kills it, so that a
 * failing or aborted test run does not leave JVMs behind (a {@code SIGKILL} of the test JVM itself
 * cannot be caught; {@code pgrep -f} the main class to check).
 *
 * <pre>{@code
 * JavaProcess gateway = JavaProcess.jar(Path.of("gateway/target/gateway.jar"))
 *         .name("gateway")
 *         .jvmArgs("-Xmx256m")
 *         .env("SPRING_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers())
 *         .args("--server.port=0")
 *         .logFile(dir.resolve("gateway.log"))
 *         .start();
 * ...
 * gateway.kill();          // kill -9
 * gateway.stop(Duration.ofSeconds(10)); // SIGTERM, then SIGKILL after the grace period
 * }</pre>
 */
public final class JavaProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "java-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private final List<String> command;

    private JavaProcess(String name, Process process, Path logFile, List<String> command) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.command = command;
    }

    /** A JVM running {@code mainClass} (the classpath defaults to this JVM's own). */
    public static Builder mainClass(String mainClass) {
        return new Builder(Objects.requireNonNull(mainClass), null);
    }

    /** A JVM running {@code java -jar jar}. */
    public static Builder jar(Path jar) {
        return new Builder(null, Objects.requireNonNull(jar));
    }

    /** The {@code java} launcher of the running JVM ({@code java.home}/bin/java). */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> command() {
        return command;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** {@code kill -9}: no shutdown hooks, no flushing, no controlled shutdown. Waits for the exit. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExitOrThrow(Duration.ofSeconds(30));
    }

    /**
     * {@code SIGTERM} (the JVM runs its shutdown hooks, e.g. a Kafka controlled shutdown), then
     * {@code SIGKILL} if still alive after {@code grace}.
     *
     * @return the exit code (137 = killed)
     */
    public int stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(grace)) {
                process.destroyForcibly();
            }
        }
        return awaitExitOrThrow(Duration.ofSeconds(30));
    }

    /** @return true if the process has exited within {@code timeout} */
    public boolean waitFor(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                LIVE.remove(process);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
    }

    /** The exit code; fails if the process is still running. */
    public int exitValue() {
        return process.exitValue();
    }

    private int awaitExitOrThrow(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** The last {@code lines} lines of the log file, for failure messages. */
    public String tail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "<no " + file + ">";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    /** Same as {@link #stop(Duration)} with 15 s of grace. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + (isAlive() ? ", alive" : ", exited") + ")";
    }

    public static final class Builder {
        private final String mainClass;
        private final Path jar;
        private String name;
        private String classpath = System.getProperty("java.class.path");
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path workingDir;
        private Path logFile;

        private Builder(String mainClass, Path jar) {
            this.mainClass = mainClass;
            this.jar = jar;
            this.name = mainClass != null ? mainClass : jar.getFileName().toString();
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Only for a main class; defaults to {@code java.class.path} of this JVM. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        public Builder env(String key, String value) {
            this.env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env.putAll(env);
            return this;
        }

        public Builder workingDir(Path workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        /** stdout and stderr, appended (a restart keeps the earlier output). Required. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public JavaProcess start() {
            Objects.requireNonNull(logFile, "logFile");
            Path launcher = javaExecutable();
            if (!Files.isExecutable(launcher)) {
                throw new IllegalStateException("No java launcher at " + launcher);
            }
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                List<String> cmd = new ArrayList<>();
                cmd.add(launcher.toString());
                cmd.addAll(jvmArgs);
                if (jar != null) {
                    cmd.add("-jar");
                    cmd.add(jar.toAbsolutePath().toString());
                } else {
                    cmd.addAll(classpathArguments());
                    cmd.add(mainClass);
                }
                cmd.addAll(args);
                ProcessBuilder pb = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
                if (workingDir != null) {
                    pb.directory(workingDir.toFile());
                }
                pb.environment().putAll(env);
                Files.writeString(logFile, "=== " + Instant.now() + " starting " + name + ": "
                                + abbreviate(cmd) + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Process process = pb.start();
                LIVE.add(process);
                return new JavaProcess(name, process, logFile, List.copyOf(cmd));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start " + name, e);
            }
        }

        /**
         * A long classpath (Linux limits one argument to 128 KiB) goes to an argument file, which the
         * {@code java} launcher reads as {@code @file}.
         */
        private List<String> classpathArguments() throws IOException {
            if (classpath == null || classpath.isEmpty()) {
                throw new IllegalStateException("No classpath for " + mainClass);
            }
            if (classpath.length() < 32 * 1024) {
                return List.of("-cp", classpath);
            }
            Path argFile = logFile.toAbsolutePath().getParent().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".classpath");
            Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"", StandardCharsets.UTF_8);
            return List.of("@" + argFile);
        }

        private static java.io.File nullFile() {
            return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
        }

        private static String abbreviate(List<String> cmd) {
            List<String> shown = new ArrayList<>(cmd);
            for (int i = 0; i < shown.size(); i++) {
                if (shown.get(i).length() > 200) {
                    shown.set(i, shown.get(i).substring(0, 120) + "...(" + shown.get(i).length() + " chars)");
                }
            }
            return String.join(" ", shown);
        }
    }
}
