package com.reetik.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml against what the services read (service-env.properties), the images Jib builds (root
 * pom.xml) and the Actuator paths. Parsed as YAML, as compose reads it; nothing is started.
 */
class ComposeFileTest {

    private static final String READINESS = "/actuator/health/readiness";
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z0-9_]+):?-([^}]*)}");

    private static Map<String, Object> compose;
    private static ServiceEnvironment serviceEnv;
    private static JibImages jib;

    @BeforeAll
    static void readFiles() throws Exception {
        String text = Repository.read(Repository.file("docker-compose.yml"));
        try (Reader reader = new StringReader(text)) {
            compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        serviceEnv = ServiceEnvironment.load();
        jib = JibImages.fromRootPom();
    }

    @Test
    void shouldRunEveryServiceOfTheProject() {
        // Given the services that read settings (service-env.properties)
        // Then compose runs each of them
        assertThat(services().keySet())
                .as("compose services (service-env.properties lists the services to run)")
                .containsAll(serviceEnv.services());
    }

    @Test
    void shouldRunTheImagesJibBuilds() {
        for (String service : serviceEnv.services()) {
            // Given the image Jib builds for the module of the same name
            String expected = jib.imageOf(service);
            // When compose's default for ${VAR:-default} is taken
            String image = withDefaults(string(service(service).get("image"), service + ".image"));
            // Then it is that image, with a tag Jib pushes
            assertThat(repository(image)).as("%s.image (Jib's <to><image> in the root pom.xml)", service)
                    .isEqualTo(expected);
            assertThat(tag(image)).as("%s.image tag (Jib's <tags>)", service).isIn(jib.tags());
        }
        for (var entry : services().entrySet()) {
            String image = withDefaults(string(map(entry.getValue()).get("image"), entry.getKey() + ".image"));
            if (image.startsWith("reetik/")) {
                assertThat(repository(image)).as("%s.image: every reetik/ image is one Jib builds", entry.getKey())
                        .isIn(serviceEnv.services().stream().map(jib::imageOf).toList());
            }
        }
    }

    @Test
    void shouldSetOnlyVariablesTheServiceReads() {
        for (String service : serviceEnv.services()) {
            Map<String, Object> env = environment(service);
            assertThat(service(service)).as("%s: env_file would escape this check; use environment", service)
                    .doesNotContainKey("env_file");
            assertThat(env.keySet())
                    .as("%s.environment: names not in service-env.properties for %s (a typo, or a setting the "
                            + "service does not read)", service, service)
                    .isSubsetOf(serviceEnv.readBy(service));
        }
    }

    @Test
    void shouldTakeTheJwtKeyFromTheHostEnvironment() {
        // The key is never in git: compose refuses to start without it in the host's environment.
        Object value = environment("gateway").get("JWT_SECRET_KEY");
        assertThat(value).as("gateway JWT_SECRET_KEY").isInstanceOf(String.class);
        assertThat((String) value).as("gateway JWT_SECRET_KEY must be ${JWT_SECRET_KEY:?message}, never a value")
                .matches("\\$\\{JWT_SECRET_KEY:?\\?[^}]+}");
        for (String service : serviceEnv.services()) {
            Object apiKey = environment(service).get("GOOGLE_API_KEY");
            assertThat(apiKey == null || String.valueOf(apiKey).matches("\\$\\{GOOGLE_API_KEY[^}]*}"))
                    .as("%s GOOGLE_API_KEY is passed through from the host (no value), not written here: %s",
                            service, apiKey)
                    .isTrue();
        }
    }

    @Test
    void shouldProbeReadinessOnTheServicePort() {
        for (String service : serviceEnv.services()) {
            String port = String.valueOf(environment(service).get("SERVER_PORT"));
            Map<String, Object> healthcheck = map(service(service).get("healthcheck"));
            assertThat(healthcheck).as("%s.healthcheck", service).isNotNull();
            String test = String.join(" ", strings(healthcheck.get("test")));
            // eclipse-temurin:17-jre has bash, not a guaranteed curl/wget: the check uses bash's /dev/tcp
            assertThat(test).as("%s.healthcheck.test", service)
                    .contains(READINESS)
                    .contains("/dev/tcp/127.0.0.1/" + port)
                    .doesNotContain("curl ", "wget ");
            assertThat(strings(healthcheck.get("test")).get(0)).as("%s.healthcheck runs bash", service).isEqualTo("CMD");
            assertThat(strings(healthcheck.get("test")).get(1)).as("%s.healthcheck runs bash", service).isEqualTo("bash");
        }
    }

    @Test
    void shouldStartTheServicesOnlyOnceKafkaIsHealthy() {
        Map<String, Object> services = services();
        for (var entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> dependsOn = dependsOn(map(entry.getValue()));
            for (var dep : dependsOn.entrySet()) {
                // Then every dependency exists, and "healthy" is only asked of services with a healthcheck
                assertThat(services).as("%s depends on %s", name, dep.getKey()).containsKey(dep.getKey());
                String condition = String.valueOf(map(dep.getValue()).get("condition"));
                assertThat(condition).as("%s.depends_on.%s.condition", name, dep.getKey())
                        .isIn("service_healthy", "service_completed_successfully", "service_started");
                if (condition.equals("service_healthy")) {
                    assertThat(map(services.get(dep.getKey()))).as("%s has a healthcheck (%s waits for it)",
                            dep.getKey(), name).containsKey("healthcheck");
                }
                if (condition.equals("service_completed_successfully")) {
                    assertThat(map(services.get(dep.getKey())).get("restart")).as("%s runs once (restart \"no\")",
                            dep.getKey()).isIn("no", null);
                }
            }
        }
        List<String> brokers = kafkaServices();
        assertThat(brokers).as("compose services running apache/kafka").isNotEmpty();
        for (String service : serviceEnv.services()) {
            Map<String, Object> dependsOn = dependsOn(service(service));
            for (String broker : brokers) {
                assertThat(dependsOn).as("%s.depends_on", service).containsKey(broker);
                assertThat(map(dependsOn.get(broker)).get("condition")).as("%s.depends_on.%s.condition", service, broker)
                        .isEqualTo("service_healthy");
            }
        }
        assertThat(cycle(services)).as("a cycle in depends_on").isEmpty();
    }

    @Test
    void shouldPointTheServicesAtTheComposeKafka() {
        List<String> brokers = kafkaServices();
        Set<String> advertised = new HashSet<>();
        for (String broker : brokers) {
            Map<String, Object> env = environment(broker);
            for (String listener : String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).split(",")) {
                advertised.add(listener.replaceFirst("^[A-Za-z_]+://", ""));
            }
        }
        int brokerCount = (int) brokers.stream()
                .filter(b -> String.valueOf(environment(b).get("KAFKA_PROCESS_ROLES")).contains("broker"))
                .count();
        for (String service : serviceEnv.services()) {
            Map<String, Object> env = environment(service);
            String bootstrap = String.valueOf(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"));
            for (String server : bootstrap.split(",")) {
                assertThat(advertised).as("%s SPRING_KAFKA_BOOTSTRAP_SERVERS %s is an advertised listener", service,
                        server).contains(server.trim());
            }
            int rf = Integer.parseInt(String.valueOf(env.get("REETIK_REPLICATION_FACTOR")));
            assertThat(rf).as("%s REETIK_REPLICATION_FACTOR with %d broker(s)", service, brokerCount)
                    .isBetween(1, brokerCount);
        }
    }

    @Test
    void shouldPublishTheGatewayOn8080() {
        Map<String, Object> gateway = service("gateway");
        assertThat(String.valueOf(environment("gateway").get("SERVER_PORT"))).as("gateway SERVER_PORT").isEqualTo("8080");
        assertThat(strings(gateway.get("ports"))).as("gateway.ports").anySatisfy(p ->
                assertThat(p).matches("(\\d+\\.\\d+\\.\\d+\\.\\d+:)?8080:8080(/tcp)?"));
    }

    @Test
    void shouldShareOneStorageVolumeBetweenGatewayAndBridge() {
        // Local storage mode: the gateway serves the files the bridge writes
        String gatewayDir = String.valueOf(environment("gateway").get("REETIK_STORAGE_DIR"));
        String bridgeDir = String.valueOf(environment("agent-bridge").get("REETIK_STORAGE_DIR"));
        String gatewayVolume = namedVolumeAt("gateway", gatewayDir);
        String bridgeVolume = namedVolumeAt("agent-bridge", bridgeDir);
        assertThat(gatewayVolume).as("gateway mounts a named volume at REETIK_STORAGE_DIR %s", gatewayDir).isNotNull();
        assertThat(bridgeVolume).as("agent-bridge mounts a named volume at REETIK_STORAGE_DIR %s", bridgeDir)
                .isNotNull();
        assertThat(bridgeVolume).as("the bridge's storage volume is the gateway's").isEqualTo(gatewayVolume);
        assertThat(map(compose.get("volumes"))).as("top-level volumes").containsKey(gatewayVolume);
    }

    @Test
    void shouldKeepEachServiceStateInAVolumeOfItsOwn() {
        Map<String, String> owner = new LinkedHashMap<>();
        for (String service : serviceEnv.services()) {
            String dataDir = String.valueOf(environment(service).get("REETIK_DATA_DIR"));
            String volume = namedVolumeAt(service, dataDir);
            assertThat(volume).as("%s mounts a named volume at REETIK_DATA_DIR %s", service, dataDir).isNotNull();
            assertThat(owner).as("REETIK_DATA_DIR volume %s of %s is another service's", volume, service)
                    .doesNotContainKey(volume);
            owner.put(volume, service);
            assertThat(map(compose.get("volumes"))).as("top-level volumes").containsKey(volume);
        }
    }

    // --- reading the file ----------------------------------------------------------------------------------

    private static Map<String, Object> services() {
        return map(compose.get("services"));
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = map(services().get(name));
        assertThat(service).as("compose service %s", name).isNotNull();
        return service;
    }

    /** environment: in map or list form. */
    private static Map<String, Object> environment(String service) {
        Object env = service(service).get("environment");
        Map<String, Object> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** depends_on: in map or list (short) form; the short form means service_started. */
    private static Map<String, Object> dependsOn(Map<String, Object> service) {
        Object deps = service.get("depends_on");
        Map<String, Object> out = new LinkedHashMap<>();
        if (deps instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (deps instanceof List<?> l) {
            l.forEach(d -> out.put(String.valueOf(d), Map.of("condition", "service_started")));
        }
        return out;
    }

    private static List<String> kafkaServices() {
        List<String> out = new ArrayList<>();
        services().forEach((name, s) -> {
            if (String.valueOf(map(s).get("image")).startsWith("apache/kafka")) {
                out.add(name);
            }
        });
        return out;
    }

    /** The named volume (declared at top level) a service mounts at a path, or null. */
    private static String namedVolumeAt(String service, String path) {
        for (Object mount : listOrEmpty(service(service).get("volumes"))) {
            String source;
            String target;
            if (mount instanceof Map<?, ?> m) {
                source = String.valueOf(m.get("source"));
                target = String.valueOf(m.get("target"));
            } else {
                String[] parts = String.valueOf(mount).split(":");
                if (parts.length < 2) {
                    continue;
                }
                source = parts[0];
                target = parts[1];
            }
            if (target.equals(path) && !source.startsWith(".") && !source.startsWith("/")) {
                return source;
            }
        }
        return null;
    }

    private static List<String> cycle(Map<String, Object> services) {
        for (String start : services.keySet()) {
            List<String> path = new ArrayList<>();
            if (reaches(start, start, services, path, new HashSet<>())) {
                path.add(0, start);
                return path;
            }
        }
        return List.of();
    }

    private static boolean reaches(String from, String target, Map<String, Object> services, List<String> path,
                                   Set<String> seen) {
        for (String dep : dependsOn(map(services.get(from))).keySet()) {
            if (dep.equals(target)) {
                path.add(dep);
                return true;
            }
            if (services.containsKey(dep) && seen.add(dep) && reaches(dep, target, services, path, seen)) {
                path.add(0, dep);
                return true;
            }
        }
        return false;
    }

    private static String withDefaults(String value) {
        Matcher m = DEFAULTED.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    private static String string(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(String.class);
        return (String) o;
    }

    private static List<String> strings(Object o) {
        return listOrEmpty(o).stream().map(String::valueOf).toList();
    }

    private static List<?> listOrEmpty(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
