package com.reetik.contracts.topic;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Reetik's topics when they are missing: compacted views, event logs kept forever (they are the
 * source of truth the views are rebuilt from), commands and tasks kept a week, with the configured partition
 * count.
 */
public final class TopicInitializer {

    private TopicInitializer() {
    }

    public static void createMissing(String bootstrapServers, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), partitions, replicationFactor).configs(configOf(t)))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        }
    }

    /**
     * Returns once every partition of {@code topics} has a leader. A topic is created before its partitions have
     * leaders; an idempotent producer that writes at once gets NOT_LEADER_OR_FOLLOWER for its first batches, and
     * kafka-clients 4.1 can then retry one of them for ever on OUT_OF_ORDER_SEQUENCE_NUMBER (seen here: a test's
     * flush and a benchmark's close that never returned).
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false; // created, not yet in the metadata the broker answers from
            }
            if (ready && leadersServe(admin, topics)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the partitions of " + topics + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Whether every partition's leader answers for it: the metadata names a leader a moment before that broker has
     * taken the partition up, and a produce in that moment gets NOT_LEADER_OR_FOLLOWER all the same (seen: a test's
     * producer stuck on OUT_OF_ORDER_SEQUENCE_NUMBER after leaders were listed). A ListOffsets is served by the
     * leader's replica, as a produce is.
     */
    private static boolean leadersServe(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d ->
                d.partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(d.name(),
                        p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
        try {
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A topic's settings beside partitions and replication: compaction for views, an explicit
     * {@code retention.ms} for every other topic ({@code -1}, forever, for the event logs; a week for commands
     * and tasks; a day for registrations). Strimzi's KafkaTopic resources in k8s/ carry exactly these (a test checks it).
     */
    public static Map<String, String> configOf(Topic<?, ?> topic) {
        Map<String, String> config = new HashMap<>();
        if (topic.compacted()) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            config.put(TopicConfig.RETENTION_MS_CONFIG,
                    topic.retention() == null ? "-1" : String.valueOf(topic.retention().toMillis()));
        }
        return config;
    }
}
