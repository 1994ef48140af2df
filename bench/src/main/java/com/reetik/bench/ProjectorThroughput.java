package com.reetik.bench;

import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * Benchmark 2 of issue 12, projector throughput: a prepared {@code reetik.video-events} log of V videos × 10 events
 * (VideoRequested, ScriptStarted, ScriptGenerated of 4 blocks, 4 × BlockCompleted, AssemblyStarted, VideoCompleted),
 * written in waves of 1,000 videos in flight, is read from the start by a plain Kafka consumer (the anchor: bytes
 * only, no deserialization) and then folded from scratch by the real {@code status-projector.jar} in its own JVM.
 * The projector is done when its consumer group's committed offsets reach the log's end. Prints both rates and
 * their ratio, the projector's GC pauses and heap after each collection (from its {@code -Xlog:gc} file) and its peak
 * RSS, then checks the result: every video's latest view on {@code reetik.video-status} is {@code completed}.
 *
 * <p>A benchmark, not a test: it asserts nothing but the fold's result (a wrong result makes the figures
 * meaningless, so it exits 1). Usage: {@code bench/projector-throughput.sh [videos] [projector heap]}.
 */
public final class ProjectorThroughput {

    private static final String GROUP = "reetik-status-projector";
    private static final int IN_FLIGHT = 1_000;
    private static final int EVENTS_PER_VIDEO = 10;

    public static void main(String[] args) throws Exception {
        int videos = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String heap = args.length > 1 ? args[1] : "512m";
        int partitions = Integer.parseInt(System.getenv().getOrDefault("REETIK_PARTITIONS", "6"));
        Path jar = Path.of(System.getProperty("reetik.projector.jar", "status-projector/target/status-projector.jar"));
        if (!Files.isRegularFile(jar)) {
            System.err.println("no " + jar + ": build first (mvn -B -ntp -DskipTests package)");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("reetik-bench-projector-");
        long total = (long) videos * EVENTS_PER_VIDEO;
        System.out.printf("== projector throughput: %,d videos, %,d events, %d partitions, projector -Xmx%s; %d cores%n",
                videos, total, partitions, heap, Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("kafka"), Api.freePort()).start()) {
            String bootstrap = broker.bootstrapServers();
            TopicInitializer.createMissing(bootstrap, partitions, (short) 1);

            long t0 = System.nanoTime();
            long bytes = produce(bootstrap, videos);
            double produceS = seconds(t0);
            System.out.printf("prepared log: %,d events, %.1f MB, written in %.1f s%n", total, bytes / 1e6, produceS);

            t0 = System.nanoTime();
            long read = rawConsume(bootstrap, total);
            double rawS = seconds(t0);
            double rawRate = read / rawS;
            System.out.printf("plain consumer:   %,d records in %.2f s = %,.0f records/s%n", read, rawS, rawRate);

            Projector projector = runProjector(jar, heap, bootstrap, partitions, work, total);
            double rate = total / projector.foldS();
            System.out.printf("status-projector: %,d events in %.2f s from its first commit (%.2f s from launch, "
                            + "ready after %.2f s) = %,.0f events/s%n",
                    total, projector.foldS(), projector.sinceLaunchS(), projector.readyS(), rate);
            System.out.printf("ratio projector / plain consumer: %.1f %% (goal >= 50 %%)%n", 100.0 * rate / rawRate);
            GcFigures gc = GcFigures.parse(work.resolve("projector-gc.log"));
            System.out.printf("projector GC: %d pauses, %.0f ms in total, max %.1f ms; heap after GC: first %d MB, "
                            + "last %d MB, max %d MB; peak RSS %d MB%n",
                    gc.pauses(), gc.totalMs(), gc.maxMs(), gc.firstAfterMb(), gc.lastAfterMb(), gc.maxAfterMb(),
                    projector.peakRssKb() / 1024);

            long completed = completedViews(bootstrap, videos);
            System.out.printf("check: %,d of %,d videos have a completed view%n", completed, videos);
            if (completed != videos) {
                System.err.println("the projector's views are wrong: the figures above mean nothing");
                System.exit(1);
            }
        } finally {
            deleteQuietly(work);
        }
    }

