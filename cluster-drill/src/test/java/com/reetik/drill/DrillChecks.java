package com.reetik.drill;

import static com.reetik.drill.ServiceProcesses.HTTP;
import static com.reetik.drill.ServiceProcesses.field;
import static com.reetik.drill.ServiceProcesses.get;
import static com.reetik.drill.ServiceProcesses.postUntilAccepted;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.TreeMap;
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
import tools.jackson.databind.JsonNode;

/**
 * What the multi-process drills share: the six services on a 3-node cluster, their timeline, and the checks of
 * what a user and an operator would see (SSE streams, renders per block, the event log, the files).
 */
final class DrillChecks {

    static final String SECRET = "drill-only-jwt-secret-0123456789-abcdefghijklmnop";
    private static final Pattern RENDER = Pattern.compile("render video=(\\S+) block=(\\d+)/(\\d+) attempt=(\\d+)");
    static final Pattern BLOCS = Pattern.compile("\\((\\d+)/(\\d+) blocs\\)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private DrillChecks() {
    }

    /** The drill's timeline: each line with its wall clock and the seconds since the drill began. */
    static final class Timeline {
        private final long t0 = System.nanoTime();
        private final List<String> lines = new CopyOnWriteArrayList<>();

        void mark(String what) {
            String line = String.format("%s  t=%6.1f s  %s", LocalDateTime.now().format(CLOCK), seconds(t0), what);
            lines.add(line);
            System.out.println(line);
        }

