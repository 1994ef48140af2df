package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9, case 5: an assembly interrupted by a stop is taken up again even after compaction removed the view that
 * asked for it. The whole product on the real local agents; the stack stops while a video's clips are being joined
 * (AssemblyStarted committed, VideoCompleted not); with the stack down, Kafka's log cleaner compacts
 * {@code reetik.video-status} for real (its segment rolled, the topic made eager to clean) until the video's
 * {@code ready_for_assembly} view is gone and only its {@code assembling} view is left, as it would be in time on a
 * cluster. The stack started again must complete the video.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class AssemblyAfterCompactionIT {

    @TempDir
    Path dataDir;

    private final CountDownLatch assembling = new CountDownLatch(1);
    /** Holds the first stack's assembly until the test ends: that stack's thread never writes its outcome. */
    private final CountDownLatch zombie = new CountDownLatch(1);
    private volatile boolean holding = true;
    private final AtomicInteger assemblies = new AtomicInteger();

    @AfterEach
    void releaseZombie() {
        zombie.countDown();
    }

    @Test
    void shouldCompleteAnAssemblyInterruptedByAStopAfterCompactionRemovedItsReadyView() throws Exception {
        // Given a video whose clips are being joined when the stack stops
        String token;
        String videoId;
        // (its stop does not wait Spring's 30 s for the listener stuck in the held assembly: 3 s per phase)
        try (RunningServer first = RunningServer.start(dataDir,
                Map.of("spring.lifecycle.timeout-per-shutdown-phase", "3s"), this::holdingAssembly)) {
            token = first.api.newUser();
            videoId = first.api.createVideo(token, "Geysers d'Islande", 8);
            assertThat(assembling.await(2, TimeUnit.MINUTES)).as("the assembly started").isTrue();
            awaitStatus(first, videoId, token, "assembling");
        }
        holding = false;

        // and compaction has kept only the video's latest view: assembling
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir.resolve("kafka"), 0).start()) {
            compactUntilOnlyTheLatestViewIsLeft(broker, videoId);
        }

        // When the stack starts again on the same data
        try (RunningServer second = RunningServer.start(dataDir, Map.of(), this::holdingAssembly)) {
            // Then the video completes: its assembly was taken up again
            JsonNode done = second.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(assemblies.get()).as("assemblies asked of the agent: the interrupted one, then the resumed one")
                    .isEqualTo(2);
        }
    }

    private static void awaitStatus(RunningServer server, String videoId, String token, String status)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode view = ApiClient.json(server.api.get("/api/videos/" + videoId, token));
        while (!view.get("status").asText().equals(status)) {
            assertThat(System.nanoTime()).as("waiting for %s; last view %s", status, view).isLessThan(deadline);
            Thread.sleep(100);
            view = ApiClient.json(server.api.get("/api/videos/" + videoId, token));
        }
    }

    /**
     * Makes the log cleaner compact the video's partition of {@code reetik.video-status} now rather than in a week:
     * segments roll after 100 ms and any dirt is worth cleaning; the video's latest view is written again so that
     * its partition rolls a segment; then waits until no {@code ready_for_assembly} view of the video is left.
     */
    private static void compactUntilOnlyTheLatestViewIsLeft(EmbeddedKafkaBroker broker, String videoId)
            throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.VIDEO_STATUS.name());
        try (Admin admin = Admin.create(props)) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new AlterConfigOp(new ConfigEntry("segment.ms", "100"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.cleanable.dirty.ratio", "0.01"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.compaction.lag.ms", "0"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, byte[]>> before = viewsOf(broker, videoId);
        assertThat(before).as("views of the video before compaction").anyMatch(r -> status(r).equals("ready_for_assembly"));
        ConsumerRecord<String, byte[]> latest = before.get(before.size() - 1);
        assertThat(status(latest)).isEqualTo("assembling");
        Thread.sleep(200);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(latest.topic(), latest.partition(), latest.key(), latest.value())).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<ConsumerRecord<String, byte[]>> views = viewsOf(broker, videoId);
        while (views.stream().anyMatch(r -> status(r).equals("ready_for_assembly"))) {
            assertThat(System.nanoTime()).as("waiting for the log cleaner; views left %s", views.size())
                    .isLessThan(deadline);
            Thread.sleep(1_000);
            views = viewsOf(broker, videoId);
        }
        assertThat(views).extracting(AssemblyAfterCompactionIT::status).containsOnly("assembling");
    }

    private static String status(ConsumerRecord<String, byte[]> record) {
        return Json.read(record.value(), VideoStatus.class).status();
    }

    /** Every committed view of the video on {@code reetik.video-status}, oldest first. */
    private static List<ConsumerRecord<String, byte[]>> viewsOf(EmbeddedKafkaBroker broker, String videoId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> views = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.VIDEO_STATUS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading the views").isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (videoId.equals(record.key()) && record.value() != null) {
                        views.add(record);
                    }
                }
            }
        }
        return views;
    }

    /** The real local agents; the first stack's assembly is held for ever (the stop comes in the middle of it). */
    private AgentPort holdingAssembly(AgentPort real) {
        return new ForwardingAgentPort(real) {
            @Override
            public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
                assemblies.incrementAndGet();
                if (holding) {
                    assembling.countDown();
                    try {
                        zombie.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new AgentException(com.reetik.contracts.status.ErrorCode.ASSEMBLY_FAILED, false,
                            "test: this stack was stopped in the middle of the assembly");
                }
                return super.assemble(videoId, clipUris);
            }
        };
    }
}
