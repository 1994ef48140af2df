package com.reetik.deploycheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The environment variables each service reads (service-env.properties): the one table both tests use. */
final class ServiceEnvironment {

    private final Map<String, Set<String>> namesByService;

    private ServiceEnvironment(Map<String, Set<String>> namesByService) {
        this.namesByService = namesByService;
    }

    static ServiceEnvironment load() {
        Properties props = new Properties();
        try (InputStream in = ServiceEnvironment.class.getResourceAsStream("/service-env.properties")) {
            if (in == null) {
                throw new IllegalStateException("service-env.properties is not on the test classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> names = new TreeMap<>();
        for (String service : props.stringPropertyNames()) {
            names.put(service, Arrays.stream(props.getProperty(service).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet()));
        }
        return new ServiceEnvironment(names);
    }

    /** gateway, agent-bridge, status-projector. */
    Set<String> services() {
        return namesByService.keySet();
    }

    Set<String> readBy(String service) {
        Set<String> names = namesByService.get(service);
        if (names == null) {
            throw new IllegalArgumentException("'" + service + "' is not a service of service-env.properties "
                    + services());
        }
        return names;
    }
}
