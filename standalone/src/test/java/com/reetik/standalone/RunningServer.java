package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentPort;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The whole product started in this JVM as `serve` starts it, on a free port, for one test class. */
final class RunningServer implements AutoCloseable {

    final StandaloneStack stack;
    final ConfigurableApplicationContext gateway;
    final ApiClient api;

    private RunningServer(StandaloneStack stack, ConfigurableApplicationContext gateway, ApiClient api) {
        this.stack = stack;
        this.gateway = gateway;
        this.api = api;
    }

    static RunningServer start(Path dataDir, Map<String, String> extraEnv, UnaryOperator<AgentPort> agents)
            throws Exception {
        return start(dataDir, extraEnv, agents, null);
    }

    /** @param store makes the object store (e.g. a bucket on Google's in-memory storage); null: the bridge's own */
    static RunningServer start(Path dataDir, Map<String, String> extraEnv, UnaryOperator<AgentPort> agents,
                               Function<StandaloneSettings, ObjectStore> store) throws Exception {
        Map<String, String> env = new HashMap<>(extraEnv);
        // Any free port unless the test fixes one (to come back on it after a restart): chosen by the gateway as it
        // binds, not picked beforehand, when the broker starting meanwhile could take the same port.
        env.putIfAbsent("SERVER_PORT", "0");
        env.put("REETIK_DATA_DIR", dataDir.toString());
        env.putIfAbsent("REETIK_PARTITIONS", "3");
        // The local preview's 360p draft: a third of the CPU of 720p on the two cores the suite shares. The frame
        // size itself is tested by the renderer's tests and GenerateCommandIT (720p, the default).
        env.putIfAbsent("REETIK_LOCAL_RESOLUTION", "360p");
        // The pipeline tests create many videos and users at once from one address; the limits have their own test.
        env.putIfAbsent("REETIK_CREATES_PER_MINUTE", "10000");
        env.putIfAbsent("REETIK_REGISTRATIONS_PER_HOUR", "10000");
        // and one user may have many videos in flight; the quotas have their own tests.
        env.putIfAbsent("REETIK_MAX_ACTIVE_VIDEOS", "10000");
        env.putIfAbsent("REETIK_DAILY_SECONDS", "10000000");
        // Password hashes at 1,000 iterations (600,000 by default): each sign-up and login of these tests would
        // otherwise spend seconds of CPU in PBKDF2 on the two cores the suite shares, and is not their subject.
        env.putIfAbsent("REETIK_PASSWORD_ITERATIONS", "1000");
        StandaloneStack stack = new StandaloneStack(StandaloneSettings.fromEnvironment(env), agents, store).start();
        try {
            ConfigurableApplicationContext gateway = stack.startGateway();
            ApiClient api = new ApiClient(gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
            api.awaitHealthy(Duration.ofSeconds(60), () -> true);
            return new RunningServer(stack, gateway, api);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Writes a raw record, as a broken or hostile producer would. */
    void sendRaw(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Waits for the dead letter of the record with this key. */
    DeadLetter awaitDeadLetter(String key, Duration timeout) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    if (key.equals(r.key())) {
                        return Json.read(r.value(), DeadLetter.class);
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for key " + key + " in " + timeout);
    }

    /** Waits for the video to end and checks it failed with this code, stage and user message. */
    void assertFailed(String token, String videoId, String code, String stage, String message) throws Exception {
        JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("failed");
        assertThat(view.get("current_step").asText()).isEqualTo("Erreur");
        assertThat(view.get("error").get("code").asText()).as(view.toString())
                .isEqualTo(code);
        assertThat(view.get("error").get("stage").asText()).isEqualTo(stage);
        assertThat(view.get("error").get("message").asText()).isEqualTo(message);
    }

    /**
     * Every record this server's bridge wrote to {@code reetik.video-events} follows the public contract
     * ({@code docs/asyncapi.yaml}); records a test wrote on purpose and that went to the dead letters are left
     * out. Called by {@link #close()}, so every pipeline IT checks what it produced.
     */
    void assertEventLogFollowsTheContract() {
        java.util.Set<String> deadLettered = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> r : readAll(Topics.DEAD_LETTERS.name())) {
            DeadLetter letter = Json.read(r.value(), DeadLetter.class);
            deadLettered.add(letter.sourceTopic() + "/" + letter.partition() + "/" + letter.offset());
        }
        com.reetik.contracts.asyncapi.EventSchemas schemas = com.reetik.contracts.asyncapi.EventSchemas.load();
        List<String> errors = new java.util.ArrayList<>();
        int checked = 0;
        for (ConsumerRecord<String, String> r : readAll(Topics.VIDEO_EVENTS.name())) {
            if (deadLettered.contains(r.topic() + "/" + r.partition() + "/" + r.offset())) {
                continue;
            }
            checked++;
            schemas.errors(r.key(), r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .forEach(e -> errors.add(r.key() + "@" + r.offset() + ": " + e));
        }
        assertThat(errors).as("records of %s not following docs/asyncapi.yaml (%d checked)",
                Topics.VIDEO_EVENTS.name(), checked).isEmpty();
    }

    /**
     * The video's latest view as the services see it on {@code reetik.video-status}: with the storage URIs, operation
     * names and agent ids that the HTTP API leaves out.
     */
    JsonNode internalView(String videoId) {
        ConsumerRecord<String, String> last = null;
        for (ConsumerRecord<String, String> r : readAll(Topics.VIDEO_STATUS.name())) {
            if (videoId.equals(r.key()) && r.value() != null) {
                last = r;
            }
        }
        assertThat(last).as("a view of %s on %s", videoId, Topics.VIDEO_STATUS.name()).isNotNull();
        return Json.mapper().readTree(last.value());
    }

    private List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        try {
            assertEventLogFollowsTheContract();
        } finally {
            gateway.close();
            stack.close();
        }
        assertThat(EmbeddedKafkaBroker.fatalFaults()).as("fatal faults of the in-process Kafka broker").isEmpty();
    }

    /**
     * A port that is free now, from a range of this test JVM's own below the system's ephemeral ports (failsafe runs
     * two JVMs side by side): a port the system handed out and took back could be handed to the other JVM's server
     * before ours binds it (seen: a kill test's server could not bind, and its HTTP client talked to the other JVM's
     * server on the same port, which rendered the video).
     */
    static synchronized int freePort() throws Exception {
        int fork;
        try {
            fork = Integer.parseInt(System.getProperty("reetik.fork", "1")); // failsafe's fork number (standalone/pom.xml)
        } catch (NumberFormatException outsideFailsafe) {
            fork = 1;
        }
        int base = 20_000 + (fork % 4) * 3_000;
        for (int i = 0; i < 3_000; i++) {
            int port = base + (int) (nextPort++ % 3_000);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (java.io.IOException taken) {
                // in use: the next one
            }
        }
        throw new IllegalStateException("no free port in " + base + ".." + (base + 2_999));
    }

    private static long nextPort = System.nanoTime() % 3_000;
}
