package com.reetik.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stubs of the four Cloud Run agents, following the contract of docs/agents.md, with fixed latencies: a script
 * answered after {@code scriptLatencyMs} (one 4 s block per 4 s asked), a clip operation done
 * {@code clipLatencyMs} after it started (the check says "running" until then), an assembly answered after
 * {@code assemblyLatencyMs}. A JDK HTTP server: the benchmarks measure Reetik, not the stub.
 */
final class CloudRunStub implements AutoCloseable {

    private static final Pattern OPERATION = Pattern.compile("\"(\\d+)\"\\s*:\\s*\"ops/([^/\"]+)/(\\d+)/(\\d+)\"");

    final AtomicInteger scripts = new AtomicInteger();
    final AtomicInteger clipsStarted = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    private final long scriptLatencyMs;
    private final long clipLatencyMs;
    private final long assemblyLatencyMs;
    private final HttpServer server;

    CloudRunStub(long scriptLatencyMs, long clipLatencyMs, long assemblyLatencyMs) throws IOException {
        this.scriptLatencyMs = scriptLatencyMs;
        this.clipLatencyMs = clipLatencyMs;
        this.assemblyLatencyMs = assemblyLatencyMs;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "agent-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/generate", this::generate);
        server.createContext("/check", this::check);
        server.createContext("/assemble", this::assemble);
        server.start();
    }

    /**
     * The environment of a {@code reetik.jar serve} whose agents are this stub, with the limits meant for abuse
     * (quotas, creation and registration rates, streams per user) far above anything a benchmark sends: they are
     * not what is measured. Mutable: a benchmark adds its own settings.
     */
    Map<String, String> serveEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("REETIK_AGENTS", "cloud-run");
        for (String agent : List.of("AGENT_SCRIPT_V2", "AGENT_VIDEO_V2", "CHECK_AND_RETRY", "AGENT_ASSEMBLER_V2")) {
            env.put(agent, baseUrl());
        }
        env.put("REETIK_MAX_ACTIVE_VIDEOS", "1000000");
        env.put("REETIK_DAILY_SECONDS", "1000000000");
        env.put("REETIK_CREATES_PER_MINUTE", "1000000");
        env.put("REETIK_REGISTRATIONS_PER_HOUR", "1000000");
        env.put("REETIK_SSE_STREAMS_PER_USER", "1000000");
        return env;
    }

    /** The base URL of all four agents. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void generate(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (body.contains("\"block_index\"")) {
            clipsStarted.incrementAndGet();
            String video = Api.field(body, "video_id");
            String block = Api.number(body, "block_index");
            reply(exchange, "{\"operation\":\"ops/" + video + "/" + block + "/" + System.currentTimeMillis() + "\"}");
            return;
        }
        int n = scripts.incrementAndGet();
        Api.sleep(scriptLatencyMs);
        int duration = Integer.parseInt(Api.number(body, "target_duration"));
        StringBuilder blocks = new StringBuilder();
        for (int i = 1; i <= (duration + 3) / 4; i++) {
            blocks.append(i > 1 ? "," : "").append("{\"index\":").append(i)
                    .append(",\"prompt\":\"plan ").append(i).append("\",\"narration\":\"texte ").append(i)
                    .append("\",\"duration\":4}");
        }
        reply(exchange, "{\"video_id\":\"bench_" + n + "_" + System.nanoTime() + "\",\"blocks\":[" + blocks + "]}");
    }

    private void check(HttpExchange exchange) throws IOException {
        checks.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = OPERATION.matcher(body);
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

    private void assemble(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Api.sleep(assemblyLatencyMs);
        reply(exchange, "{\"final_url\":\"gs://bench/" + Api.field(body, "video_id") + "/final.mp4\",\"duration\":36.0}");
    }

    private static void reply(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
