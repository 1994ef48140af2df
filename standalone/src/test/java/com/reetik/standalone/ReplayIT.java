package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.Topic;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Replayed commands and tasks do nothing (issue 9, case 6). Two videos complete and one fails on the real local
 * agents; the stack is stopped, every consumer group of the bridge is reset to the earliest offsets (as an
 * operator's reset, or offsets expired while the bridge was down, would leave them), and the stack is started again
 * on the same data directory. The bridge reads every command, block task and view again, and does nothing: no
 * script, clip or assembly is asked of the agents, no record is added to the event log, the views or the tasks,
 * and the stored files are untouched.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplayIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String BRIDGE_GROUPS = "reetik-agent-bridge";
    private static final List<Topic<?, ?>> WRITTEN = List.of(Topics.VIDEO_EVENTS, Topics.VIDEO_STATUS,
            Topics.BLOCK_TASKS, Topics.BLOCK_POLLS, Topics.ASSEMBLY_TASKS, Topics.DEAD_LETTERS);

    @TempDir
    Path dataDir;

    /** Agent calls by kind and video: "script video", "clip video/block", "assemble video". */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Test
    void shouldDoNothingWhenTheBridgeReadsEveryCommandAndTaskAgain() throws Exception {
        // Given two videos completed and one failed (its block 2 refused for good)
        Map<String, String> env = Map.of("REETIK_PARTITIONS", "3");
        String token;
        Map<String, String> expected = new HashMap<>();
        try (RunningServer server = RunningServer.start(dataDir, env, this::counting)) {
            token = server.api.newUser();
            for (String theme : List.of("Les volcans d'Islande", "Les glaciers", "Les déserts [refuse]")) {
                String videoId = server.api.createVideo(token, theme, 8);
                expected.put(videoId, theme.contains("[refuse]") ? "failed" : "completed");
            }
            for (Map.Entry<String, String> video : expected.entrySet()) {
                JsonNode view = server.api.awaitTerminal(video.getKey(), token, WAIT);
                assertThat(view.get("status").asText()).as(view.toString()).isEqualTo(video.getValue());
            }
        }
        Map<String, Integer> callsBefore = snapshot(calls);
        assertThat(callsBefore.keySet()).as("agent calls of the first run").anyMatch(k -> k.startsWith("assemble "));

        // When, with the stack stopped, every consumer group of the bridge is reset to the earliest offsets
        Map<String, Map<TopicPartition, Long>> consumedBefore;
        Map<String, Integer> recordsBefore;
        Map<Path, String> filesBefore = files();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir.resolve("kafka"), 0).start();
             Admin admin = admin(broker)) {
            consumedBefore = resetToEarliest(admin);
            recordsBefore = committedRecords(broker);
        }
        assertThat(consumedBefore.keySet()).as("bridge groups reset")
                .contains(BRIDGE_GROUPS + "-commands", BRIDGE_GROUPS + "-blocks", BRIDGE_GROUPS + "-assembly",
                        BRIDGE_GROUPS + "-assemblies");

        // and the stack is started again on the same data directory
        try (RunningServer server = RunningServer.start(dataDir, env, this::counting)) {
            // Then the bridge reads everything again (its groups get back to where they were)
            try (Admin admin = admin(server.stack.bootstrapServers())) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (Map.Entry<String, Map<TopicPartition, Long>> group : consumedBefore.entrySet()) {
                        Map<TopicPartition, Long> now = committed(admin, group.getKey());
                        group.getValue().forEach((partition, offset) -> assertThat(now.get(partition))
                                .as("offset of %s on %s", group.getKey(), partition).isNotNull()
                                .isGreaterThanOrEqualTo(offset));
                    }
                });
            }
            // and asks nothing of the agents
            assertThat(snapshot(calls)).as("agent calls").isEqualTo(callsBefore);
            // and writes nothing: no event, view, task or dead letter
            assertThat(committedRecords(server.stack.bootstrapServers())).isEqualTo(recordsBefore);
            // and the videos are as they were, their files untouched
            for (Map.Entry<String, String> video : expected.entrySet()) {
                JsonNode view = ApiClient.json(server.api.get("/api/videos/" + video.getKey(), token));
                assertThat(view.get("status").asText()).isEqualTo(video.getValue());
            }
            assertThat(files()).isEqualTo(filesBefore);
        }
    }

    /**
     * Removes the (static) members the stopped bridge left in its groups, then sets every committed offset to the
     * partition's earliest.
     *
     * @return each group's committed offsets before the reset
     */
    private static Map<String, Map<TopicPartition, Long>> resetToEarliest(Admin admin) throws Exception {
        Map<String, Map<TopicPartition, Long>> before = new TreeMap<>();
        // (the restarted broker loads the groups in the background: wait until it lists the bridge's three)
        List<String> groups = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(
                () -> admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                        .map(ConsumerGroupListing::groupId).filter(g -> g.startsWith(BRIDGE_GROUPS)).sorted().toList(),
                listed -> listed.containsAll(List.of(BRIDGE_GROUPS + "-commands", BRIDGE_GROUPS + "-blocks",
                        BRIDGE_GROUPS + "-assembly")));
        for (String group : groups) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            if (!description.members().isEmpty()) {
                admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<TopicPartition, Long> offsets = committed(admin, group);
            if (offsets.isEmpty()) {
                continue;
            }
            before.put(group, offsets);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(
                    offsets.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                    .all().get(30, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets(group, earliest.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())))).all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(committed(admin, group).values()).as("%s reset", group).allMatch(offset -> offset == 0L);
        }
        return before;
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        offsets.put(partition, offset.offset());
                    }
                });
        return offsets;
    }

    /** How many committed records each topic the bridge and projector write holds. */
    private static Map<String, Integer> committedRecords(EmbeddedKafkaBroker broker) {
        return committedRecords(broker.bootstrapServers());
    }

    private static Map<String, Integer> committedRecords(String bootstrapServers) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> counts = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            for (Topic<?, ?> topic : WRITTEN) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                int count = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    assertThat(System.nanoTime()).as("reading %s to its end", topic.name()).isLessThan(deadline);
                    for (ConsumerRecord<String, byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                        count++;
                    }
                }
                counts.put(topic.name(), count);
            }
        }
        return counts;
    }

    /** Every stored file (clips, final videos, posters, captions) with its size, modification time and SHA-256. */
    private Map<Path, String> files() throws IOException {
        Path videos = dataDir.resolve("videos");
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(videos)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                String digest;
                try {
                    digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                files.put(videos.relativize(file), bytes.length + " " + Files.getLastModifiedTime(file) + " " + digest);
            }
        }
        assertThat(files.keySet()).as("stored files").anyMatch(p -> p.toString().contains("clips"));
        return files;
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return admin(broker.bootstrapServers());
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(props);
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void count(String call) {
        calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The real local agents, counting every call; block 2 of a "[refuse]" theme is refused for good. */
    private AgentPort counting(AgentPort real) {
        return new AgentPort() {
            @Override
            public Script writeScript(String videoId, VideoRequest request) throws AgentException {
                count("script " + videoId);
                return real.writeScript(videoId, request);
            }

            @Override
            public Clip generateClip(ClipRequest request) throws AgentException {
                count("clip " + request.videoId() + "/" + request.block().index());
                if (request.request().theme().contains("[refuse]") && request.block().index() == 2) {
                    throw new AgentException(ErrorCode.USAGE_GUIDELINES, false, "filtered: usage guidelines");
                }
                return real.generateClip(request);
            }

            @Override
            public ClipProgress startClip(ClipRequest request) throws AgentException {
                return new ClipProgress.Done(generateClip(request));
            }

            @Override
            public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
                count("poll " + request.videoId() + "/" + request.block().index());
                return real.pollClip(request, operation);
            }

            @Override
            public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
                count("assemble " + videoId);
                return real.assemble(videoId, clipUris);
            }
        };
    }
}
