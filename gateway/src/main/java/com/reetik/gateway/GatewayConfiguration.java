package com.reetik.gateway;

import com.reetik.contracts.json.Json;
import org.springframework.http.client.ReactorResourceFactory;
import com.reetik.gateway.command.CommandPublisher;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import com.reetik.gateway.replica.ReplicaSettings;
import com.reetik.gateway.replica.StatusReplica;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import com.reetik.platform.ReetikProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.WebFilter;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's outside world: Kafka (replica in, commands out), JSON, CORS (storage and clock: the platform). */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    /** The contracts' mapping, so HTTP JSON is snake_case exactly like the Kafka records. */
    @Bean
    JsonMapper jsonMapper() {
        return Json.mapper();
    }

    /** Started with the context (it loads in the background; health says when it is ready), closed with it. */
    @Bean(destroyMethod = "close")
    StatusReplica statusReplica(ReetikProperties reetik, KafkaProperties kafka, MeterRegistry registry)
            throws IOException {
        Path replicaDir = GatewaySettings.replicaDir(reetik);
        Files.createDirectories(replicaDir);
        return new StatusReplica(new ReplicaSettings(String.join(",", kafka.getBootstrapServers()),
                "reetik-gateway-replica-" + reetik.instanceId(), replicaDir), registry);
    }

    /**
     * Event loops owned by this application context, not Reactor Netty's JVM-wide ones: a gateway stopped
     * while another starts in the same JVM (the standalone tests start several in turn) must not hand the
     * new server loops that it is still disposing.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    /**
     * Every controller method runs on Reactor's bounded elastic threads, never on a Netty event loop: the handlers
     * read the replica's RocksDB stores, whose reads wait on the same lock as the flush the replica's global thread
     * runs at each commit (a disk sync), and may call the object store. An event loop that waits serves none of
     * its other connections: that was the intermittent stall of the tests (requests on a kept-alive connection
     * unanswered for 10–60 s while the machine's disks were busy; docs/performance.md).
     */
    @Bean
    WebFluxConfigurer blockingControllersOffTheEventLoop() {
        return new WebFluxConfigurer() {
            @Override
            public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
                configurer.setExecutor(new TaskExecutorAdapter(task -> Schedulers.boundedElastic().schedule(task)));
                configurer.setControllerMethodPredicate(method -> true);
            }
        };
    }

    @Bean
    CommandPublisher commandPublisher(KafkaTemplate<String, byte[]> template) {
        return new CommandPublisher(template);
    }

    /** CORS for the origins of {@code CORS_ORIGINS}; none configured: a filter that does nothing. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter corsFilter(GatewaySettings settings) {
        List<String> origins = settings.corsOriginList();
        if (origins.isEmpty()) {
            return (exchange, chain) -> chain.filter(exchange);
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"));
        cors.setExposedHeaders(List.of("Content-Range", "Accept-Ranges", "Retry-After"));
        cors.setAllowCredentials(true);
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return new CorsWebFilter(source);
    }
}
