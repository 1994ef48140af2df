package com.reetik.standalone;

import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.local.Ffmpeg;
import com.reetik.bridge.local.LocalAgents;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The baseline for {@code generate}: the same local-preview clips and assembly, ffmpeg alone (no
 * Kafka, no services), timed. See docs/performance.md.
 */
@Command(name = "bench-render", mixinStandardHelpOptions = true,
        description = "Time ffmpeg alone rendering and assembling the clips `generate` would make (no Kafka).")
final class BenchRenderCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "36", description = "Target duration in seconds (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--workers", defaultValue = "2", description = "Clips rendered at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warm-ups", defaultValue = "1", description = "Unmeasured runs first (default: ${DEFAULT-VALUE}).")
    int warmUps;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmUps < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--runs must be at least 1 and --warm-ups at least 0");
        }
        Path dir = Files.createTempDirectory("reetik-bench");
        try {
            LocalObjectStore store = new LocalObjectStore(dir.resolve("videos"));
            LocalAgents agents = new LocalAgents(new Ffmpeg(Optional.ofNullable(System.getenv("FFMPEG_PATH"))
                    .filter(s -> !s.isBlank()).map(Path::of), dir.resolve("bin")), store, dir.resolve("work"), 4, 0.0,
                    new SplittableRandom(1));
            VideoRequest request = new VideoRequest("Les volcans d'Islande", duration, "informative", "fr", "9:16");
            System.out.printf(Locale.ROOT, "ffmpeg alone, %d s video, %d clip(s) at once, %d runs (%d warm-up)%n",
                    duration, workers, runs, warmUps);
            List<Long> totals = new ArrayList<>();
            for (int run = 1 - warmUps; run <= runs; run++) {
                String videoId = "bench_" + (run + warmUps);
                long start = System.nanoTime();
                List<ScriptBlock> blocks = agents.writeScript(videoId, request).blocks();
                ExecutorService pool = Executors.newFixedThreadPool(workers);
                List<Future<String>> clips = new ArrayList<>();
                for (ScriptBlock block : blocks) {
                    clips.add(pool.submit(() -> agents.generateClip(
                            new ClipRequest(videoId, null, blocks.size(), block, 1, request)).clipUri()));
                }
                List<String> uris = new ArrayList<>();
                for (Future<String> clip : clips) {
                    uris.add(clip.get());
                }
                pool.shutdown();
                long rendered = System.nanoTime();
                double seconds = agents.assemble(videoId, uris).durationS();
                long end = System.nanoTime();
                if (run > 0) {
                    totals.add(end - start);
                }
                System.out.printf(Locale.ROOT, "%s %d: %d clips in %.2f s, assembly %.2f s, total %.2f s (video %.1f s)%n",
                        run <= 0 ? "warm-up" : "run", run, blocks.size(), (rendered - start) / 1e9,
                        (end - rendered) / 1e9, (end - start) / 1e9, seconds);
            }
            totals.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "median total: %.2f s%n", totals.get(totals.size() / 2) / 1e9);
            return 0;
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
