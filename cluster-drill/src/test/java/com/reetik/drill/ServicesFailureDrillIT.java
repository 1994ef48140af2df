package com.reetik.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static com.reetik.drill.ServiceProcesses.HTTP;
import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.get;
import static com.reetik.drill.ServiceProcesses.post;
import static com.reetik.drill.ServiceProcesses.postUntilAccepted;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.asyncapi.EventSchemas;
import com.reetik.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The product as it is deployed, on this machine: a 3-node Kafka cluster (three {@code kafka.Kafka} JVMs),
 * 2 gateways, 2 agent bridges and 2 status projectors, each its own JVM started from its jar
 * ({@code java -jar gateway/target/gateway.jar}, …), sharing one storage directory. Ten videos are created
 * alternately through both gateways and followed over SSE on the other one; while blocks render, one bridge,
 * one projector and one broker are killed with SIGKILL and not restarted.
 *
 * <p>Passes only if every video completes with a playable {@code final.mp4}, both bridges rendered blocks, no
 * block was generated again after it had completed, every SSE stream ends on "Terminé" with its "(X/Y blocs)"
 * never going back, both gateways list the same library, and every record of {@code reetik.video-events}
 * follows {@code docs/asyncapi.yaml}. It prints its timeline and figures. Logs stay in
 * {@code target/services-drill-*}.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ServicesFailureDrillIT {

    private static final int VIDEOS = 10;
    /** 16 to 36 s, mostly short: 51 blocks in all, so the drill stays a few minutes on 2 cores. */
    private static final int[] DURATIONS = {16, 20, 16, 24, 16, 36, 16, 20, 16, 24};
    private static final String SECRET = "drill-only-jwt-secret-0123456789-abcdefghijklmnop";
    private static final Pattern RENDER = Pattern.compile("render video=(\\S+) block=(\\d+)/(\\d+) attempt=(\\d+)");
    private static final Pattern BLOCS = Pattern.compile("\\((\\d+)/(\\d+) blocs\\)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private static final long T0 = System.nanoTime();
    private static final List<String> timeline = new CopyOnWriteArrayList<>();

    private static Path base;
    private static LocalKafkaCluster cluster;
    private static ServiceProcesses services;
    private static ExecutorService streams;

    @BeforeAll
    static void startEverything() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JavaProcess.javaExecutable()), "no java executable to start services");
        base = Files.createDirectories(Path.of("target").toAbsolutePath()
                .resolve("services-drill-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        Path storage = Files.createDirectories(base.resolve("storage"));
        services = new ServiceProcesses(base);

        cluster = LocalKafkaCluster.start(base.resolve("kafka"), 3);
        mark("3-node cluster ready: " + cluster.bootstrapServers());

        Map<String, String> common = Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "REETIK_REPLICATION_FACTOR", "3",
                "REETIK_PARTITIONS", "6",
                "REETIK_STORAGE_DIR", storage.toString(),
                "JWT_SECRET_KEY", SECRET,
                "REETIK_BLOCK_WORKERS", "2",
                // One user makes all ten videos at once: the per-user quotas have their own tests.
                "REETIK_MAX_ACTIVE_VIDEOS", "100",
                // A killed instance's partitions move after 10 s instead of Kafka's 45 s (bridge listeners and
                // projector streams use static membership): the same recovery, sooner. Production keeps 45 s.
                "SPRING_APPLICATION_JSON", "{\"spring.kafka.consumer.properties.session.timeout.ms\": \"10000\","
                        + " \"reetik.projector.streams-properties.consumer.session.timeout.ms\": \"10000\"}");
        // Projectors first (they fold the events), then bridges, then gateways; all start in parallel.
        services.start("status-projector", "projector-1", common);
        services.start("status-projector", "projector-2", common);
        services.start("agent-bridge", "bridge-1", common);
        services.start("agent-bridge", "bridge-2", common);
        services.start("gateway", "gateway-1", common);
        services.start("gateway", "gateway-2", common);
        services.awaitReady(Duration.ofMinutes(4));
        mark("6 services ready");
        streams = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopEverything() {
        if (streams != null) {
            streams.shutdownNow();
        }
        if (services != null) {
            services.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        System.out.println("== timeline (logs in " + base + ")");
        timeline.forEach(System.out::println);
    }

    @Test
    void shouldCompleteEveryVideoWhenABridgeAProjectorAndABrokerAreKilled() throws Exception {
        ServiceProcesses.Service gateway1 = services.get("gateway-1");
        ServiceProcesses.Service gateway2 = services.get("gateway-2");
        String token = field(post(gateway1, "/api/auth/register", null,
                "{\"email\":\"drill@example.com\",\"password\":\"correct horse battery\"}"), "access_token");

        // Given ten videos of 16 to 36 s, created alternately through both gateways, each followed on the other
        List<String> ids = new ArrayList<>();
        Map<String, Integer> durations = new LinkedHashMap<>();
        Map<String, Future<List<JsonNode>>> sse = new LinkedHashMap<>();
        for (int i = 0; i < VIDEOS; i++) {
            ServiceProcesses.Service via = i % 2 == 0 ? gateway1 : gateway2;
            ServiceProcesses.Service other = i % 2 == 0 ? gateway2 : gateway1;
            int duration = DURATIONS[i];
            String id = field(postUntilAccepted(via, "/api/videos", token,
                    "{\"theme\":\"Exercice de panne numéro " + (i + 1) + "\",\"target_duration\":" + duration + "}"), "video_id");
            ids.add(id);
            durations.put(id, duration);
            sse.put(id, streams.submit(() -> follow(other, id, token)));
        }
        mark(VIDEOS + " videos accepted");

        // When, while blocks render on both bridges, a bridge, a projector and a broker are killed
        await("both bridges rendering, some blocks completed").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200)).until(() ->
                        renders(services.get("bridge-1")).size() >= 2 && renders(services.get("bridge-2")).size() >= 2);
        mark("both bridges rendering: bridge-1 " + renders(services.get("bridge-1")).size() + " renders, bridge-2 "
                + renders(services.get("bridge-2")).size());
        services.get("bridge-1").process().kill();
        mark("SIGKILL bridge-1");
        services.get("projector-1").process().kill();
        mark("SIGKILL projector-1");
        cluster.kill(2);
        mark("SIGKILL kafka node 2");
        long killedAt = System.nanoTime();

        // Then every video completes, and its stream on the other gateway ends on "Terminé"
        Map<String, Double> completedAt = new TreeMap<>();
        await("every video completed").atMost(Duration.ofMinutes(7)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                if (completedAt.containsKey(id)) {
                    continue;
                }
                JsonNode view = Json.mapper().readTree(get(gateway1, "/api/videos/" + id, token));
                assertThat(view.get("status").asText()).as("%s: %s", id, view)
                        .isNotIn("failed", "cancelled");
                if (view.get("status").asText().equals("completed")) {
                    completedAt.put(id, seconds(killedAt));
                }
            }
            assertThat(completedAt).hasSize(VIDEOS);
        });
        mark("all " + VIDEOS + " videos completed");

        for (String id : ids) {
            List<JsonNode> events = sse.get(id).get(2, TimeUnit.MINUTES);
            assertThat(events).as("SSE of %s", id).isNotEmpty();
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.get("current_step").asText()).as("last SSE event of %s", id).isEqualTo("Terminé");
            int previous = -1;
            for (JsonNode event : events) {
                Matcher m = BLOCS.matcher(event.get("current_step").asText());
                if (m.find()) {
                    int done = Integer.parseInt(m.group(1));
                    assertThat(done).as("blocks done in the SSE of %s never go back", id).isGreaterThanOrEqualTo(previous);
                    previous = done;
                }
            }
        }

        // And each final.mp4 plays for about its target duration
        Path ffmpeg = bundledFfmpeg(services.get("bridge-2").dataDir());
        for (String id : ids) {
            JsonNode view = Json.mapper().readTree(get(gateway2, "/api/videos/" + id, token));
            Path file = base.resolve("storage").resolve(id).resolve("final.mp4");
            assertThat(file).as("final.mp4 of %s (%s)", id, view.get("final_url")).isRegularFile();
            double seconds = decodedSeconds(ffmpeg, file);
            assertThat(seconds).as("decoded duration of %s", id).isBetween(durations.get(id) - 1.0, durations.get(id) + 4.5);
        }

        // And both bridges rendered blocks, and no block completed was generated again
        Map<String, Integer> rendersPerBlock = new TreeMap<>();
        for (String bridge : List.of("bridge-1", "bridge-2")) {
            List<String> rendered = renders(services.get(bridge));
            assertThat(rendered).as("blocks rendered by %s", bridge).isNotEmpty();
            rendered.forEach(block -> rendersPerBlock.merge(block, 1, Integer::sum));
        }
        List<String> renderedAgainAfterCompletion = renderedAfterCompletion(ids);
        assertThat(renderedAgainAfterCompletion).as("blocks generated again after they had completed").isEmpty();

        // And both gateways list the same library
        await("both gateways list the same library").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(libraryIds(gateway2, token)).isEqualTo(libraryIds(gateway1, token))
                        .containsExactlyInAnyOrderElementsOf(ids));

        Map<Integer, Long> histogram = new TreeMap<>();
        rendersPerBlock.values().forEach(n -> histogram.merge(n, 1L, Long::sum));
        mark(String.format("figures: last video completed %.1f s after the kills; renders per block %s (renders: "
                        + "bridge-1 %d, bridge-2 %d); videos completed after the kills at %s s", completedAt.values().stream()
                        .mapToDouble(Double::doubleValue).max().orElse(0), histogram, renders(services.get("bridge-1")).size(),
                renders(services.get("bridge-2")).size(), completedAt.values().stream().sorted()
                        .map(s -> String.format("%.0f", s)).toList()));
    }

    // --- what the drill checks ------------------------------------------------------------------------------

    /** Every event of the run, validated against docs/asyncapi.yaml; the blocks started after they completed. */
    private static List<String> renderedAfterCompletion(List<String> ids) {
        EventSchemas schemas = EventSchemas.load();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "drill-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> completed = new HashMap<>();
        List<String> again = new ArrayList<>();
        int seen = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("reetik.video-events"));
            int completions = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (completions < ids.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    schemas.assertValid(record.key(), record.value());
                    JsonNode event = Json.mapper().readTree(record.value());
                    String type = event.get("type").asText();
                    String block = record.key() + "#" + (event.has("block_index") ? event.get("block_index").asText() : "");
                    if (type.equals("BlockCompleted")) {
                        completed.put(block, "attempt " + event.get("attempt").asText());
                    } else if (type.equals("BlockSubmitted") && completed.containsKey(block)) {
                        again.add(block + " submitted again after it completed (" + completed.get(block) + ")");
                    } else if (type.equals("VideoCompleted") && ids.contains(record.key())) {
                        completions++;
                    }
                }
            }
            assertThat(completions).as("VideoCompleted events read back").isEqualTo(ids.size());
        }
        mark(seen + " events of reetik.video-events valid against docs/asyncapi.yaml");
        return again;
    }

    /** The SSE stream of one video on one gateway, until it ends; retried while the gateway does not know it yet. */
    private static List<JsonNode> follow(ServiceProcesses.Service gateway, String id, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        List<JsonNode> events = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<Stream<String>> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url()
                            + "/api/videos/" + id + "/events")).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() == 404) {
                response.body().close();
                Thread.sleep(300);
                continue;
            }
            assertThat(response.statusCode()).as("SSE of %s on %s", id, gateway.name()).isEqualTo(200);
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(line ->
                        events.add(Json.mapper().readTree(line.substring(5).trim())));
            }
            return events;
        }
        throw new AssertionError("the SSE stream of " + id + " never opened on " + gateway.name());
    }

    private static List<String> renders(ServiceProcesses.Service bridge) throws IOException {
        List<String> blocks = new ArrayList<>();
        Path log = bridge.process().logFile();
        if (!Files.exists(log)) {
            return blocks;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = RENDER.matcher(line);
            if (m.find()) {
                blocks.add(m.group(1) + "#" + m.group(2));
            }
        }
        return blocks;
    }

    private static List<String> libraryIds(ServiceProcesses.Service gateway, String token) throws Exception {
        JsonNode page = Json.mapper().readTree(get(gateway, "/api/videos?page=0&size=50", token));
        JsonNode items = page.has("items") ? page.get("items") : page.has("videos") ? page.get("videos") : page;
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("video_id").asText()));
        return ids;
    }

    private static Path bundledFfmpeg(Path bridgeDataDir) throws IOException {
        try (Stream<Path> files = Files.walk(bridgeDataDir.resolve("bin"))) {
            return files.filter(Files::isRegularFile).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no ffmpeg extracted under " + bridgeDataDir.resolve("bin")));
        }
    }

    /** Decodes the whole file (any broken frame fails) and answers its duration in seconds. */
    private static double decodedSeconds(Path ffmpeg, Path file) throws Exception {
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-i", file.toString(), "-f", "null", "-")
                .redirectErrorStream(true).start();
        String errors;
        try (InputStream in = p.getInputStream()) {
            errors = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor()).as("ffmpeg decoding %s: %s", file, errors).isZero();
        assertThat(errors.trim()).as("decode errors of %s", file).isEmpty();
        Process probe = new ProcessBuilder(ffmpeg.toString(), "-i", file.toString()).redirectErrorStream(true).start();
        String info;
        try (InputStream in = probe.getInputStream()) {
            info = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        probe.waitFor();
        Matcher m = Pattern.compile("Duration: (\\d+):(\\d+):(\\d+\\.\\d+)").matcher(info);
        assertThat(m.find()).as("duration of %s in: %s", file, info).isTrue();
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Double.parseDouble(m.group(3));
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void mark(String what) {
        String line = String.format("%s  t=%6.1f s  %s", LocalDateTime.now().format(CLOCK), seconds(T0), what);
        timeline.add(line);
        System.out.println(line);
    }
}
