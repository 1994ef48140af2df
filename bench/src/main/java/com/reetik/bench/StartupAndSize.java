package com.reetik.bench;

import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Benchmark 7 of issue 12, start-up and size: each service jar started on its own against a running broker (the
 * embedded one, in this JVM, topics created beforehand), timed from the process launch to its readiness group
 * answering 200; {@code reetik.jar serve} timed from launch to {@code /actuator/health} 200 (it starts its own
 * broker). Then each jar's size and the largest libraries in it. Runs {@code runs} times each; prints every run.
 *
 * <pre>bench/startup-and-size.sh [runs 3]</pre>
 */
public final class StartupAndSize {

    private static final List<String> SERVICES = List.of("gateway", "agent-bridge", "status-projector");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("reetik-bench-startup");
        System.out.printf("== start-up and size, %d runs each; %d cores%n", runs, Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("kafka"), Api.freePort()).start()) {
            TopicInitializer.createMissing(broker.bootstrapServers(), 6, (short) 1);
            for (String service : SERVICES) {
                Path jar = Path.of(service, "target", service + ".jar");
                List<String> times = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    Path data = Files.createDirectories(work.resolve(service + "-" + run));
                    int port = Api.freePort();
                    long start = System.nanoTime();
                    Process process = launch(jar, data, port, Map.of(
                            "SPRING_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                            "REETIK_DATA_DIR", data.toString(),
                            "REETIK_STORAGE_DIR", work.resolve("storage").toString(),
                            "JWT_SECRET_KEY", "bench-only-jwt-secret-0123456789-abcdefghijklmnop",
                            "SERVER_PORT", String.valueOf(port)), List.of());
                    try {
                        awaitOk(process, "http://127.0.0.1:" + port + "/actuator/health/readiness", data);
                        times.add(String.format("%.1f s", (System.nanoTime() - start) / 1e9));
                    } finally {
                        Api.stop(process);
                    }
                }
                System.out.printf("%-17s ready after %s%n", service, String.join(", ", times));
            }
        }
        Path serveJar = Path.of("standalone", "target", "reetik.jar");
        List<String> times = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path data = Files.createDirectories(work.resolve("serve-" + run));
            int port = Api.freePort();
            long start = System.nanoTime();
            Process process = launch(serveJar, data, port, Map.of("REETIK_DATA_DIR", data.toString(),
                    "SERVER_PORT", String.valueOf(port)), List.of("serve"));
            try {
                awaitOk(process, "http://127.0.0.1:" + port + "/actuator/health", data);
                times.add(String.format("%.1f s", (System.nanoTime() - start) / 1e9));
            } finally {
                Api.stop(process);
            }
        }
        System.out.printf("%-17s healthy after %s (fresh data directory: broker formatted and started)%n", "reetik serve",
                String.join(", ", times));

        for (String service : List.of("gateway", "agent-bridge", "status-projector", "standalone")) {
            Path jar = Path.of(service, "target", service.equals("standalone") ? "reetik.jar" : service + ".jar");
            System.out.printf("%n%s: %.1f MB; largest libraries:%n", jar, Files.size(jar) / 1e6);
            try (JarFile file = new JarFile(jar.toFile())) {
                List<JarEntry> libs = file.stream().filter(e -> e.getName().startsWith("BOOT-INF/lib/"))
                        .sorted(Comparator.comparingLong(JarEntry::getCompressedSize).reversed()).limit(8).toList();
                for (JarEntry lib : libs) {
                    System.out.printf("  %6.1f MB  %s%n", lib.getCompressedSize() / 1e6,
                            lib.getName().substring("BOOT-INF/lib/".length()));
                }
            }
        }
    }

    private static Process launch(Path jar, Path data, int port, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Api.java(),
                "-Xmx512m", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("out.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitOk(Process process, String url, Path data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(url + ": the process exited with " + process.exitValue()
                        + "; its output is in " + data.resolve("out.log"));
            }
            try {
                HttpResponse<Void> r = Api.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(url + " not ready after 3 minutes; output in " + data.resolve("out.log"));
    }
}
