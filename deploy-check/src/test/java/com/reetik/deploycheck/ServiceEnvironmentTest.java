package com.reetik.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * service-env.properties is the table the compose and Kubernetes checks hold the manifests against; this
 * test holds the table against the services' own configuration files, so that a variable a service starts
 * reading (a new {@code ${NAME}} placeholder) cannot be missing from it.
 */
class ServiceEnvironmentTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "agent-bridge", "status-projector"})
    void shouldListEveryVariableTheServiceConfigurationReads(String service) throws IOException {
        Set<String> read = new TreeSet<>();
        read.addAll(placeholders(Repository.root().resolve("platform/src/main/resources/reetik.yml")));
        read.addAll(placeholders(Repository.root().resolve(service + "/src/main/resources/" + service + ".yml")));

        assertThat(read).as("variables read by %s's configuration files", service).isNotEmpty();
        assertThat(ServiceEnvironment.load().readBy(service))
                .as("service-env.properties for %s must list every ${NAME} its configuration reads", service)
                .containsAll(read);
    }

    private static Set<String> placeholders(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
