package com.reetik.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark 1 (overhead over the agents), poll-wait part: N videos of 9 blocks at once against Cloud Run agent
 * stubs whose clip operations take a fixed latency, with the default 10 s poll interval. Compares N=1 with N=10
 * (or the counts given). The product is the real {@code reetik.jar serve} in its own JVM, or ({@code --on cluster})
 * the deployed shape: one gateway, one agent-bridge and one status-projector, each its own JVM, on a 3-node Kafka
 * cluster ({@link ServicesOnCluster}); either driven over the HTTP API. Prints figures; asserts nothing. See
 * docs/performance.md.
 *
 * <pre>
 * bench/poll-overhead.sh, or PollOverhead [--jar standalone/target/reetik.jar] [--latency-ms 5000] [--counts 1,10]
 *     [--script-latency-ms 0] [--assembly-latency-ms 0] [--poll-ms 10000]
 *     [--workers N]   (REETIK_BLOCK_WORKERS; default: the server's own default)
 *     [--warm-up N]   (videos in the warm-up batch before the measured ones; default 1)
 *     [--on serve|cluster]   (default serve; cluster: the three service jars of the build, on 3 Kafka nodes)
 *     (SERVE_JAVA_OPTS in the environment: more options for the server's JVM, or each service's)
 * </pre>
 */
public final class PollOverhead {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(opts.getOrDefault("jar", "standalone/target/reetik.jar"));
        long clipLatencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "5000"));
        long scriptLatencyMs = Long.parseLong(opts.getOrDefault("script-latency-ms", "0"));
        long assemblyLatencyMs = Long.parseLong(opts.getOrDefault("assembly-latency-ms", "0"));
        long pollMs = Long.parseLong(opts.getOrDefault("poll-ms", "10000"));
        List<Integer> counts = new ArrayList<>();
        for (String c : opts.getOrDefault("counts", "1,10").split(",")) {
            counts.add(Integer.parseInt(c.trim()));
        }
        int warmUp = Integer.parseInt(opts.getOrDefault("warm-up", "1"));
        idleSeconds = Integer.parseInt(opts.getOrDefault("idle-s", "0"));
        String on = opts.getOrDefault("on", "serve");
        if (!on.equals("serve") && !on.equals("cluster")) {
            System.err.println("--on takes serve or cluster, not " + on);
            System.exit(2);
        }
        if (on.equals("cluster")) {
            for (String service : ServicesOnCluster.SERVICES) {
                if (!Files.isRegularFile(Path.of(service, "target", service + ".jar"))) {
                    System.err.println("no " + service + "/target/" + service + ".jar: build first (mvn -B -ntp -DskipTests package)");
                    System.exit(2);
                }
            }
        } else if (!Files.isRegularFile(jar)) {
            System.err.println("no " + jar + ": build first (mvn -B -ntp -DskipTests package)");
            System.exit(2);
        }
        try (CloudRunStub stub = new CloudRunStub(scriptLatencyMs, clipLatencyMs, assemblyLatencyMs)) {
            Path data = Files.createTempDirectory("reetik-bench-poll");
            Map<String, String> env = stub.serveEnv(); // one user makes every video of the run at once
            env.put("REETIK_POLL_INTERVAL_MS", String.valueOf(pollMs));
            if (opts.containsKey("workers")) {
                env.put("REETIK_BLOCK_WORKERS", opts.get("workers"));
            }
            System.out.printf("== %s, clip latency %d ms, script %d ms, assembly %d ms, poll interval %d ms, block workers %s, %d cores%n",
                    on.equals("cluster") ? "gateway, agent-bridge, status-projector on a 3-node Kafka cluster" : jar,
                    clipLatencyMs, scriptLatencyMs, assemblyLatencyMs, pollMs, opts.getOrDefault("workers", "default"),
                    Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            // SERVE_JAVA_OPTS: more options for the server's JVM (a JFR recording, a setting to try: -Dname=value)
            String serveOpts = System.getenv().getOrDefault("SERVE_JAVA_OPTS", "").trim();
            List<String> extra = serveOpts.isEmpty() ? List.of() : List.of(serveOpts.split("\\s+"));
            if (on.equals("cluster")) {
                List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
                jvm.addAll(extra);
                try (ServicesOnCluster stack = ServicesOnCluster.start(data, env, jvm)) {
                    System.out.printf("cluster and services ready after %.1f s (logs: %s)%n",
                            (System.nanoTime() - t0) / 1e9, data);
                    runAll(stack.api(), warmUp, counts, scriptLatencyMs, clipLatencyMs, assemblyLatencyMs, pollMs, stub,
                            stack.pids());
                }
            } else {
                List<String> jvm = new ArrayList<>(List.of("-Xmx768m"));
                jvm.addAll(extra);
                int port = Api.freePort();
                Process server = Api.serve(jar, data, port, env, jvm);
                try {
                    System.out.printf("server healthy after %.1f s (log: %s)%n", (System.nanoTime() - t0) / 1e9,
                            data.resolve("serve.log"));
                    runAll("http://127.0.0.1:" + port, warmUp, counts, scriptLatencyMs, clipLatencyMs, assemblyLatencyMs,
                            pollMs, stub, Map.of("serve", server.pid()));
                } finally {
                    Api.stop(server);
                }
            }
        }
    }

    private static void runAll(String api, int warmUp, List<Integer> counts, long scriptLatencyMs, long clipLatencyMs,
                               long assemblyLatencyMs, long pollMs, CloudRunStub stub, Map<String, Long> pids)
            throws Exception {
        // The anchor: a video can be no faster than its script, then the first check at or after its clips'
        // latency (checks every pollMs from each submission, each allowed from a twentieth of the interval
        // early, as the bridge makes them; the blocks of a video start together, any number of operations
        // wait at once), then its assembly.
        long checkFrom = pollMs - pollMs / 20;
        ideal = (scriptLatencyMs + (long) Math.ceil((double) clipLatencyMs / checkFrom) * checkFrom
                + assemblyLatencyMs) / 1000.0;
        System.out.printf("ideal schedule: %.1f s per video, whatever the number at once%n", ideal);
        String token = Api.register(api);
        // Warm-up: the first videos pay for group joins, producers' ids and JIT, as no later user of a running service
        // does (on the cluster, six JVMs compile at once: one warm-up video leaves them compiling through the batches).
        runBatch(api, token, warmUp, "warm-up", pids);
        if (idleSeconds > 0) {
            idle(idleSeconds, pids);
        }
        for (int n : counts) {
            runBatch(api, token, n, n + " at once", pids);
        }
        System.out.printf("stub calls: %d scripts, %d clips started, %d check calls (each about any operations of one video)%n",
                stub.scripts.get(), stub.clipsStarted.get(), stub.checks.get());
    }

    private static double ideal;
    /** {@code --idle-s N}: after the warm-up, the CPU each process spends in N seconds with no video in flight. */
    private static int idleSeconds;

    /** What the processes cost with nothing to do (polls, heartbeats, the JIT finishing the warm-up's paths). */
    static void idle(int seconds, Map<String, Long> pids) throws InterruptedException {
        Map<String, Long> processes = new java.util.LinkedHashMap<>(pids);
        processes.put("this harness and the agent stub", ProcessHandle.current().pid());
        Map<String, Double> before = cpuSeconds(processes);
        Thread.sleep(seconds * 1000L);
        System.out.printf("idle       %d s, no video in flight: CPU %s, of %d s%n", seconds,
                cpuUsed(before, cpuSeconds(processes)), seconds * Runtime.getRuntime().availableProcessors());
    }

    static void runBatch(String api, String token, int n, String label, Map<String, Long> pids) throws Exception {
        // "At once": the n creations are sent side by side, as n users would (one after another, the last video
        // started only after n - 1 round trips, and the figure measured the client's loop as much as the server).
        ExecutorService clients = Executors.newFixedThreadPool(Math.min(n, 100));
        Map<String, Long> processes = new java.util.LinkedHashMap<>(pids);
        processes.put("this harness and the agent stub", ProcessHandle.current().pid());
        Map<String, Double> cpuBefore = cpuSeconds(processes);
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try {
            List<Future<String>> creations = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String theme = "Bench video " + label + " " + i;
                creations.add(clients.submit(() -> Api.create(api, token, theme, 36)));
            }
            for (Future<String> creation : creations) {
                ids.add(creation.get());
            }
        } finally {
            clients.shutdown();
        }
        double created = (System.nanoTime() - start) / 1e9;
        Map<String, Double> done = Api.awaitCompleted(api, token, ids, start, Duration.ofSeconds(600));
        double max = done.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = done.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        System.out.printf("%-10s %3d videos x 9 blocks: all completed in %.1f s (first %.1f s) = ideal + %.1f s, %.2f x ideal"
                + " (the %d creations, sent at once, answered within %.1f s)%n", label, n, max, min, max - ideal, max / ideal, n, created);
        // Where the cores went meanwhile (user + system time of each process, from /proc), against what the machine had.
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf("           CPU meanwhile: %s, of %.1f s (%d cores x %.1f s)%n",
                cpuUsed(cpuBefore, cpuSeconds(processes)), wall * Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(), wall);
    }

    /** "name 1.2 s, other 3.4 s; 4.6 s in all": each process's CPU between two readings of {@link #cpuSeconds}. */
    static String cpuUsed(Map<String, Double> before, Map<String, Double> after) {
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            total += used;
            line.append(String.format("%s%s %.1f s", line.length() == 0 ? "" : ", ", e.getKey(), used));
        }
        return line + String.format("; %.1f s in all", total);
    }

    /** User + system CPU seconds of each process (from /proc/{pid}/stat; 0 where it cannot be read), by name. */
    static Map<String, Double> cpuSeconds(Map<String, Long> pids) {
        Map<String, Double> cpu = new java.util.LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based over the whole line)
                cpu.put(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS);
            } catch (java.io.IOException | RuntimeException e) {
                cpu.put(name, 0.0);
            }
        });
        return cpu;
    }

    /** Linux's USER_HZ, the unit of /proc/{pid}/stat's times: 100 on every architecture this runs on. */
    private static final int CLOCK_TICKS = 100;
}
