package com.reetik.platform;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * The Spring {@link Environment} seen as a read-only map of names to values, for the adapters' settings
 * that are read by the seed's variable names ({@code BUCKET_NAME_V2}, {@code AGENT_VIDEO_V2}, …): a value
 * comes from the process environment, a command-line argument or a launcher's property source alike.
 * Only lookups by name are supported.
 */
public final class EnvironmentView extends AbstractMap<String, String> {

    private final Environment environment;

    private EnvironmentView(Environment environment) {
        this.environment = environment;
    }

    public static Map<String, String> of(Environment environment) {
        return new EnvironmentView(environment);
    }

    @Override
    public String get(Object key) {
        return key instanceof String name ? environment.getProperty(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && environment.containsProperty(name);
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        throw new UnsupportedOperationException("the environment is looked up by name only");
    }
}
