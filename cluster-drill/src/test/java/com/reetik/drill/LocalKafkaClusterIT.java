package com.reetik.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failure drill on a real 3-node cluster (three kafka.Kafka JVMs): a node is killed with SIGKILL while
 * producers with {@code acks=all} keep writing, then restarted; nothing acknowledged may be lost, and
 * the cluster must heal back to 3 in-sync replicas everywhere.
 *
 * <p>The node directories and logs stay in {@code target/cluster-drill-*} for inspection.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class LocalKafkaClusterIT {

    private static final int NODES = 3;
    private static final String TOPIC = "drill";
    private static final int PARTITIONS = 6;
    private static final int BATCH = 1_000;
    private static final int COMMITTED_TX = 100;
    private static final int ABORTED_TX = 50;

    @BeforeAll
    static void canRun() {
        Assumptions.assumeTrue(Files.isExecutable(JavaProcess.javaExecutable()),
                "Skipped: no java launcher at " + JavaProcess.javaExecutable() + " to start Kafka nodes");
        String cp = System.getProperty("java.class.path", "");
        Assumptions.assumeTrue(cp.contains("kafka_2.13"),
                "Skipped: kafka_2.13 is not on java.class.path, which the node JVMs inherit: " + cp);
    }

    @Test
    void survivesSigkillOfOneNodeAndHeals() throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path baseDir = Files.createTempDirectory(target,
                "cluster-drill-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")) + "-");
        Map<String, Long> timings = new TreeMap<>();
        long t0 = System.nanoTime();

        long t = System.nanoTime();
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(baseDir, NODES)) {
            timings.put("01 cluster start (format + 3 JVMs + quorum)", ms(t));
            log("cluster %s up at %s in %d ms (dirs in %s)", cluster.clusterId(), cluster.bootstrapServers(),
                    ms(t), baseDir);
            Admin admin = cluster.admin();
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
            log("quorum leader %d, voters %s", quorum.leaderId(),
                    quorum.voters().stream().map(v -> v.replicaId()).collect(Collectors.toList()));

            // -- topic: 6 partitions, RF 3, min.insync.replicas 2
            t = System.nanoTime();
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            awaitFullIsr(admin, Set.of(TOPIC), Duration.ofSeconds(60));
            timings.put("02 create topic, all ISRs full", ms(t));

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(cluster, null));
                 KafkaProducer<String, String> txProducer = new KafkaProducer<>(producerProps(cluster, "drill-tx"))) {

                // -- 1,000 records with acks=all, idempotent
                t = System.nanoTime();
                produce(producer, 0, BATCH);
                timings.put("03 produce 1000 (3 nodes)", ms(t));

                // Create __transaction_state (initTransactions) and __consumer_offsets (a group's
                // commit) while all 3 nodes are up, as in a running system: the kill then exercises the
                // failover of existing coordinators. (Creating them with a node down works too: KRaft
                // places replicas on a registered but fenced broker if it must.)
                t = System.nanoTime();
                txProducer.initTransactions();
                warmUpGroup(cluster);
                awaitFullIsr(admin, Set.of("__transaction_state", "__consumer_offsets"), Duration.ofSeconds(90));
                timings.put("04 internal topics created", ms(t));

                // -- SIGKILL: the active controller (quorum leader), which also leads some partitions
                int victim = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
                Map<Integer, Integer> leaders = leaders(admin, TOPIC);
                log("killing node %d (quorum leader; leads partitions %s of %s), pid %d", victim,
                        leaders.entrySet().stream().filter(e -> e.getValue() == victim).map(Map.Entry::getKey)
                                .collect(Collectors.toList()), TOPIC, cluster.process(victim).pid());
                cluster.kill(victim);
                assertThat(cluster.isRunning(victim)).isFalse();

                // -- 1,000 more: must succeed with 2 in-sync replicas left
                t = System.nanoTime();
                produce(producer, BATCH, BATCH);
                timings.put("05 produce 1000 after SIGKILL (incl. leader failover)", ms(t));

                // -- a committed and an aborted transaction
                t = System.nanoTime();
                txProducer.beginTransaction();
                for (int i = 0; i < COMMITTED_TX; i++) {
                    txProducer.send(new ProducerRecord<>(TOPIC, "tx-" + i, "committed-" + i));
                }
                txProducer.commitTransaction();
                txProducer.beginTransaction();
                for (int i = 0; i < ABORTED_TX; i++) {
                    txProducer.send(new ProducerRecord<>(TOPIC, "tx-aborted-" + i, "aborted-" + i));
                }
                txProducer.flush();
                txProducer.abortTransaction();
                timings.put("06 commit + abort a transaction (2 nodes)", ms(t));
                log("controller after the kill: %d; ISRs %s", admin.describeMetadataQuorum().quorumInfo()
                        .get(10, TimeUnit.SECONDS).leaderId(), isrs(admin, TOPIC));
            }

            // -- read_committed: all 2,000 once each, the committed transaction, nothing aborted
            t = System.nanoTime();
            List<String> values = consumeAll(cluster, 2 * BATCH + COMMITTED_TX, Duration.ofSeconds(90));
            timings.put("07 consume read_committed (2 nodes)", ms(t));
            Set<String> distinct = new HashSet<>(values);
            assertThat(values).hasSize(2 * BATCH + COMMITTED_TX);
            assertThat(distinct).hasSize(values.size()); // idempotence: no duplicates
            for (int i = 0; i < 2 * BATCH; i++) {
                assertThat(distinct).contains("v-" + i);
            }
            assertThat(values).filteredOn(v -> v.startsWith("committed-")).hasSize(COMMITTED_TX);
            assertThat(values).noneMatch(v -> v.startsWith("aborted-"));

            // -- restart the killed node (same ports, same data dir) and wait for 3 ISRs everywhere
            int victim = killedNode(cluster);
            t = System.nanoTime();
            cluster.restart(victim);
            long restartMs = ms(t);
            timings.put("08 restart killed node until it serves", restartMs);
            Set<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                    .listInternal(true)).names().get(10, TimeUnit.SECONDS);
            awaitFullIsr(admin, topics, Duration.ofMinutes(3));
            timings.put("09 restart until every partition has 3 ISRs", ms(t));
            log("node %d back: ISRs of %s %s; quorum %s", victim, TOPIC, isrs(admin, TOPIC),
                    admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).voters().stream()
                            .map(v -> v.replicaId() + ":leo=" + v.logEndOffset()).collect(Collectors.toList()));
        } finally {
            timings.put("10 total (incl. shutdown)", ms(t0));
            System.out.println("=== cluster drill timings (ms)");
            timings.forEach((k, v) -> System.out.printf("  %-55s %7d%n", k, v));
            System.out.println("=== logs: " + baseDir);
        }
    }

    // --------------------------------------------------------------------------------- helpers

    private static Properties producerProps(LocalKafkaCluster cluster, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    /** Sends {@code count} records and fails unless every one is acknowledged. */
    private static void produce(KafkaProducer<String, String> producer, int from, int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            acks.add(producer.send(new ProducerRecord<>(TOPIC, "k-" + i, "v-" + i)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            assertThat(ack.get(2, TimeUnit.MINUTES).hasOffset()).isTrue();
        }
    }

    private static Properties consumerProps(LocalKafkaCluster cluster, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** Joins a group and commits once, which creates __consumer_offsets. */
    private static void warmUpGroup(LocalKafkaCluster cluster) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(cluster, "drill-warmup"))) {
            consumer.subscribe(List.of(TOPIC));
            await("group drill-warmup joined").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200));
                        return !consumer.assignment().isEmpty();
                    });
            consumer.commitSync(Duration.ofSeconds(60));
        }
    }

    private static List<String> consumeAll(LocalKafkaCluster cluster, int expected, Duration timeout) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(cluster, "drill-reader"))) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (values.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Consumed only " + values.size() + " of " + expected
                            + " records within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            // Anything beyond what was expected (duplicates, aborted records) shows up here.
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(2))) {
                values.add(r.value());
            }
            consumer.commitSync(Duration.ofSeconds(30));
        }
        return values;
    }

    /** Waits until every partition of {@code topics} has all its replicas in sync. */
    private static void awaitFullIsr(Admin admin, Set<String> topics, Duration timeout) {
        await("full ISR of " + topics).atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    Map<String, TopicDescription> all = admin.describeTopics(topics).allTopicNames()
                            .get(10, TimeUnit.SECONDS);
                    return all.size() == topics.size() && all.values().stream()
                            .flatMap(d -> d.partitions().stream())
                            .allMatch(p -> p.isr().size() == NODES && p.replicas().size() == NODES);
                });
    }

    private static Map<Integer, Integer> leaders(Admin admin, String topic) throws Exception {
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions()) {
            leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id());
        }
        return leaders;
    }

    private static Map<Integer, List<Integer>> isrs(Admin admin, String topic) throws Exception {
        Map<Integer, List<Integer>> isrs = new TreeMap<>();
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions()) {
            isrs.put(p.partition(), p.isr().stream().map(Node::id).sorted().collect(Collectors.toList()));
        }
        return isrs;
    }

    private static int killedNode(LocalKafkaCluster cluster) {
        for (int node = 1; node <= cluster.nodeCount(); node++) {
            if (!cluster.isRunning(node)) {
                return node;
            }
        }
        throw new AssertionError("No node is down");
    }

    private static long ms(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[drill] " + format + "%n", args);
    }
}