    /** Writes the log in waves of {@link #IN_FLIGHT} videos: the k-th event of each, then the (k+1)-th, … */
    private static long produce(String bootstrap, int videos) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Seen once in CI: a first batch refused (NOT_LEADER_OR_FOLLOWER, the topics had just been created) while
        // later ones were written, then retried for ever on OUT_OF_ORDER_SEQUENCE_NUMBER by the idempotent producer
        // of kafka-clients 4.1, and close() waited for ever. TopicInitializer now waits for the partitions' leaders;
        // here a slow broker is waited for once (a request timeout as long as the delivery timeout), any failed send
        // fails the benchmark, and the close is bounded.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000 + 20 + 1_000);
        AtomicReference<Exception> failed = new AtomicReference<>();
        long bytes = 0;
        Instant base = Instant.parse("2026-12-01T00:00:00Z");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        try {
            for (int wave = 0; wave < videos; wave += IN_FLIGHT) {
                int end = Math.min(videos, wave + IN_FLIGHT);
                for (int k = 0; k < EVENTS_PER_VIDEO; k++) {
                    for (int v = wave; v < end; v++) {
                        String videoId = videoId(v);
                        byte[] value = Json.write(event(videoId, k, base.plusMillis((long) v * 10 + k)));
                        bytes += value.length;
                        producer.send(new ProducerRecord<>(Topics.VIDEO_EVENTS.name(), videoId, value),
                                (metadata, e) -> {
                                    if (e != null) {
                                        failed.compareAndSet(null, e);
                                    }
                                });
                    }
                }
            }
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not write the prepared log: " + failed.get(), failed.get());
        }
        return bytes;
    }

    private static String videoId(int v) {
        return new UUID(0x5eed_0000_0000_0000L, v).toString();
    }

    static VideoEvent event(String videoId, int k, Instant at) {
        String id = videoId + "-" + k;
        return switch (k) {
            case 0 -> new VideoRequested(id, videoId, at, "user-" + (videoId.hashCode() & 1023),
                    new VideoRequest("Les volcans d'Islande", 16, "documentaire", "fr", "9:16"), null, at, null);
            case 1 -> new ScriptStarted(id, videoId, at);
            case 2 -> new ScriptGenerated(id, videoId, at, List.of(
                    new ScriptBlock(1, "Vue aérienne d'un volcan", "L'Islande compte 130 volcans.", 4),
                    new ScriptBlock(2, "Coulée de lave la nuit", "La lave coule vers la mer.", 4),
                    new ScriptBlock(3, "Geyser au lever du soleil", "Les geysers jaillissent.", 4),
                    new ScriptBlock(4, "Aurore boréale", "Et la nuit s'illumine.", 4)), null);
            case 3, 4, 5, 6 -> new BlockCompleted(id, videoId, at, k - 2, 1,
                    "file:///videos/" + videoId + "/clips/block_" + (k - 2) + ".mp4", 4.0);
            case 7 -> new AssemblyStarted(id, videoId, at);
            case 8 -> new VideoCompleted(id, videoId, at, "file:///videos/" + videoId + "/final.mp4", 16.0);
            // A duplicate delivery of the last block: the projector must take it as the no-op it is.
            case 9 -> new BlockCompleted(id, videoId, at, 4, 1, "file:///videos/" + videoId + "/clips/block_4.mp4", 4.0);
            default -> throw new IllegalArgumentException("event " + k);
        };
    }

    private static long rawConsume(String bootstrap, long total) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.VIDEO_EVENTS.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long checksum = 0;
            while (read < total) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    checksum += r.value().length; // touch every record as a consumer would
                    read++;
                }
            }
            return checksum > 0 ? read : 0;
        }
    }

    record Projector(double readyS, double sinceLaunchS, double foldS, long peakRssKb) {
    }

    private static Projector runProjector(Path jar, String heap, String bootstrap, int partitions, Path work, long total)
            throws Exception {
        int port = Api.freePort();
        String java = Api.java();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xlog:gc:file=" + work.resolve("projector-gc.log")));
        // e.g. -XX:StartFlightRecording=filename=/tmp/projector.jfr to see where the time goes
        String extra = System.getenv().getOrDefault("PROJECTOR_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("projector.log").toFile());
        builder.environment().put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("REETIK_DATA_DIR", work.resolve("projector-data").toString());
        builder.environment().put("REETIK_PARTITIONS", String.valueOf(partitions));
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        long launch = System.nanoTime();
        Process process = builder.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var info : admin.describeTopics(List.of(Topics.VIDEO_EVENTS.name())).allTopicNames().get()
                    .get(Topics.VIDEO_EVENTS.name()).partitions()) {
                latest.put(new TopicPartition(Topics.VIDEO_EVENTS.name(), info.partition()), OffsetSpec.latest());
            }
            long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
            if (end != total) {
                throw new IllegalStateException("the log holds " + end + " events, not " + total);
            }
            double readyS = Double.NaN;
            long firstCommit = 0;
            long peakRss = 0;
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the projector died: see its log\n"
                            + tail(work.resolve("projector.log")));
                }
                peakRss = Math.max(peakRss, rssKb(process.pid()));
                if (Double.isNaN(readyS) && ready(port)) {
                    readyS = seconds(launch);
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long done = committed.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(Topics.VIDEO_EVENTS.name()) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (done > 0 && firstCommit == 0) {
                    firstCommit = System.nanoTime();
                }
                if (done >= total) {
                    long now = System.nanoTime();
                    peakRss = Math.max(peakRss, hwmKb(process.pid()));
                    return new Projector(readyS, (now - launch) / 1e9, (now - firstCommit) / 1e9, peakRss);
                }
                if (seconds(launch) > 1800) {
                    throw new IllegalStateException("the projector folded " + done + " of " + total + " in 30 min");
                }
                Thread.sleep(100);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Every video's latest view on reetik.video-status; how many are completed. */
    private static long completedViews(String bootstrap, int videos) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.VIDEO_STATUS.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode view = Json.mapper().readTree(r.value());
                    latest.put(new String(r.key()), view.path("status").asString(""));
                }
            }
        }
        return latest.values().stream().filter("completed"::equals).count();
    }

    record GcFigures(int pauses, double totalMs, double maxMs, long firstAfterMb, long lastAfterMb, long maxAfterMb) {

        // e.g. "[1.234s][info][gc] GC(3) Pause Young (Allocation Failure) 40M->12M(128M) 3.456ms"
        private static final Pattern PAUSE = Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

        static GcFigures parse(Path log) throws IOException {
            int pauses = 0;
            double total = 0;
            double max = 0;
            List<Long> after = new ArrayList<>();
            if (Files.isRegularFile(log)) {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = PAUSE.matcher(line);
                    if (m.find()) {
                        pauses++;
                        double ms = Double.parseDouble(m.group(4));
                        total += ms;
                        max = Math.max(max, ms);
                        after.add(Long.parseLong(m.group(2)));
                    }
                }
            }
            return new GcFigures(pauses, total, max, after.isEmpty() ? 0 : after.get(0),
                    after.isEmpty() ? 0 : after.get(after.size() - 1),
                    after.stream().mapToLong(Long::longValue).max().orElse(0));
        }
    }

    private static boolean ready(int port) {
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    private static long hwmKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process just ended: no figure
        }
        return 0;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
