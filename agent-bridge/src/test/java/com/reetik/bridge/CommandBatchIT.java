package com.reetik.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.VideoCancelled;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The bridge takes a poll of commands as one batch ({@code CommandBatches}): in one poll, a command that cannot be read
 * goes to the dead letters without holding back the others, and a second command of a video already in the batch (a
 * cancel right after its create) is handled after the first, never beside it: the video's script is written, then it
 * is cancelled. The bridge runs as its own application on a real broker, only its commands listener started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandBatchIT {

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 1, (short) 1);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldHandleAPollOfCommandsInOrderPerVideoAndDeadLetterOnlyTheUnreadableOne() throws Exception {
        // Given, on the one partition of the commands topic: a create, a record that is not a command, a cancel of
        // the first video, another create
        String first = "volcans_20261202_120000_abc001";
        String second = "glaciers_20261202_120001_abc002";
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, first, Json.write((VideoCommand) new CreateVideo("create-1", first, "user-1", Instant.now(),
                    request, null)));
            send(producer, "not_a_video", "{\"type\":\"Nonsense\"".getBytes(StandardCharsets.UTF_8));
            send(producer, first, Json.write((VideoCommand) new CancelVideo("cancel-1", first, "user-1", Instant.now())));
            send(producer, second, Json.write((VideoCommand) new CreateVideo("create-2", second, "user-1", Instant.now(),
                    request, null)));
        }

        // When the bridge's command listener reads them (one poll: they are all there before it starts)
        app = AgentBridgeApplication.builder()
                .run("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--spring.kafka.consumer.properties.interceptor.classes=" + PollCounter.class.getName(),
                        "--reetik.data-dir=" + dir.resolve("data"),
                        "--reetik.storage-dir=" + dir.resolve("videos"),
                        "--reetik.instance-id=bridge-command-batch-it",
                        "--reetik.topics.partitions=1",
                        "--reetik.bridge.block-workers=1",
                        "--spring.kafka.listener.auto-startup=false",
                        "--server.port=0");
        app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("bridge-commands").start();

        // Then the first video is scripted, then cancelled; the second is scripted; the unreadable record is a dead
        // letter; and the first poll did hold more than the first command
        List<ConsumerRecord<String, byte[]>> events = readUntil(Topics.VIDEO_EVENTS.name(), records -> records.stream()
                .filter(r -> r.key().equals(first)).anyMatch(r -> read(r) instanceof VideoCancelled)
                && records.stream().filter(r -> r.key().equals(second)).anyMatch(r -> read(r) instanceof ScriptGenerated));
        List<Class<?>> firstEvents = events.stream().filter(r -> r.key().equals(first))
                .<Class<?>>map(r -> read(r).getClass()).toList();
        assertThat(firstEvents).as("events of the video created then cancelled, in log order")
                .containsSubsequence(VideoRequested.class, ScriptGenerated.class, VideoCancelled.class);
        assertThat(firstEvents.stream().filter(ScriptGenerated.class::equals)).as("scripts of %s", first).hasSize(1);
        List<ConsumerRecord<String, byte[]>> deadLetters = readUntil(Topics.DEAD_LETTERS.name(), r -> !r.isEmpty());
        assertThat(deadLetters).hasSize(1);
        DeadLetter letter = Json.read(deadLetters.get(0).value(), DeadLetter.class);
        assertThat(letter.sourceTopic()).isEqualTo(Topics.VIDEO_COMMANDS.name());
        assertThat(letter.offset()).isEqualTo(1);
        assertThat(PollCounter.firstPoll.get()).as("commands in the first poll").isGreaterThan(2);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.VIDEO_COMMANDS.name(), 0, key, value)).get();
    }

    private static VideoEvent read(ConsumerRecord<String, byte[]> record) {
        return Json.read(record.value(), VideoEvent.class);
    }

    /** The committed records of a topic from its start, once {@code done} holds of them (read_committed, as every reader). */
    private static List<ConsumerRecord<String, byte[]>> readUntil(
            String topic, java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "command-batch-it-" + topic);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                if (done.test(records)) {
                    // one more poll: a record committed just after (a second script) would show here
                    consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
                    return records;
                }
            }
        }
        throw new AssertionError("not there in 60 s on " + topic + ": " + records.size() + " records read");
    }

    /** How many commands the first poll of commands held (a consumer interceptor, Kafka's own hook). */
    public static final class PollCounter implements ConsumerInterceptor<Object, Object> {

        static final AtomicInteger firstPoll = new AtomicInteger();

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            int commands = records.records(new TopicPartition(Topics.VIDEO_COMMANDS.name(), 0)).size();
            if (commands > 0) {
                firstPoll.compareAndSet(0, commands);
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
