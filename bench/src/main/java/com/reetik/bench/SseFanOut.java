package com.reetik.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3 of issue 12, change to screen: {@code reetik.jar serve} with Cloud Run agent stubs whose clips take
 * {@code clip-latency-s}; V videos of 16 s (4 blocks) created by U users; once every clip is submitted (the videos
 * wait on their agents, as with Veo), Gatling ({@link SseFanOutSimulation}, in its own JVM) opens S event streams
 * spread evenly over the videos and reads them to the end, while the clips complete and the videos are assembled.
 * Prints the latency from each event's append to its receipt (p50/p99/max), the streams' ends, Gatling's own
 * connection figures, and the server's heap per idle subscriber: heap after a full GC with every stream open and
 * no video changing, minus the same before the first stream, over S.
 *
 * <pre>bench/sse-fan-out.sh [videos 1000] [subscribers 10000] [users 50] [ramp s 40] [clip latency s 400]</pre>
 */
public final class SseFanOut {

    public static void main(String[] args) throws Exception {
        int videos = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int rampSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int clipLatencySeconds = args.length > 4 ? Integer.parseInt(args[4]) : 400;
        Path jar = Path.of("standalone/target/reetik.jar");
        Path data = Files.createTempDirectory("reetik-bench-sse");
        System.out.printf("== SSE fan-out: %,d subscribers over %,d videos of %,d users, ramp %d s, clips of %d s; %d cores%n",
                subscribers, videos, users, rampSeconds, clipLatencySeconds, Runtime.getRuntime().availableProcessors());
        try (CloudRunStub stub = new CloudRunStub(0, clipLatencySeconds * 1000L, 0)) {
            int port = Api.freePort();
            Process server = Api.serve(jar, data, port, stub.serveEnv(), List.of("-Xmx1g"));
            try {
                String api = "http://127.0.0.1:" + port;
                List<String> tokens = new ArrayList<>();
                for (int u = 0; u < users; u++) {
                    tokens.add(Api.register(api));
                }
                long t0 = System.nanoTime();
                List<String> rows = createVideos(api, tokens, videos);
                System.out.printf("%,d videos created in %.1f s%n", videos, (System.nanoTime() - t0) / 1e9);
                long clips = videos * 4L;
                while (stub.clipsStarted.get() < clips) {
                    if ((System.nanoTime() - t0) / 1e9 > clipLatencySeconds / 2.0) {
                        System.out.printf("only %,d of %,d clips submitted before half the clip latency: the streams "
                                + "would open on videos already changing%n", stub.clipsStarted.get(), clips);
                        break;
                    }
                    Thread.sleep(200);
                }
                System.out.printf("%,d clips submitted %.1f s after the first creation%n", stub.clipsStarted.get(),
                        (System.nanoTime() - t0) / 1e9);
                // The server's readers catch up with the submissions (the projector's views, the gateway's replica)
                // before the heap is measured: what they fold after it would count against the subscribers (seen:
                // 34.9 KB per subscriber when the 4,000 clips were submitted in 31 s, 28 KB when it took 146 s).
                double settled = awaitBlocksShown(api, rows, t0, t0 + (long) (clipLatencySeconds / 2.0 * 1e9));
                System.out.printf("every block shown started in its video's view %.1f s after the first creation%n", settled);
                Path feeder = data.resolve("feeder.csv");
                Files.writeString(feeder, "token,videoId\n" + String.join("\n", rows) + "\n");
                long before = Api.heapAfterGcKb(server.pid(), 3);

                // A stream not ended by then counts as timed out: the clips' latency, the ramp and 3 minutes to spare.
                int maxMinutes = (clipLatencySeconds + rampSeconds + 180 + 59) / 60;
                Process gatling = gatling(api, feeder, subscribers, rampSeconds, maxMinutes, data);
                // Every stream open and no video changing yet: the heap held by idle subscribers.
                long idleAt = rampSeconds + 10L;
                if (gatling.waitFor(idleAt, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Gatling ended before the streams were all open: exit " + gatling.exitValue());
                }
                long idleElapsed = (System.nanoTime() - t0) / 1_000_000_000L;
                long during = Api.heapAfterGcKb(server.pid(), 3);
                System.out.printf("server heap after full GC: %,d KB before the streams, %,d KB with %,d idle streams "
                                + "(%.1f s after the first creation) = %.1f KB per idle subscriber (goal < 30 KB)%n",
                        before, during, subscribers, (double) idleElapsed, (during - before) / (double) subscribers);
                if (idleElapsed >= clipLatencySeconds) {
                    System.out.println("(clips were already completing: the figure includes changing videos)");
                }
                int exit = gatling.waitFor(30, TimeUnit.MINUTES) ? gatling.exitValue() : -1;
                System.out.printf("Gatling exited with %d; stub calls: %d scripts, %d clips, %d check calls (each about any operations of one video)%n", exit,
                        stub.scripts.get(), stub.clipsStarted.get(), stub.checks.get());
                // How many views the live path sent ahead of the projector's, and whether any differed from them.
                Api.get(api + "/actuator/prometheus", "none").lines()
                        .filter(line -> line.startsWith("reetik_sse_live_") || line.startsWith("reetik_sse_view_delay_seconds{"))
                        .forEach(line -> System.out.println("gateway: " + line));
            } finally {
                Api.stop(server);
            }
        }
    }

    /**
     * Waits until each video's view ({@code GET /api/videos/{id}}, once per video when it is already there) shows no
     * block pending; answers the seconds since {@code t0}, or gives up (NaN) at {@code deadlineNanos}.
     */
    private static double awaitBlocksShown(String api, List<String> rows, long t0, long deadlineNanos)
            throws Exception {
        for (String row : rows) {
            String token = row.substring(0, row.indexOf(','));
            String videoId = row.substring(row.indexOf(',') + 1);
            while (true) {
                String view = Api.get(api + "/api/videos/" + videoId, token);
                if (view.contains("\"blocks\"") && !view.contains("\"state\":\"pending\"")) {
                    break;
                }
                if (System.nanoTime() > deadlineNanos) {
                    System.out.printf("video %s still shows a block pending at half the clip latency%n", videoId);
                    return Double.NaN;
                }
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Creates the videos round-robin over the users, 4 at a time; one feeder row ({@code token,videoId}) each. */
    private static List<String> createVideos(String api, List<String> tokens, int videos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> rows = new ArrayList<>();
            for (int v = 0; v < videos; v++) {
                String token = tokens.get(v % tokens.size());
                int n = v;
                rows.add(pool.submit(() -> token + "," + Api.create(api, token, "Les volcans d'Islande " + n, 16)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> row : rows) {
                out.add(row.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Process gatling(String api, Path feeder, int subscribers, int rampSeconds, int maxMinutes, Path data)
            throws Exception {
        return Api.gatling(SseFanOutSimulation.class, "2g", Map.of("reetik.bench.base-url", api,
                        "reetik.bench.feeder", feeder.toString(), "reetik.bench.subscribers", String.valueOf(subscribers),
                        "reetik.bench.ramp-s", String.valueOf(rampSeconds), "reetik.bench.max-min", String.valueOf(maxMinutes)),
                data.resolve("gatling"), "sse-fan-out").inheritIO().start();
    }
}
