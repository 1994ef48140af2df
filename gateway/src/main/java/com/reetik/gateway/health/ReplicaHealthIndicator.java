package com.reetik.gateway.health;

import com.reetik.gateway.replica.StatusReplica;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** UP once the status replica has caught up with its topics: before that, reads answer 503. */
@Component("replicaHealthIndicator")
class ReplicaHealthIndicator implements HealthIndicator {

    private final StatusReplica replica;

    ReplicaHealthIndicator(StatusReplica replica) {
        this.replica = replica;
    }

    @Override
    public Health health() {
        return replica.ready()
                ? Health.up().build()
                : Health.down().withDetail("reason", "the status replica is still loading").build();
    }
}
