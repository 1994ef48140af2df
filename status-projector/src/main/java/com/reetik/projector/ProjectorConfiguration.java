package com.reetik.projector;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.reetik.gcp.firestore.FirestoreMirror;
import com.reetik.gcp.firestore.FirestoreSink;
import com.reetik.platform.ReetikProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The projector's Kafka Streams instance, its health, and the Firestore mirror when enabled. */
@Configuration(proxyBeanMethods = false)
class ProjectorConfiguration {

    /** Started and stopped with the application context (a {@link SmartLifecycle}). */
    @Bean
    StatusProjectorService statusProjectorService(ProjectorProperties projector, ReetikProperties reetik,
                                                  KafkaProperties kafka, MeterRegistry registry) {
        return new StatusProjectorService(new ProjectorSettings(String.join(",", kafka.getBootstrapServers()),
                projector.applicationId(), reetik.dataDir().resolve("state").resolve("projector"),
                projector.streamThreads(), reetik.instanceId(), projector.streamsProperties()),
                projector.stallTimeout(), registry);
    }

    /** In the readiness group: the projector is ready once its stream threads run. */
    @Bean("projectorHealthIndicator")
    HealthIndicator projectorHealthIndicator(StatusProjectorService service) {
        return () -> service.running() ? Health.up().build()
                : Health.down().withDetail("reason", "Kafka Streams is not running").build();
    }

    /**
     * With {@code REETIK_FIRESTORE_MIRROR=true} and {@code GCP_PROJECT}: committed views mirrored to Firestore;
     * the client honours {@code FIRESTORE_EMULATOR_HOST}.
     */
    @Bean
    @ConditionalOnProperty(name = "reetik.projector.firestore-mirror", havingValue = "true")
    SmartLifecycle firestoreMirror(ProjectorProperties projector, KafkaProperties kafka) {
        return new SmartLifecycle() {
            private Firestore firestore;
            private FirestoreMirror mirror;
            private Thread thread;

            @Override
            public synchronized void start() {
                firestore = FirestoreOptions.newBuilder().setProjectId(projector.gcpProject()).build().getService();
                mirror = new FirestoreMirror(FirestoreMirror.createConsumer(String.join(",", kafka.getBootstrapServers()),
                        FirestoreMirror.DEFAULT_GROUP_ID), new FirestoreSink(firestore), Duration.ofMillis(500));
                thread = new Thread(mirror, "firestore-mirror");
                thread.start();
            }

            @Override
            public synchronized void stop() {
                if (mirror == null) {
                    return;
                }
                mirror.close();
                try {
                    thread.join(10_000);
                    firestore.close();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
                mirror = null;
            }

            @Override
            public synchronized boolean isRunning() {
                return mirror != null;
            }
        };
    }
}
