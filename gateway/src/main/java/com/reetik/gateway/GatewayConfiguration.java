package com.reetik.gateway;

import com.reetik.contracts.json.Json;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectStore;
import org.springframework.http.client.ReactorResourceFactory;
import com.reetik.gcp.storage.GcsObjectStore;
import com.reetik.gcp.storage.GcsSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import com.reetik.gateway.command.CommandPublisher;
import com.reetik.gateway.replica.ReplicaSettings;
import com.reetik.gateway.replica.StatusReplica;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's outside world: Kafka (replica in, commands out), object storage, clock, JSON, CORS. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    /** The contracts' mapping, so HTTP JSON is snake_case exactly like the Kafka records. */
    @Bean
    JsonMapper jsonMapper() {
        return Json.mapper();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Started with the context (it loads in the background; health says when it is ready), closed with it. */
    @Bean(initMethod = "start", destroyMethod = "close")
    StatusReplica statusReplica(GatewaySettings settings) throws IOException {
        Files.createDirectories(settings.replicaDir());
        return new StatusReplica(new ReplicaSettings(settings.kafkaBootstrapServers(),
                "reetik-gateway-replica-" + settings.instanceId(), settings.replicaDir()));
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

    @Bean(destroyMethod = "close")
    CommandPublisher commandPublisher(GatewaySettings settings) {
        return new CommandPublisher(settings.kafkaBootstrapServers());
    }

    /**
     * The bucket {@code BUCKET_NAME_V2} when it is set (downloads then redirect to signed URLs), else local
     * files under the data directory. A launcher that already holds the store (standalone) registers it
     * and this one is not made.
     */
    @Bean
    @ConditionalOnMissingBean(ObjectStore.class)
    ObjectStore objectStore(GatewaySettings settings) throws IOException {
        java.util.Optional<GcsSettings> bucket = GcsSettings.fromEnvironment(System.getenv());
        if (bucket.isPresent()) {
            return GcsObjectStore.create(bucket.get());
        }
        Files.createDirectories(settings.videosDir());
        return new LocalObjectStore(settings.videosDir());
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
