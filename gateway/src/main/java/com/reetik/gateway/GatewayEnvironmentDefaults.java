package com.reetik.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Maps the seed's environment names onto {@code reetik.gateway.*}, with the standalone defaults, at the
 * lowest precedence, as default properties. Lowest, so that anything else wins: command-line arguments,
 * {@code application.yml}, and the default properties a launcher passes with
 * {@code SpringApplicationBuilder.properties(...)} (which {@code application.yml} entries would shadow:
 * that is why these placeholders are not in {@code application.yml}).
 */
public final class GatewayEnvironmentDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "reetikGatewayEnvironmentDefaults";

    static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("reetik.gateway.kafka-bootstrap-servers", "${KAFKA_BOOTSTRAP_SERVERS:127.0.0.1:9092}");
        map.put("reetik.gateway.jwt-secret-key", "${JWT_SECRET_KEY:}");
        map.put("reetik.gateway.cors-origins", "${CORS_ORIGINS:[]}");
        map.put("reetik.gateway.data-dir", "${REETIK_DATA_DIR:./reetik-data}");
        map.put("reetik.gateway.instance-id", "${REETIK_INSTANCE_ID:gateway-1}");
        map.put("reetik.gateway.token-lifetime", "${REETIK_TOKEN_LIFETIME:24h}");
        map.put("reetik.gateway.sse-heartbeat", "${REETIK_SSE_HEARTBEAT:15s}");
        return Map.copyOf(map);
    }

    /**
     * Merges {@link #DEFAULTS} into Boot's {@code defaultProperties} source (always the last one), keeping
     * every default property a launcher already set.
     */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        Map<String, Object> merged = new LinkedHashMap<>(DEFAULTS);
        PropertySource<?> existing = sources.get(DefaultPropertiesPropertySource.NAME);
        if (existing != null && existing.getSource() instanceof Map<?, ?> launcherDefaults) {
            launcherDefaults.forEach((key, value) -> merged.put(String.valueOf(key), value));
            sources.replace(DefaultPropertiesPropertySource.NAME, new DefaultPropertiesPropertySource(merged));
        } else if (existing == null) {
            sources.addLast(new DefaultPropertiesPropertySource(merged));
        } else {
            sources.addAfter(DefaultPropertiesPropertySource.NAME, new MapPropertySource(SOURCE_NAME, DEFAULTS));
        }
    }
}
