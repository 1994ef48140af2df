package com.reetik.bridge;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The bridge's configuration as the packaged application reads it: {@code reetik.yml} and {@code agent-bridge.yml}
 * loaded by Spring Boot's config data ({@code spring.config.name=reetik,agent-bridge}, as
 * {@link AgentBridgeApplication#builder()} sets it), their {@code ${NAME}} placeholders resolved against
 * {@code env} standing for the process environment (the real one is left out, so the test sees only what it sets).
 */
public final class BridgeEnvironment {

    private BridgeEnvironment() {
    }

    /** A new environment of the bridge with {@code env} as the process environment. */
    public static ConfigurableEnvironment of(Map<String, String> env) {
        StandardEnvironment environment = new StandardEnvironment();
        apply(environment, env);
        return environment;
    }

    /** Makes {@code environment} the bridge's: {@code env} as the process environment, then the config files. */
    public static void apply(ConfigurableEnvironment environment, Map<String, String> env) {
        MutablePropertySources sources = environment.getPropertySources();
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(env)));
        sources.addLast(new MapPropertySource("defaultProperties",
                Map.<String, Object>of("spring.config.name", "reetik,agent-bridge")));
        ConfigDataEnvironmentPostProcessor.applyTo(environment);
    }

    /**
     * The {@code @ConfigurationProperties} record {@code type} bound from the bridge's configuration with {@code env}
     * as the process environment, as the application binds it.
     *
     * @throws org.springframework.boot.context.properties.bind.BindException when the record refuses the values
     */
    public static <T> T bind(Map<String, String> env, Class<T> type) {
        String prefix = type.getAnnotation(ConfigurationProperties.class).value();
        return Binder.get(of(env)).bind(prefix, Bindable.of(type))
                .orElseThrow(() -> new IllegalStateException("nothing under " + prefix + " in the bridge's yml"));
    }
}