        void print(Path logs) {
            System.out.println("== timeline (logs in " + logs + ")");
            lines.forEach(System.out::println);
        }
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * One drill's product: a 3-node cluster and the six services ({@link #startSixServices}) under a fresh folder
     * of target/, with a pool for the SSE readers. {@link #close()} stops everything and prints the timeline.
     */
    static final class Stack implements AutoCloseable {
        final Timeline timeline = new Timeline();
        final Path base;
        final LocalKafkaCluster cluster;
        final ServiceProcesses services;
        final ExecutorService streams = Executors.newCachedThreadPool();

        private Stack(Path base, LocalKafkaCluster cluster, ServiceProcesses services) {
            this.base = base;
            this.cluster = cluster;
            this.services = services;
        }

        /** Started and ready; whatever started is stopped again when a later step fails. */
        static Stack start(String name) throws IOException {
            Path base = Files.createDirectories(Path.of("target").toAbsolutePath()
                    .resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
            Path storage = Files.createDirectories(base.resolve("storage"));
            ServiceProcesses services = new ServiceProcesses(base);
            LocalKafkaCluster cluster = LocalKafkaCluster.start(base.resolve("kafka"), 3);
            Stack stack = new Stack(base, cluster, services);
            try {
                stack.timeline.mark("3-node cluster ready: " + cluster.bootstrapServers());
                startSixServices(services, cluster, storage);
                stack.timeline.mark("6 services ready");
                return stack;
            } catch (IOException | RuntimeException | Error e) {
                stack.close();
                throw e;
            }
        }

        ServiceProcesses.Service service(String name) {
            return services.get(name);
        }

        @Override
        public void close() {
            streams.shutdownNow();
            services.close();
            cluster.close();
            timeline.print(base);
        }
    }

    /**
     * The videos of a drill, created alternately through gateway-1 and gateway-2, each followed over SSE on the
     * other gateway.
     *
     * @param durations the target duration of each video, by id, in creation order
     * @param streams   each video's SSE events, once its stream ended
     */
    record Videos(List<String> ids, Map<String, Integer> durations, Map<String, Future<List<JsonNode>>> streams) {
    }

    /** {@code count} videos titled {@code theme} and their number, with the durations of {@code durations} in turn. */
    static Videos createAlternately(Stack stack, String token, int count, int[] durations, String theme) {
        ServiceProcesses.Service gateway1 = stack.service("gateway-1");
        ServiceProcesses.Service gateway2 = stack.service("gateway-2");
        List<String> ids = new ArrayList<>();
        Map<String, Integer> byId = new LinkedHashMap<>();
        Map<String, Future<List<JsonNode>>> streams = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            ServiceProcesses.Service via = i % 2 == 0 ? gateway1 : gateway2;
            ServiceProcesses.Service other = i % 2 == 0 ? gateway2 : gateway1;
            int duration = durations[i % durations.length];
            String id = field(postUntilAccepted(via, "/api/videos", token, "{\"theme\":\"" + theme + " " + (i + 1)
                    + "\",\"target_duration\":" + duration + "}"), "video_id");
            ids.add(id);
            byId.put(id, duration);
            streams.put(id, stack.streams.submit(() -> follow(other, id, token)));
        }
        stack.timeline.mark(count + " videos accepted");
        return new Videos(ids, byId, streams);
    }

    /**
     * Waits until every video shows {@code completed} on {@code gateway}, failing at once on one failed or
     * cancelled; answers when each completed, in seconds since {@code since} (as first seen, polled every second).
     */
    static Map<String, Double> awaitAllCompleted(ServiceProcesses.Service gateway, String token, List<String> ids,
                                                 long since, Duration within) {
        Map<String, Double> completedAt = new TreeMap<>();
        await("every video completed").atMost(within).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String id : ids) {
                if (completedAt.containsKey(id)) {
                    continue;
                }
                JsonNode view = Json.mapper().readTree(get(gateway, "/api/videos/" + id, token));
                assertThat(view.get("status").asText()).as("%s: %s", id, view).isNotIn("failed", "cancelled");
                if (view.get("status").asText().equals("completed")) {
                    completedAt.put(id, seconds(since));
                }
            }
            assertThat(completedAt).hasSize(ids.size());
        });
        return completedAt;
    }

    /** Every SSE stream ended on "Terminé" without going back, and every final.mp4 plays for about its target. */
    static void assertStreamsAndFiles(Stack stack, Videos videos) throws Exception {
        for (String id : videos.ids()) {
            assertStreamEndedDone(id, videos.streams().get(id).get(2, TimeUnit.MINUTES));
        }
        Path ffmpeg = bundledFfmpeg(stack.service("bridge-2").dataDir());
        for (String id : videos.ids()) {
            Path file = stack.base.resolve("storage").resolve(id).resolve("final.mp4");
            assertThat(file).as("final.mp4 of %s", id).isRegularFile();
            int target = videos.durations().get(id);
            assertThat(decodedSeconds(ffmpeg, file)).as("decoded duration of %s", id)
                    .isBetween(target - 1.0, target + 4.5);
        }
    }

    /** Both gateways list the same library, the drill's videos. */
    static void assertSameLibrary(Stack stack, String token, List<String> ids) {
        await("both gateways list the same library").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(libraryIds(stack.service("gateway-2"), token))
                        .isEqualTo(libraryIds(stack.service("gateway-1"), token))
                        .containsExactlyInAnyOrderElementsOf(ids));
    }

    /** How many blocks were rendered once, twice…, over both bridges' logs. */
    static Map<Integer, Long> rendersPerBlock(Stack stack) throws IOException {
        Map<String, Integer> perBlock = new TreeMap<>();
        for (String bridge : List.of("bridge-1", "bridge-2")) {
            renders(stack.service(bridge)).forEach(block -> perBlock.merge(block, 1, Integer::sum));
        }
        Map<Integer, Long> histogram = new TreeMap<>();
        perBlock.values().forEach(n -> histogram.merge(n, 1L, Long::sum));
        return histogram;
    }

    /**
     * Two projectors, two bridges and two gateways on {@code cluster}, sharing {@code storage}, started in parallel
     * and awaited: topics with 6 partitions and 3 replicas, sessions of 10 s instead of 45 s (a killed instance's
     * partitions move sooner; production keeps 45 s), no per-user quota in the way (one user makes every video),
     * and the local preview's 360p draft (a third of the CPU of 720p on the two cores nine JVMs share).
     */
    private static void startSixServices(ServiceProcesses services, LocalKafkaCluster cluster, Path storage) throws IOException {
        Map<String, String> common = Map.of(
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "REETIK_REPLICATION_FACTOR", "3",
                "REETIK_PARTITIONS", "6",
                "REETIK_STORAGE_DIR", storage.toString(),
                "JWT_SECRET_KEY", SECRET,
                "REETIK_BLOCK_WORKERS", "2",
                "REETIK_LOCAL_RESOLUTION", "360p",
                "REETIK_MAX_ACTIVE_VIDEOS", "100",
                "REETIK_DAILY_SECONDS", "100000",
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
    }

    /** Every event of the run, validated against docs/asyncapi.yaml; the blocks started after they completed. */
    static List<String> renderedAfterCompletion(String bootstrapServers, List<String> ids, Timeline timeline) {
        EventSchemas schemas = EventSchemas.load();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
        timeline.mark(seen + " events of reetik.video-events valid against docs/asyncapi.yaml");
        return again;
    }

    /** The SSE stream of one video on one gateway, until it ends; retried while the gateway does not know it yet. */
    static List<JsonNode> follow(ServiceProcesses.Service gateway, String id, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
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

    /** A stream ends on "Terminé" and its "(X/Y blocs)" never goes back. */
    static void assertStreamEndedDone(String id, List<JsonNode> events) {
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

    /** The blocks a bridge started rendering, as {@code video#block}, one per render, from its log. */
    static List<String> renders(ServiceProcesses.Service bridge) throws IOException {
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

    static List<String> libraryIds(ServiceProcesses.Service gateway, String token) throws Exception {
        JsonNode page = Json.mapper().readTree(get(gateway, "/api/videos?page=0&size=100", token));
        JsonNode items = page.has("items") ? page.get("items") : page.has("videos") ? page.get("videos") : page;
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("video_id").asText()));
        return ids;
    }

    static Path bundledFfmpeg(Path bridgeDataDir) throws IOException {
        try (Stream<Path> files = Files.walk(bridgeDataDir.resolve("bin"))) {
            return files.filter(Files::isRegularFile).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new AssertionError("no ffmpeg extracted under " + bridgeDataDir.resolve("bin")));
        }
    }

    /** Decodes the whole file (any broken frame fails) and answers its duration in seconds. */
    static double decodedSeconds(Path ffmpeg, Path file) throws Exception {
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
}
