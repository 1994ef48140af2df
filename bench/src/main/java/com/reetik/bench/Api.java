package com.reetik.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The product's HTTP API as the benchmarks drive it, and the `reetik.jar serve` process they drive. */
final class Api {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Api() {
    }

    /**
     * Starts {@code java -jar jar serve} with {@code env} on a fresh data directory and a free port, its output in
     * {@code data/serve.log}, and waits until it is healthy. {@code jvmArgs} go before {@code -jar}.
     */
    static Process serve(Path jar, Path data, int port, Map<String, String> env, List<String> jvmArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("REETIK_DATA_DIR", data.toString());
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(data.resolve("serve.log").toFile());
        Process server = pb.start();
        try {
            awaitHealthy("http://127.0.0.1:" + port, Duration.ofMinutes(3), server);
            return server;
        } catch (Exception | Error e) {
            stop(server);
            throw e;
        }
    }

    static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
    }

    static void awaitHealthy(String api, Duration timeout, Process server) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + " before it was healthy");
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/actuator/health"))
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

    /** Registers a new user; its access token. */
    static String register(String api) throws Exception {
        String answer = send(api + "/api/auth/register", null,
                "{\"email\":\"bench" + System.nanoTime() + "@example.com\",\"password\":\"correct horse battery\"}", 200);
        return field(answer, "access_token");
    }

    /** Creates a video; its id. */
    static String create(String api, String token, String theme, int seconds) throws Exception {
        return field(send(api + "/api/videos", token,
                "{\"theme\":\"" + theme + "\",\"target_duration\":" + seconds + "}", 202), "video_id");
    }

    static String send(String url, String token, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected && !(expected == 200 && r.statusCode() == 201)) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * A GET (the server's Prometheus page, a video's view). One that gets no answer in 5 s is asked again on a new
     * client: the JDK 17 client has been seen to leave a request hanging on a pooled connection the server closed
     * (docs/performance.md, "A stall in the tests").
     */
    static String get(String url, String token) throws Exception {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * Waits for each video to end, watching its event stream as a user's page does (one SSE stream per video, read
     * by the client's own threads: no status GETs that would load the server being measured). Answers the seconds
     * from {@code startNanos} to each video's {@code completed}; a video that fails or is cancelled, or any not done
     * within {@code timeout}, throws.
     */
    static Map<String, Double> awaitCompleted(String api, String token, List<String> ids, long startNanos,
                                              Duration timeout) throws Exception {
        Map<String, Double> done = new ConcurrentHashMap<>();
        Map<String, String> ended = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(ids.size());
        List<CompletableFuture<HttpResponse<Void>>> streams = new ArrayList<>();
        for (String id : ids) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/videos/" + id + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            streams.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    if (!line.startsWith("data:") || done.containsKey(id) || ended.containsKey(id)) {
                        return;
                    }
                    String status = field(line, "status");
                    if (status.equals("completed")) {
                        done.put(id, (System.nanoTime() - startNanos) / 1e9);
                        all.countDown();
                    } else if (status.equals("failed") || status.equals("cancelled")) {
                        ended.put(id, line);
                        all.countDown();
                    }
                }

                @Override
                public void onError(Throwable error) {
                    if (ended.putIfAbsent(id, "stream error: " + error) == null && !done.containsKey(id)) {
                        all.countDown();
                    }
                }

                @Override
                public void onComplete() {
                    if (!done.containsKey(id) && ended.putIfAbsent(id, "stream ended before completed") == null) {
                        all.countDown();
                    }
                }
            })));
        }
        try {
            if (!all.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("not done after " + timeout.toSeconds() + " s: " + done.size() + "/"
                        + ids.size());
            }
            if (!ended.isEmpty()) {
                Map.Entry<String, String> first = ended.entrySet().iterator().next();
                throw new IllegalStateException(ended.size() + " of " + ids.size() + " videos did not complete; "
                        + first.getKey() + ": " + first.getValue());
            }
            return done;
        } finally {
            streams.forEach(stream -> stream.cancel(true));
        }
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

    /** The {@code java} launcher of this JVM's own JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code jcmd pid command…} and returns its output. */
    static String jcmd(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /**
     * Runs {@code readings} full GCs in process {@code pid} (jcmd), 2 s apart, and gives the least heap in use after
     * them, in KB. One reading alone also counts what is in flight at that instant (a consumer's fetched records, a
     * response being written): seen to vary by 50 MB between runs of the SSE benchmark.
     */
    static long heapAfterGcKb(long pid, int readings) throws Exception {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < readings; i++) {
            if (i > 0) {
                Thread.sleep(2000);
            }
            jcmd(pid, "GC.run");
            Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
            long used = 0;
            while (m.find()) {
                used = Math.max(used, Long.parseLong(m.group(1))); // the heap's total line is the largest
            }
            least = Math.min(least, used);
        }
        return least;
    }

    /**
     * A Gatling run of {@code simulation} in its own JVM ({@code heap}), on this JVM's classpath, with
     * {@code properties} as {@code -D} settings and its report under {@code results}. Gatling reads String
     * internals through java.lang: the JVM option gatling-maven-plugin gives it is given here too.
     */
    static ProcessBuilder gatling(Class<?> simulation, String heap, Map<String, String> properties, Path results,
                                  String description) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("io.gatling.app.Gatling", "-s", simulation.getName(), "-rf", results.toString(),
                "-rd", description));
        return new ProcessBuilder(command);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
