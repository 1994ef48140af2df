package com.reetik.bridge.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Whether the bridge's workers can run: DOWN while the Kafka cluster does not answer (nothing a worker does can
 * commit) or while a listener container is not in the state it should be (its consumer died: see
 * {@link ListenerRestarter}), naming the cause. In the readiness group and the overall health, not in liveness:
 * restarting the process during a broker outage would not help.
 */
public final class BridgeWorkersHealth implements HealthIndicator, DisposableBean {

    private final KafkaListenerEndpointRegistry registry;
    private final Admin admin;
    private final Duration timeout;

    public BridgeWorkersHealth(KafkaListenerEndpointRegistry registry, Map<String, Object> adminConfig,
                               Duration timeout) {
        this.registry = registry;
        this.admin = Admin.create(adminConfig);
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        List<String> dead = registry.getListenerContainers().stream().filter(c -> !c.isInExpectedState())
                .map(MessageListenerContainer::getListenerId).sorted().toList();
        if (!dead.isEmpty()) {
            return Health.down().withDetail("reason", "listeners stopped: " + String.join(", ", dead)).build();
        }
        try {
            String cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("cluster", String.valueOf(cluster)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("reason", "interrupted").build();
        } catch (Exception e) {
            return Health.down().withDetail("reason", "Kafka does not answer in " + timeout.toMillis() + " ms: "
                    + (e.getCause() == null ? e : e.getCause())).build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
