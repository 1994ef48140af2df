package com.reetik.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The three service jars run as processes for the cluster ITs: each from a copy of its jar (so that a build
 * rewriting {@code target/} meanwhile cannot pull it from under the JVM), with its own data directory,
 * instance id and port, plus what a test says over their HTTP API.
 */
final class ServiceProcesses implements AutoCloseable {

    static final List<String> MODULES = List.of("gateway", "agent-bridge", "status-projector");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Service(String name, JavaProcess process, int port, Path dataDir) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final Path base;
    private final Path jars;
    private final List<Service> services = new ArrayList<>();

    /**
     * Unpacks the three jars (built by {@code mvn package} before the ITs run) under {@code base/jars/<module>}, with
     * Spring Boot's own {@code -Djarmode=tools extract}: each service then runs from plain jars on its class path, as
     * in its Jib image, instead of loading every class through the fat jar's nested-jar loader (measured: the six
     * services were ready 56.5 s after the cluster from fat jars, less from the unpacked ones; see
     * docs/performance.md). The three are unpacked side by side.
     */
    ServiceProcesses(Path base) throws IOException {
        this.base = base;
        Path root = Path.of("").toAbsolutePath().getParent();
        this.jars = Files.createDirectories(base.resolve("jars"));
        List<Process> extracting = new ArrayList<>();
        for (String module : MODULES) {
            Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
            assertThat(jar).as("the %s jar (built by `mvn package` before this IT runs)", module).isRegularFile();
            extracting.add(new ProcessBuilder(JavaProcess.javaExecutable().toString(), "-XX:TieredStopAtLevel=1",
                    "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                    jars.resolve(module).toString())
                    .redirectErrorStream(true).redirectOutput(jars.resolve(module + "-extract.log").toFile()).start());
        }
        for (int i = 0; i < extracting.size(); i++) {
            try {
                assertThat(extracting.get(i).waitFor(2, java.util.concurrent.TimeUnit.MINUTES)
                        && extracting.get(i).exitValue() == 0)
                        .as("unpacking %s: %s", MODULES.get(i), Files.readString(jars.resolve(MODULES.get(i) + "-extract.log")))
                        .isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unpacking the service jars", e);
            }
        }
    }

    /** The unpacked application jar of {@code module} (its libraries beside it, in {@code lib/}). */
    private Path applicationJar(String module) {
        return jars.resolve(module).resolve(module + ".jar");
    }

    /** Starts {@code module} as instance {@code name} with {@code common} plus its own data dir, id and port. */
    Service start(String module, String name, Map<String, String> common) throws IOException {
        int port = freePort();
        Path dataDir = Files.createDirectories(base.resolve(name));
        Map<String, String> env = new HashMap<>(common);
        env.put("REETIK_DATA_DIR", dataDir.toString());
        env.put("REETIK_INSTANCE_ID", name);
        env.put("SERVER_PORT", String.valueOf(port));
        JavaProcess process = JavaProcess.jar(applicationJar(module))
                .name(name)
                .jvmArgs("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .env(env)
                .workingDir(dataDir)
                .logFile(base.resolve(name + ".log"))
                .start();
        Service service = new Service(name, process, port, dataDir);
        services.add(service);
        return service;
    }

    /** Waits until every started service's readiness group is UP; a service that dies fails at once with its log. */
    void awaitReady(Duration timeout) {
        for (Service service : services) {
            await(service.name() + " ready").atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(service.process().isAlive()).as("%s died:%n%s", service.name(),
                        service.process().tail(40)).isTrue();
                return ready(service);
            });
        }
    }

    Service get(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    @Override
    public void close() {
        services.forEach(s -> s.process().close());
    }

    static boolean ready(Service service) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service.url()
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String post(Service gateway, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s on %s: %s", path, gateway.name(), r.body()).isBetween(200, 202);
        return r.body();
    }

    /** A POST asked again until accepted, e.g. on a gateway whose replica has not seen a new account yet. */
    static String postUntilAccepted(Service gateway, String path, String token, String json) {
        String[] answer = new String[1];
        await("POST " + path + " on " + gateway.name()).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> answer[0] = post(gateway, path, token, json));
        return answer[0];
    }

    static String get(Service gateway, String path, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on %s: %s", path, gateway.name(), r.body()).isEqualTo(200);
        return r.body();
    }

    static String field(String json, String name) {
        JsonNode node = Json.mapper().readTree(json).get(name);
        assertThat(node).as("%s in %s", name, json).isNotNull();
        return node.asText();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
