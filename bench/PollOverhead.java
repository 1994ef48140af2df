// Poll-wait overhead: N videos of 9 blocks at once against Cloud Run agent stubs whose clip operations take a
// fixed latency, with the default 10 s poll interval. Compares N=1 with N=10 (or the counts given).
//
//   java bench/PollOverhead.java [--jar standalone/target/reetik.jar] [--latency-ms 5000] [--counts 1,10]
//                                [--script-latency-ms 0] [--assembly-latency-ms 0] [--poll-ms 10000]
//                                [--workers N]   (REETIK_BLOCK_WORKERS; default: the server's own default)
//
// Runs with the JDK alone (source-file mode): the stubs are a com.sun.net.httpserver server that follows the
// Cloud Run contract of docs/agents.md; the product is the real `reetik.jar serve` in its own JVM, driven
// over its HTTP API. Prints figures; asserts nothing. See docs/performance.md.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class PollOverhead {

    static long clipLatencyMs = 5000;
    static long scriptLatencyMs = 0;
    static long assemblyLatencyMs = 0;
    static final AtomicInteger scripts = new AtomicInteger();
    static final AtomicInteger clipsStarted = new AtomicInteger();
    static final AtomicInteger checks = new AtomicInteger();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(opts.getOrDefault("jar", "standalone/target/reetik.jar"));
        clipLatencyMs = Long.parseLong(opts.getOrDefault("latency-ms", "5000"));
        scriptLatencyMs = Long.parseLong(opts.getOrDefault("script-latency-ms", "0"));
        assemblyLatencyMs = Long.parseLong(opts.getOrDefault("assembly-latency-ms", "0"));
        long pollMs = Long.parseLong(opts.getOrDefault("poll-ms", "10000"));
        List<Integer> counts = new ArrayList<>();
        for (String c : opts.getOrDefault("counts", "1,10").split(",")) {
            counts.add(Integer.parseInt(c.trim()));
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println("no " + jar + ": build first (mvn -B -ntp -DskipTests package)");
            System.exit(2);
        }
        HttpServer stub = startStub();
        int stubPort = stub.getAddress().getPort();
        String base = "http://127.0.0.1:" + stubPort;
        Path data = Files.createTempDirectory("reetik-bench-poll");
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx768m", "-jar", jar.toString(), "serve");
        Map<String, String> env = pb.environment();
        env.put("REETIK_DATA_DIR", data.toString());
        env.put("REETIK_MAX_ACTIVE_VIDEOS", "1000"); // one user makes every video of the run at once
        env.put("REETIK_DAILY_SECONDS", "1000000");
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("REETIK_AGENTS", "cloud-run");
        env.put("AGENT_SCRIPT_V2", base);
        env.put("AGENT_VIDEO_V2", base);
        env.put("CHECK_AND_RETRY", base);
        env.put("AGENT_ASSEMBLER_V2", base);
        env.put("REETIK_POLL_INTERVAL_MS", String.valueOf(pollMs));
        if (opts.containsKey("workers")) {
            env.put("REETIK_BLOCK_WORKERS", opts.get("workers"));
        }
        pb.redirectErrorStream(true).redirectOutput(data.resolve("serve.log").toFile());
        System.out.printf("== %s, clip latency %d ms, script %d ms, assembly %d ms, poll interval %d ms, block workers %s, %d cores%n",
                jar, clipLatencyMs, scriptLatencyMs, assemblyLatencyMs, pollMs, opts.getOrDefault("workers", "default"),
                Runtime.getRuntime().availableProcessors());
        Process server = pb.start();
        try {
            String api = "http://127.0.0.1:" + port;
            long t0 = System.nanoTime();
            awaitHealthy(api, Duration.ofMinutes(3));
            System.out.printf("server healthy after %.1f s (log: %s)%n", (System.nanoTime() - t0) / 1e9, data.resolve("serve.log"));
            String token = register(api);
            // Warm-up video: the first one pays for group joins and JIT, as no later user does.
            runBatch(api, token, 1, "warm-up");
            for (int n : counts) {
                runBatch(api, token, n, n + " at once");
            }
            System.out.printf("stub calls: %d scripts, %d clips started, %d checks; status GETs that stalled 5 s and were asked again: %d%n",
                    scripts.get(), clipsStarted.get(), checks.get(), stalledGets.get());
        } finally {
            server.destroy();
            server.waitFor();
            stub.stop(0);
        }
    }

    static void runBatch(String api, String token, int n, String label) throws Exception {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"theme\":\"Bench video " + label + " " + i + "\",\"target_duration\":36}";
            String answer = send(api + "/api/videos", token, body, 202);
            ids.add(field(answer, "video_id"));
        }
        Map<String, Double> done = new ConcurrentHashMap<>();
        while (done.size() < n) {
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                String view = get(api + "/api/videos/" + id, token);
                String status = field(view, "status");
                if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                    if (!status.equals("completed")) {
                        throw new IllegalStateException(id + " ended " + status + ": " + view);
                    }
                    done.put(id, (System.nanoTime() - start) / 1e9);
                }
            }
            if ((System.nanoTime() - start) / 1e9 > 600) {
                throw new IllegalStateException("not done after 600 s: " + done.size() + "/" + n);
            }
            Thread.sleep(100);
        }
        double max = done.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = done.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        System.out.printf("%-10s %3d videos x 9 blocks: all completed in %.1f s (first %.1f s)%n", label, n, max, min);
    }

    // --- Cloud Run agent stubs (docs/agents.md) ---------------------------------------------------------------

    static HttpServer startStub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "agent-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/generate", PollOverhead::generate);
        server.createContext("/check", PollOverhead::check);
        server.createContext("/assemble", PollOverhead::assemble);
        server.start();
        return server;
    }

    static void generate(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (body.contains("\"block_index\"")) {
            clipsStarted.incrementAndGet();
            String video = field(body, "video_id");
            String block = number(body, "block_index");
            reply(exchange, "{\"operation\":\"ops/" + video + "/" + block + "/" + System.currentTimeMillis() + "\"}");
            return;
        }
        scripts.incrementAndGet();
        sleep(scriptLatencyMs);
        int duration = Integer.parseInt(number(body, "target_duration"));
        StringBuilder blocks = new StringBuilder();
        for (int i = 1; i <= (duration + 3) / 4; i++) {
            blocks.append(i > 1 ? "," : "").append("{\"index\":").append(i)
                    .append(",\"prompt\":\"plan ").append(i).append("\",\"narration\":\"texte ").append(i)
                    .append("\",\"duration\":4}");
        }
        reply(exchange, "{\"video_id\":\"bench_" + scripts.get() + "_" + System.nanoTime() + "\",\"blocks\":[" + blocks + "]}");
    }

    static void check(HttpExchange exchange) throws IOException {
        checks.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"(\\d+)\"\\s*:\\s*\"ops/([^/\"]+)/(\\d+)/(\\d+)\"").matcher(body);
        StringBuilder status = new StringBuilder();
        while (m.find()) {
            long started = Long.parseLong(m.group(4));
            boolean done = System.currentTimeMillis() - started >= clipLatencyMs;
            status.append(status.length() > 0 ? "," : "").append("\"").append(m.group(1)).append("\":")
                    .append(done ? "{\"state\":\"done\",\"clip_uri\":\"gs://bench/" + m.group(2) + "/clips/block_"
                            + m.group(3) + ".mp4\",\"duration\":4}" : "{\"state\":\"running\"}");
        }
        reply(exchange, "{\"clips_status\":{" + status + "}}");
    }

    static void assemble(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        sleep(assemblyLatencyMs);
        reply(exchange, "{\"final_url\":\"gs://bench/" + field(body, "video_id") + "/final.mp4\",\"duration\":36.0}");
    }

    static void reply(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    // --- the product's HTTP API -------------------------------------------------------------------------------

    static void awaitHealthy(String api, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("server not healthy after " + timeout);
    }

    static String register(String api) throws Exception {
        String answer = send(api + "/api/auth/register", null,
                "{\"email\":\"bench" + System.nanoTime() + "@example.com\",\"password\":\"correct horse battery\"}", 200);
        return field(answer, "access_token");
    }

    static String send(String url, String token, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected && !(expected == 200 && r.statusCode() == 201)) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static final AtomicInteger stalledGets = new AtomicInteger();

    /**
     * A status read. A GET that gets no answer in 5 s is counted and asked again: the JDK 17 client has been
     * seen to leave a request hanging on a pooled connection the server closed (docs/performance.md, "A stall
     * in the tests"); the count is printed so that the figures say when it happened.
     */
    static String get(String url, String token) throws Exception {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            stalledGets.incrementAndGet();
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
