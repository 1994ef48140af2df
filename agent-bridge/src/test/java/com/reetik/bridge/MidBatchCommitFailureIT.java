package com.reetik.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Issue 9, case 2: a Kafka error partway through a poll that spans several partitions loses no record. The bridge
 * runs as its own application on a real broker; its commands listener takes a poll of commands from three
 * partitions, and the commit of the first record's transaction fails as a real one does when the transaction
 * coordinator does not answer in time ({@code TimeoutException} from {@code commitTransaction}, thrown by a
 * wrapper around the real producer, which is then aborted for real). Every command of the poll must still be
 * handled, each one's output committed once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MidBatchCommitFailureIT {

    private static final int VIDEOS = 12;
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static ConfigurableApplicationContext app;

    /** Commits of a commands transaction still to fail. */
    static final AtomicInteger commitsToFail = new AtomicInteger(1);
    static final List<String> failedCommits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), PARTITIONS, (short) 1);
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
    void shouldHandleEveryCommandOfABatchWhoseFirstCommitFailed() throws Exception {
        // Given 12 new videos' commands waiting on the three partitions of the commands topic
        List<String> videos = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < VIDEOS; i++) {
                String videoId = String.format("volcans_20261130_1200%02d_abc%03d", i, i);
                videos.add(videoId);
                VideoCommand create = new CreateVideo("create-" + i, videoId, "user-1", Instant.now(),
                        new VideoRequest("Les volcans d'Islande " + i, 8, "informative", "fr", "9:16"), null);
                producer.send(new ProducerRecord<>(Topics.VIDEO_COMMANDS.name(), i % PARTITIONS, videoId,
                        Json.write(create))).get();
            }
        }

        // When the bridge takes them in one poll of one consumer, and the commit of the first one's transaction
        // times out
        app = AgentBridgeApplication.builder()
                .initializers(context -> context.getBeanFactory().registerSingleton("failingCommits",
                        (DefaultKafkaProducerFactoryCustomizer) factory -> factory.addPostProcessor(
                                MidBatchCommitFailureIT::failingFirstCommandCommit)))
                .run("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--spring.kafka.consumer.properties.interceptor.classes=" + PollRecorder.class.getName(),
                        "--reetik.data-dir=" + dir.resolve("data"),
                        "--reetik.storage-dir=" + dir.resolve("videos"),
                        "--reetik.instance-id=bridge-batch-it",
                        "--reetik.topics.partitions=" + PARTITIONS,
                        "--reetik.bridge.block-workers=1",
                        // The failed transaction's producer is closed, not aborted (Spring's producer factory drops a
                        // producer whose commit failed): the coordinator aborts it after this timeout, and until then
                        // readers wait on the partitions it wrote. 30 s in the product; 5 s keeps this test short.
                        "--spring.kafka.producer.properties.transaction.timeout.ms=5000",
                        // only the commands listener runs: the test is about commands, not renders
                        "--spring.kafka.listener.auto-startup=false",
                        "--server.port=0");
        app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("bridge-commands").start();

        // Then every video's script is written, exactly once in what readers see, and the failure did happen
        // in a poll that held records of more than one partition
        Map<String, List<VideoEvent>> events = awaitScripts(Set.copyOf(videos), Duration.ofSeconds(90));
        assertThat(failedCommits).hasSize(1);
        assertThat(PollRecorder.firstCommandPoll).as("partitions in the first poll of commands").hasSizeGreaterThan(1);
        for (String videoId : videos) {
            List<VideoEvent> of = events.getOrDefault(videoId, List.of());
            assertThat(of).as("events of %s", videoId).anyMatch(e -> e instanceof VideoRequested);
            assertThat(of.stream().filter(e -> e instanceof ScriptGenerated).count()).as("scripts of %s", videoId)
                    .isEqualTo(1);
        }
    }

    /** The committed events of the videos, once each has a ScriptGenerated (read_committed, as every reader). */
    private static Map<String, List<VideoEvent>> awaitScripts(Set<String> videos, Duration timeout) {
        Map<String, List<VideoEvent>> events = new ConcurrentHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "mid-batch-it-reader");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.VIDEO_EVENTS.name()));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                            .add(Json.read(record.value(), VideoEvent.class));
                }
                Set<String> scripted = events.entrySet().stream()
                        .filter(e -> e.getValue().stream().anyMatch(v -> v instanceof ScriptGenerated))
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
                if (scripted.containsAll(videos)) {
                    // one more poll: a second ScriptGenerated committed just after would show here
                    consumer.poll(Duration.ofSeconds(2)).forEach(record -> events.get(record.key())
                            .add(Json.read(record.value(), VideoEvent.class)));
                    return events;
                }
            }
        }
        Set<String> missing = videos.stream().filter(v -> events.getOrDefault(v, List.of()).stream()
                .noneMatch(e -> e instanceof ScriptGenerated)).collect(Collectors.toSet());
        throw new AssertionError("no script for " + missing + " after " + timeout + " (a command was skipped)");
    }

    /**
     * The real producer, except that the commit of a transaction carrying commands' offsets fails while
     * {@link #commitsToFail} says so, before reaching the broker, with the exception a coordinator that does not
     * answer gives. The container then aborts the real transaction.
     */
    @SuppressWarnings("unchecked")
    private static <K, V> Producer<K, V> failingFirstCommandCommit(Producer<K, V> real) {
        Set<String> offsetsOf = ConcurrentHashMap.newKeySet();
        return (Producer<K, V>) Proxy.newProxyInstance(Producer.class.getClassLoader(), new Class<?>[]{Producer.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "beginTransaction" -> offsetsOf.clear();
                        case "sendOffsetsToTransaction" -> ((Map<TopicPartition, OffsetAndMetadata>) args[0])
                                .forEach((tp, offset) -> offsetsOf.add(tp + "@" + offset.offset()));
                        case "commitTransaction" -> {
                            if (offsetsOf.stream().anyMatch(o -> o.startsWith(Topics.VIDEO_COMMANDS.name()))
                                    && commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                failedCommits.add(String.join(",", offsetsOf));
                                throw new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn(true)");
                            }
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Records which partitions the first poll of commands held (a consumer interceptor, Kafka's own hook). */
    public static final class PollRecorder implements ConsumerInterceptor<Object, Object> {

        static final Set<Integer> firstCommandPoll = ConcurrentHashMap.newKeySet();

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            Set<Integer> partitions = records.partitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.VIDEO_COMMANDS.name()))
                    .map(TopicPartition::partition).collect(Collectors.toSet());
            if (!partitions.isEmpty() && firstCommandPoll.isEmpty()) {
                firstCommandPoll.addAll(partitions);
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
