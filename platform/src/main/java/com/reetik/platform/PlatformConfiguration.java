package com.reetik.platform;

import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Imported by each service application: the shared settings, the topics, the clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReetikProperties.class)
public class PlatformConfiguration {

    /**
     * Every topic of {@link Topics#all()}, created by Spring's {@link KafkaAdmin} at start when missing (on
     * Kubernetes, Strimzi's KafkaTopic resources create them first, with the same settings).
     */
    @Bean
    KafkaAdmin.NewTopics reetikTopics(ReetikProperties properties) {
        ReetikProperties.TopicSettings settings = properties.topics();
        return new KafkaAdmin.NewTopics(Topics.all().stream().map(topic -> {
            Map<String, String> config = new HashMap<>(TopicInitializer.configOf(topic));
            config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInSyncReplicas()));
            return new NewTopic(topic.name(), settings.partitions(), settings.replicationFactor()).configs(config);
        }).toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
