package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topic;
import com.reetik.contracts.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Malformed records on every topic a service reads and dead-letters (issue 9's drill: "1,000 malformed records on
 * each input topic: all in dead letters, videos keep completing"). The whole product in one JVM, the real local
 * agents; while three videos are being made, the test writes {@value #DEFAULT_PER_TOPIC} records per topic (or
 * {@code -Dreetik.malformed.per-topic=1000}) that no reader can take: text that is not JSON, JSON of no known type,
 * empty values, JSON missing what the record needs. Every one must end in {@code reetik.dead-letters} naming its
 * topic, partition and offset, and every video must complete. Prints how long the dead letters took.
 *
 * <p>The topics: commands, block tasks, polls and assembly tasks (the bridge's listeners), events (the projector;
 * the bridge's ledger skips them), views (the bridge turns ready ones into tasks, the projector summarizes them:
 * two dead letters each), registrations (the projector). {@code reetik.users} and {@code reetik.video-summaries}
 * are written only by the projector from records it validated; their readers are replicas that log and skip.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class MalformedRecordsIT {

    private static final int DEFAULT_PER_TOPIC = 25;
    private static final List<Topic<?, ?>> INPUTS = List.of(Topics.VIDEO_COMMANDS, Topics.BLOCK_TASKS,
            Topics.BLOCK_POLLS, Topics.ASSEMBLY_TASKS, Topics.VIDEO_EVENTS, Topics.VIDEO_STATUS, Topics.REGISTRATIONS);
    private static final List<String> MALFORMED = List.of("{not json", "{\"type\": \"NoSuchEvent\"}", "",
            "{\"video_id\": 42}", "[1, 2, 3]", "null");

    @TempDir
    Path dataDir;

    @Test
    void shouldDeadLetterEveryMalformedRecordWhileVideosComplete() throws Exception {
        int perTopic = Integer.getInteger("reetik.malformed.per-topic", DEFAULT_PER_TOPIC);
        try (RunningServer server = RunningServer.start(dataDir, Map.of(), agents -> agents)) {
            // Given three videos being made
            String token = server.api.newUser();
            List<String> videos = new ArrayList<>();
            for (String theme : List.of("Les volcans d'Islande", "Les aurores boréales", "Les fjords")) {
                videos.add(server.api.createVideo(token, theme, 8));
            }

            // When malformed records are written to every input topic meanwhile
            long started = System.nanoTime();
            Set<String> written = write(server, perTopic);
            long writtenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            // Then every one is in the dead letters, naming where it came from
            Map<String, Integer> perSource = awaitDeadLetters(server, written, Duration.ofMinutes(15));
            long deadLetteredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            // and every video completes
            for (String videoId : videos) {
                JsonNode view = server.api.awaitTerminal(videoId, token, Duration.ofMinutes(3));
                assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
            }
            // and a video asked for after them completes too
            String after = server.api.createVideo(token, "Après les lettres mortes", 8);
            assertThat(server.api.awaitTerminal(after, token, Duration.ofMinutes(3)).get("status").asText())
                    .isEqualTo("completed");
            System.out.printf("Malformed records: %d per topic on %d topics (%d) written in %d ms, all dead-lettered"
                    + " %d ms after the first was written; dead letters per source topic: %s%n", perTopic,
                    INPUTS.size(), written.size(), writtenMs, deadLetteredMs, perSource);
        }
    }

    /** Writes the malformed records; returns each one's {@code topic/partition/offset}. */
    private static Set<String> write(RunningServer server, int perTopic) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.stack.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Set<String> written = new HashSet<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                for (Topic<?, ?> topic : INPUTS) {
                    String value = MALFORMED.get(i % MALFORMED.size());
                    sent.add(producer.send(new ProducerRecord<>(topic.name(), "malformed-" + i, value)));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get(60, TimeUnit.SECONDS);
                written.add(m.topic() + "/" + m.partition() + "/" + m.offset());
            }
        }
        return written;
    }

    /** Reads the dead letters until each written record has one; returns the dead letters per source topic. */
    private static Map<String, Integer> awaitDeadLetters(RunningServer server, Set<String> written, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "malformed-it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> missing = new HashSet<>(written);
        Map<String, Integer> perSource = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    DeadLetter letter = Json.read(r.value(), DeadLetter.class);
                    missing.remove(letter.sourceTopic() + "/" + letter.partition() + "/" + letter.offset());
                    perSource.merge(letter.sourceTopic(), 1, Integer::sum);
                }
            }
        }
        Map<String, Long> missingPerTopic = new LinkedHashMap<>();
        missing.forEach(m -> missingPerTopic.merge(m.substring(0, m.indexOf('/')), 1L, Long::sum));
        assertThat(missingPerTopic).as("malformed records with no dead letter after %s, per topic (dead letters"
                + " seen per source: %s)", timeout, perSource).isEmpty();
        return perSource;
    }
}
