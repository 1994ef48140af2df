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

/**
 * Creates Reetik's topics when they are missing: compacted views, event logs kept forever (they are the
 * source of truth the views are rebuilt from), with the configured partition count.
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
        }
    }

    /** How long a registration is kept: only until the projector has decided it, so a day is plenty. */
    static final Duration REGISTRATIONS_RETENTION = Duration.ofDays(1);

    /**
     * A topic's settings beside partitions and replication: compaction for views, infinite retention for
     * the event logs, a day for registrations. Strimzi's KafkaTopic resources in k8s/ carry exactly these (a
     * test checks it).
     */
    public static Map<String, String> configOf(Topic<?, ?> topic) {
        Map<String, String> config = new HashMap<>();
        if (topic.compacted()) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else if (topic == Topics.REGISTRATIONS) {
            config.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(REGISTRATIONS_RETENTION.toMillis()));
        } else if (topic != Topics.BLOCK_TASKS && topic != Topics.BLOCK_POLLS && topic != Topics.VIDEO_COMMANDS) {
            config.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        }
        return config;
    }
}
