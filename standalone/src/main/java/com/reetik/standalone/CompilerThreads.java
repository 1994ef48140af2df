package com.reetik.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the JIT compiler's threads of this JVM the lowest scheduling priority (nice 19), so that the local preview's
 * ffmpeg renders, on the same cores, go first and the compiler uses what they leave. A running {@code serve} still
 * compiles 3–4 s of CPU per 36 s video after several videos (docs/performance.md, "Local preview"): at the same
 * priority that CPU was taken from the renders the user waits for; lowered, the same compilations happen in the
 * gaps between renders. The Kafka, HTTP and pipeline threads keep their priority.
 *
 * <p>Hand-written because neither Java nor a library does it: Java has no API for a thread's niceness, and HotSpot's
 * own {@code -XX:CompilerThreadPriority} acts only with {@code -XX:ThreadPriorityPolicy=1}, which re-prioritizes every
 * Java thread too and, for a user other than root, prints a warning at every start. This reads the threads of
 * {@code /proc/self/task} and runs {@code renice} on the compiler's (lowering a priority needs no permission). Linux
 * only; elsewhere, or without {@code renice}, it does nothing and says so at debug level.
 */
final class CompilerThreads {

    private static final Logger log = LoggerFactory.getLogger(CompilerThreads.class);
    /** HotSpot's names for them, as Linux keeps them (15 characters): "C1 CompilerThread0", "C2 CompilerThread1". */
    private static final List<String> NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");
    static final int NICE = 19;

    private CompilerThreads() {
    }

    /** Lowers the priority of this JVM's compiler threads; returns how many it lowered (0 where it cannot). */
    static int lowerPriority() {
        Path tasks = Path.of("/proc/self/task");
        List<String> ids = ids(tasks);
        if (ids.isEmpty()) {
            log.debug("No compiler thread found in {}: their priority is left as it is", tasks);
            return 0;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", String.valueOf(NICE), "-p"));
        command.addAll(ids);
        try {
            Process renice = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return 0;
            }
            if (renice.exitValue() != 0) {
                log.debug("renice of the compiler threads {} exited with {}", ids, renice.exitValue());
                return 0;
            }
            log.debug("Compiler threads {} lowered to nice {}", ids, NICE);
            return ids.size();
        } catch (IOException e) {
            log.debug("No renice here ({}): the compiler threads keep their priority", e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The ids of the compiler threads among the tasks of {@code tasks} (a {@code /proc/<pid>/task} directory). */
    static List<String> ids(Path tasks) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(tasks)) {
            return ids;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (NAMES.stream().anyMatch(name::startsWith)) {
                        ids.add(thread.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return ids;
    }
}
