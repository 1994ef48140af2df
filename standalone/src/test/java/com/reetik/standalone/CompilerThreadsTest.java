package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerThreadsTest {

    @Test
    void theCompilerThreadsOfThisJvmRunAtTheLowestPriorityAndNoOtherThreadDoes() throws Exception {
        Path tasks = Path.of("/proc/self/task");
        assumeTrue(Files.isDirectory(tasks), "Linux only");
        List<String> compilers = CompilerThreads.ids(tasks);
        assertThat(compilers).as("HotSpot's C1 and C2 threads").hasSizeGreaterThanOrEqualTo(2);

        assertThat(CompilerThreads.lowerPriority()).isEqualTo(compilers.size());

        for (String id : compilers) {
            assertThat(nice(tasks.resolve(id))).as("compiler thread " + id).isEqualTo(CompilerThreads.NICE);
        }
        // this test's own thread, which would render in serve, keeps its priority
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        assertThat(compilers).doesNotContain(self);
        assertThat(nice(tasks.resolve(self))).isLessThan(CompilerThreads.NICE);
    }

    @Test
    void aDirectoryWithoutThreadsGivesNoIds(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThat(CompilerThreads.ids(empty)).isEmpty();
        assertThat(CompilerThreads.ids(empty.resolve("missing"))).isEmpty();
    }

    /** The thread's nice value: field 19 of /proc/…/task/{id}/stat. */
    private static int nice(Path task) throws Exception {
        String stat = Files.readString(task.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
