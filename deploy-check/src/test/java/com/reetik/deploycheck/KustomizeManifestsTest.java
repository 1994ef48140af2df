package com.reetik.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.reetik.contracts.topic.Topic;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders k8s/overlays/local and k8s/overlays/gke with {@code kubectl kustomize}, binds every document to its
 * fabric8 or Strimzi model and checks what ties them together: selectors, ports, probes, environment, topics,
 * the Kafka bootstrap address, Secrets. Needs kubectl on the PATH (skipped with a message otherwise).
 */
class KustomizeManifestsTest {

    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String READINESS = "/actuator/health/readiness";
    /** The local overlay's JWT placeholder must say what it is; a Secret without this marker looks real. */
    private static final String FAKE_MARKER = "NOT-A-SECRET";
    /** Variables that hold credentials: only ever from a Secret, never a literal or a ConfigMap. */
    private static final Set<String> CREDENTIALS = Set.of("JWT_SECRET_KEY", "GOOGLE_API_KEY");
    private static final int CLUSTER_REPLICATION_FACTOR = 3;
    private static final String CLUSTER_MIN_ISR = "2";
    private static final int DEFAULT_PARTITIONS = 6;
    private static final Pattern GSA = Pattern.compile("[a-z][-a-z0-9]{4,28}[a-z0-9]@([a-z][-a-z0-9]{4,28}[a-z0-9])"
            + "\\.iam\\.gserviceaccount\\.com");

    private static ServiceEnvironment serviceEnv;
    private static JibImages jib;

    private static boolean kubectl;

    @BeforeAll
    static void readSettings() {
        kubectl = RenderedOverlay.Kubectl.available();
        serviceEnv = ServiceEnvironment.load();
        jib = JibImages.fromRootPom();
    }

    /** Per test rather than per class, so that each skipped test carries the reason in the reports. */
    @BeforeEach
    void needKubectl() {
        Assumptions.assumeTrue(kubectl, () -> "kubectl not found ('" + RenderedOverlay.Kubectl.command()
                + "'): the k8s/ overlays are NOT checked. Install kubectl >= 1.27 (it bundles kustomize) or pass "
                + "-Dreetik.kubectl=/path/to/kubectl");
    }

    // --- what is rendered ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRenderEveryServiceWithItsKafka(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        assertThat(names(k8s.all(Deployment.class))).as("%s Deployments", overlay)
                .containsExactlyInAnyOrderElementsOf(serviceEnv.services());
        assertThat(k8s.all(Kafka.class)).as("%s Kafka resources", overlay).hasSize(1);
        assertThat(k8s.all(HorizontalPodAutoscaler.class)).as("%s HPAs", overlay).isNotEmpty();
        assertThat(k8s.all(Ingress.class)).as("%s Ingresses", overlay).hasSize(1);
        for (HasMetadata r : k8s.resources()) {
            if (r.getKind().equals("Namespace")) {
                continue;
            }
            assertThat(r.getMetadata().getNamespace()).as("%s %s %s namespace", overlay, r.getKind(),
                    r.getMetadata().getName()).isEqualTo("reetik");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldUseOnlyFieldsTheApiKnows(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (HasMetadata r : k8s.resources()) {
            List<String> fields = UnknownFields.in(r);
            if (!fields.isEmpty()) {
                unknown.put(r.getKind() + " " + r.getMetadata().getName(), fields);
            }
        }
        assertThat(unknown).as("%s: fields their model does not know (a typo, or a field of another API version)",
                overlay).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldPassTheStrimziCrdSchemas(String overlay) {
        // The CRDs of the Strimzi release the pom names (strimzi.version), as the API server would check them
        String version = strimziVersion();
        CrdSchemas crds = CrdSchemas.strimzi(version, "040-Crd-kafka.yaml", "043-Crd-kafkatopic.yaml",
                "045-Crd-kafkanodepool.yaml");
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        int checked = 0;
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (Map<String, Object> doc : k8s.documents()) {
            if (String.valueOf(doc.get("apiVersion")).startsWith("kafka.strimzi.io/")) {
                List<String> found = crds.errors(doc);
                if (!found.isEmpty()) {
                    errors.put(doc.get("kind") + " " + ((Map<?, ?>) doc.get("metadata")).get("name"), found);
                }
                checked++;
            }
        }
        assertThat(errors).as("%s: Strimzi resources refused by the CRDs of Strimzi %s", overlay, version).isEmpty();
        assertThat(checked).as("%s Strimzi resources checked", overlay).isGreaterThan(2);
    }

    // --- selectors and ports -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldSelectTheDeploymentPodsFromEachService(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Service service : k8s.all(Service.class)) {
            String name = service.getMetadata().getName();
            Map<String, String> selector = service.getSpec().getSelector();
            assertThat(selector).as("%s Service %s selector", overlay, name).isNotEmpty();
            List<Deployment> selected = k8s.all(Deployment.class).stream()
                    .filter(d -> podLabels(d).entrySet().containsAll(selector.entrySet())).toList();
            assertThat(names(selected)).as("%s Service %s (selector %s) selects the pods of exactly one Deployment",
                    overlay, name, selector).hasSize(1);
            Container container = onlyContainer(selected.get(0));
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(containerPort(container, port.getTargetPort()))
                        .as("%s Service %s port %s targets %s, a port of container %s (%s)", overlay, name,
                                port.getName(), text(port.getTargetPort()), container.getName(),
                                container.getPorts().stream().map(p -> p.getName() + "=" + p.getContainerPort()).toList())
                        .isPresent();
            }
        }
        for (String service : serviceEnv.services()) {
            assertThat(k8s.find(Service.class, service)).as("%s Service for %s", overlay, service).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldCoverEachDeploymentWithADisruptionBudgetThatAllowsDrains(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            List<PodDisruptionBudget> budgets = k8s.all(PodDisruptionBudget.class).stream()
                    .filter(pdb -> selects(pdb.getSpec().getSelector(), podLabels(deployment))).toList();
            assertThat(budgets).as("%s PodDisruptionBudgets selecting the pods of %s", overlay, name).hasSize(1);
            PodDisruptionBudget pdb = budgets.get(0);
            int replicas = minimumReplicas(k8s, deployment);
            if (pdb.getSpec().getMinAvailable() != null) {
                assertThat(pdb.getSpec().getMinAvailable().getIntVal())
                        .as("%s PDB %s minAvailable must stay below the %d replicas of %s, or no node can be drained",
                                overlay, pdb.getMetadata().getName(), replicas, name)
                        .isLessThan(replicas);
            } else {
                assertThat(pdb.getSpec().getMaxUnavailable().getIntVal())
                        .as("%s PDB %s maxUnavailable", overlay, pdb.getMetadata().getName()).isPositive();
            }
        }
        for (PodDisruptionBudget pdb : k8s.all(PodDisruptionBudget.class)) {
            assertThat(k8s.all(Deployment.class).stream().filter(d -> selects(pdb.getSpec().getSelector(), podLabels(d))))
                    .as("%s PDB %s selects some Deployment's pods", overlay, pdb.getMetadata().getName()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldScaleTheBridgeWithinTheBlockTaskPartitions(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        HorizontalPodAutoscaler hpa = k8s.get(HorizontalPodAutoscaler.class, "agent-bridge");
        var target = hpa.getSpec().getScaleTargetRef();
        assertThat(target.getApiVersion() + "/" + target.getKind()).as("%s HPA target kind", overlay)
                .isEqualTo("apps/v1/Deployment");
        Deployment bridge = k8s.get(Deployment.class, target.getName());
        assertThat(target.getName()).as("%s HPA targets the bridge", overlay).isEqualTo("agent-bridge");
        assertThat(bridge.getSpec().getReplicas())
                .as("%s agent-bridge sets no replicas: the HPA owns the count (an apply would reset it)", overlay)
                .isNull();
        int partitions = k8s.get(KafkaTopic.class, Topics.BLOCK_TASKS.name()).getSpec().getPartitions();
        assertThat(hpa.getSpec().getMinReplicas()).as("%s HPA minReplicas", overlay).isBetween(1,
                hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMaxReplicas())
                .as("%s HPA maxReplicas: a bridge beyond the %d partitions of %s would get none", overlay, partitions,
                        Topics.BLOCK_TASKS.name())
                .isLessThanOrEqualTo(partitions);
        assertThat(hpa.getSpec().getMetrics()).as("%s HPA metrics", overlay).isNotEmpty();
        assertThat(onlyContainer(bridge).getResources().getRequests())
                .as("%s bridge CPU request (the HPA's utilisation is relative to it)", overlay).containsKey("cpu");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRouteTheIngressToTheGatewayServiceWithSseTimeouts(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        Service gatewayService = serviceSelecting(k8s, k8s.get(Deployment.class, "gateway"));
        for (Ingress ingress : k8s.all(Ingress.class)) {
            String name = ingress.getMetadata().getName();
            List<IngressServiceBackend> backends = new ArrayList<>();
            for (IngressRule rule : ingress.getSpec().getRules()) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    backends.add(path.getBackend().getService());
                }
            }
            if (ingress.getSpec().getDefaultBackend() != null) {
                backends.add(ingress.getSpec().getDefaultBackend().getService());
            }
            assertThat(backends).as("%s Ingress %s backends", overlay, name).isNotEmpty();
            for (IngressServiceBackend backend : backends) {
                assertThat(backend.getName()).as("%s Ingress %s backend service", overlay, name)
                        .isEqualTo(gatewayService.getMetadata().getName());
                var port = backend.getPort();
                assertThat(gatewayService.getSpec().getPorts())
                        .as("%s Ingress %s backend port %s is a port of Service %s", overlay, name,
                                port.getName() != null ? port.getName() : port.getNumber(),
                                gatewayService.getMetadata().getName())
                        .anyMatch(p -> port.getName() != null ? port.getName().equals(p.getName())
                                : Objects.equals(port.getNumber(), p.getPort()));
            }
            Map<String, String> annotations = ingress.getMetadata().getAnnotations();
            assertThat(annotations).as("%s Ingress %s annotations (SSE streams stay open, unbuffered)", overlay, name)
                    .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                    .containsKey("nginx.ingress.kubernetes.io/proxy-read-timeout");
            assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                    .as("%s Ingress %s proxy-read-timeout (s): an SSE stream is idle between events", overlay, name)
                    .isGreaterThanOrEqualTo(3600);
            assertThat(ingress.getSpec().getIngressClassName()).as("%s Ingress %s class", overlay, name)
                    .isEqualTo("nginx");
        }
    }

    // --- containers ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldProbeTheActuatorGroupsOnTheServerPort(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            String where = overlay + " " + c.getName();
            int serverPort = Integer.parseInt(ContainerEnvironment.of(c, k8s).value("SERVER_PORT", where));
            assertThat(c.getPorts()).as("%s ports", where).extracting(ContainerPort::getContainerPort)
                    .contains(serverPort);
            assertProbe(where + " livenessProbe", c.getLivenessProbe(), LIVENESS, c, serverPort);
            assertProbe(where + " readinessProbe", c.getReadinessProbe(), READINESS, c, serverPort);
            if (c.getStartupProbe() != null) {
                assertProbe(where + " startupProbe", c.getStartupProbe(), LIVENESS, c, serverPort);
            }
            String scrapePort = podAnnotations(deployment).get("prometheus.io/port");
            if (scrapePort != null) {
                assertThat(Integer.parseInt(scrapePort)).as("%s prometheus.io/port", where).isEqualTo(serverPort);
                assertThat(podAnnotations(deployment).get("prometheus.io/path")).as("%s prometheus.io/path", where)
                        .isEqualTo("/actuator/prometheus");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldGiveEachServiceOnlyVariablesItReads(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String service = deployment.getMetadata().getName();
            for (Container c : containers(deployment)) {
                ContainerEnvironment env = ContainerEnvironment.of(c, k8s);
                Map<String, String> unread = env.variables().values().stream()
                        .filter(v -> !serviceEnv.readBy(service).contains(v.name()))
                        .collect(Collectors.toMap(ContainerEnvironment.Variable::name,
                                ContainerEnvironment.Variable::origin));
                assertThat(unread).as("%s %s/%s: variables (with their source) that %s does not read according to "
                        + "service-env.properties", overlay, service, c.getName(), service).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldNameEachInstanceAfterItsPod(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            assertThat(ContainerEnvironment.of(c, k8s).variable("REETIK_INSTANCE_ID").map(v -> v.fieldPath()))
                    .as("%s %s REETIK_INSTANCE_ID from fieldRef metadata.name", overlay, c.getName())
                    .contains("metadata.name");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldKeepEachServiceStateInAVolumeAtItsDataDir(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            String dataDir = ContainerEnvironment.of(c, k8s).value("REETIK_DATA_DIR", overlay + " " + c.getName());
            assertThat(mountAt(deployment, c, dataDir)).as("%s %s mounts a volume at REETIK_DATA_DIR %s", overlay,
                    c.getName(), dataDir).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldShutDownGracefullyWithinTheGracePeriod(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            long expected = name.equals("agent-bridge") ? 60 : 30;
            assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as("%s %s terminationGracePeriodSeconds (a block render may take a while on the bridge)",
                            overlay, name)
                    .isGreaterThanOrEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRequestAndLimitResources(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            for (Container c : containers(deployment)) {
                String where = overlay + " " + c.getName();
                Map<String, Quantity> requests = c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertThat(requests).as("%s resources.requests", where).containsKeys("cpu", "memory");
                assertThat(limits).as("%s resources.limits", where).containsKeys("cpu", "memory");
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(limits.get(resource).getNumericalAmount())
                            .as("%s %s limit >= request", where, resource)
                            .isGreaterThanOrEqualTo(requests.get(resource).getNumericalAmount());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRunTheImagesJibBuilds(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            String image = onlyContainer(deployment).getImage();
            int colon = image.lastIndexOf(':');
            assertThat(colon).as("%s %s image %s has an explicit tag", overlay, name, image)
                    .isGreaterThan(image.lastIndexOf('/'));
            String repository = image.substring(0, colon);
            // Jib's name, possibly under a registry prefix (europe-west1-docker.pkg.dev/project/…)
            assertThat(repository.equals(jib.imageOf(name)) || repository.endsWith("/" + jib.imageOf(name)))
                    .as("%s %s image %s is Jib's %s", overlay, name, image, jib.imageOf(name)).isTrue();
            assertThat(image.substring(colon + 1)).as("%s %s image tag (Jib pushes %s)", overlay, name, jib.tags())
                    .isIn(jib.tags());
        }
    }

    // --- Kafka ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldDeclareOneKafkaTopicPerContractTopic(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        String cluster = k8s.all(Kafka.class).get(0).getMetadata().getName();
        Map<String, KafkaTopic> byTopic = new LinkedHashMap<>();
        for (KafkaTopic kt : k8s.all(KafkaTopic.class)) {
            String topicName = kt.getSpec().getTopicName() != null ? kt.getSpec().getTopicName()
                    : kt.getMetadata().getName();
            byTopic.put(topicName, kt);
        }
        assertThat(byTopic.keySet()).as("%s KafkaTopic names vs Topics.all()", overlay)
                .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
        for (Topic<?, ?> topic : Topics.all()) {
            KafkaTopic kt = byTopic.get(topic.name());
            String where = overlay + " KafkaTopic " + topic.name();
            assertThat(kt.getMetadata().getLabels()).as("%s label strimzi.io/cluster (the Kafka resource)", where)
                    .containsEntry("strimzi.io/cluster", cluster);
            assertThat(kt.getSpec().getPartitions()).as("%s partitions", where).isEqualTo(DEFAULT_PARTITIONS);
            assertThat(kt.getSpec().getReplicas()).as("%s replicas", where).isEqualTo(CLUSTER_REPLICATION_FACTOR);
            Map<String, String> config = stringValues(kt.getSpec().getConfig());
            assertThat(config).as("%s config", where)
                    .containsEntry("min.insync.replicas", CLUSTER_MIN_ISR)
                    .containsAllEntriesOf(TopicInitializer.configOf(topic));
            assertThat(kt.getSpec().getConfig().get("min.insync.replicas")).as("%s min.insync.replicas is a string",
                    where).isEqualTo(CLUSTER_MIN_ISR);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldCreateTopicsWithTheSettingsOfTheKafkaTopics(String overlay) {
        // The services create missing topics themselves (REETIK_PARTITIONS / REETIK_REPLICATION_FACTOR): with the
        // same numbers as the KafkaTopics they find nothing to change
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            ContainerEnvironment env = ContainerEnvironment.of(c, k8s);
            String where = overlay + " " + c.getName();
            for (KafkaTopic kt : k8s.all(KafkaTopic.class)) {
                assertThat(Integer.parseInt(env.value("REETIK_PARTITIONS", where)))
                        .as("%s REETIK_PARTITIONS vs KafkaTopic %s", where, kt.getMetadata().getName())
                        .isEqualTo(kt.getSpec().getPartitions());
                assertThat(Integer.parseInt(env.value("REETIK_REPLICATION_FACTOR", where)))
                        .as("%s REETIK_REPLICATION_FACTOR vs KafkaTopic %s", where, kt.getMetadata().getName())
                        .isEqualTo(kt.getSpec().getReplicas());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldPointTheServicesAtTheStrimziBootstrapService(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        Kafka kafka = k8s.all(Kafka.class).get(0);
        String cluster = kafka.getMetadata().getName();
        List<Integer> plainPorts = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getType() == KafkaListenerType.INTERNAL && !l.isTls())
                .map(GenericKafkaListener::getPort).toList();
        assertThat(plainPorts).as("%s Kafka %s internal listeners without TLS", overlay, cluster).isNotEmpty();
        Pattern bootstrap = Pattern.compile(Pattern.quote(cluster + "-kafka-bootstrap")
                + "(\\.reetik(\\.svc(\\.cluster\\.local)?)?)?:(\\d+)");
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            String where = overlay + " " + c.getName();
            String servers = ContainerEnvironment.of(c, k8s).value("SPRING_KAFKA_BOOTSTRAP_SERVERS", where);
            Matcher m = bootstrap.matcher(servers);
            assertThat(m.matches()).as("%s SPRING_KAFKA_BOOTSTRAP_SERVERS=%s is Strimzi's Service %s-kafka-bootstrap",
                    where, servers, cluster).isTrue();
            assertThat(Integer.parseInt(m.group(4))).as("%s bootstrap port is a plain internal listener's", where)
                    .isIn(plainPorts);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRunAThreeNodeKraftClusterThatKeepsTwoInSyncReplicas(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        Kafka kafka = k8s.all(Kafka.class).get(0);
        String cluster = kafka.getMetadata().getName();
        assertThat(kafka.getMetadata().getAnnotations()).as("%s Kafka %s annotations", overlay, cluster)
                .containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        List<KafkaNodePool> pools = k8s.all(KafkaNodePool.class).stream()
                .filter(p -> cluster.equals(p.getMetadata().getLabels().get("strimzi.io/cluster"))).toList();
        assertThat(pools).as("%s KafkaNodePools labelled strimzi.io/cluster=%s", overlay, cluster)
                .hasSameSizeAs(k8s.all(KafkaNodePool.class)).isNotEmpty();
        int brokers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        int controllers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.CONTROLLER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        assertThat(brokers).as("%s brokers (topics have %d replicas)", overlay, CLUSTER_REPLICATION_FACTOR)
                .isGreaterThanOrEqualTo(CLUSTER_REPLICATION_FACTOR);
        assertThat(controllers).as("%s KRaft controllers (an odd quorum of at least 3)", overlay)
                .isGreaterThanOrEqualTo(3).matches(n -> n % 2 == 1, "odd");
        Map<String, String> config = stringValues(kafka.getSpec().getKafka().getConfig());
        assertThat(config).as("%s Kafka %s config", overlay, cluster)
                .containsEntry("min.insync.replicas", CLUSTER_MIN_ISR)
                .containsEntry("default.replication.factor", String.valueOf(CLUSTER_REPLICATION_FACTOR))
                .containsEntry("offsets.topic.replication.factor", String.valueOf(CLUSTER_REPLICATION_FACTOR))
                .containsEntry("transaction.state.log.replication.factor", String.valueOf(CLUSTER_REPLICATION_FACTOR))
                .containsEntry("transaction.state.log.min.isr", CLUSTER_MIN_ISR);
        assertThat(kafka.getSpec().getEntityOperator()).as("%s Kafka %s entityOperator", overlay, cluster).isNotNull();
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator())
                .as("%s Kafka %s runs the Topic Operator (else the KafkaTopics are ignored)", overlay, cluster)
                .isNotNull();
    }

    // --- identities and secrets ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldRunEachServiceUnderAnExistingServiceAccount(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertThat(account).as("%s %s serviceAccountName", overlay, deployment.getMetadata().getName()).isNotBlank();
            assertThat(k8s.find(ServiceAccount.class, account)).as("%s ServiceAccount %s", overlay, account).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldTakeCredentialsOnlyFromSecrets(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Deployment deployment : k8s.all(Deployment.class)) {
            Container c = onlyContainer(deployment);
            for (var v : ContainerEnvironment.of(c, k8s).variables().values()) {
                if (CREDENTIALS.contains(v.name())) {
                    assertThat(v.secret()).as("%s %s %s comes from a Secret, not from %s", overlay, c.getName(),
                            v.name(), v.origin()).isNotNull();
                }
            }
        }
        ContainerEnvironment gateway = ContainerEnvironment.of(onlyContainer(k8s.get(Deployment.class, "gateway")), k8s);
        assertThat(gateway.variable("JWT_SECRET_KEY").map(ContainerEnvironment.Variable::secret))
                .as("%s gateway JWT_SECRET_KEY from a Secret", overlay).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "gke"})
    void shouldHoldNoRealKeyInARenderedSecret(String overlay) {
        RenderedOverlay k8s = RenderedOverlay.of(overlay);
        for (Secret secret : k8s.all(Secret.class)) {
            Map<String, String> values = new LinkedHashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) ->
                        values.put(k, new String(decodeSecret(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                values.putAll(secret.getStringData());
            }
            values.forEach((k, v) -> assertThat(v)
                    .as("%s Secret %s key %s is in git: it must be an obvious placeholder containing %s", overlay,
                            secret.getMetadata().getName(), k, FAKE_MARKER)
                    .contains(FAKE_MARKER));
        }
    }

    @Test
    void shouldGenerateAnObviouslyFakeJwtSecretForTheLocalCluster() {
        RenderedOverlay k8s = RenderedOverlay.of("local");
        Container gateway = onlyContainer(k8s.get(Deployment.class, "gateway"));
        String ref = ContainerEnvironment.of(gateway, k8s).variable("JWT_SECRET_KEY").orElseThrow().secret();
        String secretName = ref.substring(0, ref.indexOf('/'));
        String key = ref.substring(ref.indexOf('/') + 1);
        Secret secret = k8s.find(Secret.class, secretName).orElseThrow(() -> new AssertionError(
                "local: the gateway's JWT_SECRET_KEY refers to Secret " + secretName + ", which is not generated"));
        assertThat(secret.getData()).as("local Secret %s keys", secretName).containsKey(key);
        String value = new String(decodeSecret(secret.getData().get(key)), StandardCharsets.UTF_8);
        assertThat(value).as("local JWT placeholder").contains(FAKE_MARKER);
        assertThat(value.getBytes(StandardCharsets.UTF_8).length).as("local JWT placeholder bytes (HS256 wants 32+)")
                .isGreaterThanOrEqualTo(32);
    }

    @Test
    void shouldReadTheJwtSecretCreatedOutsideGitOnGke() {
        RenderedOverlay k8s = RenderedOverlay.of("gke");
        assertThat(k8s.all(Secret.class)).as("gke renders no Secret: they are created outside git").isEmpty();
        Container gateway = onlyContainer(k8s.get(Deployment.class, "gateway"));
        assertThat(ContainerEnvironment.of(gateway, k8s).variable("JWT_SECRET_KEY").map(v -> v.secret()))
                .as("gke gateway JWT_SECRET_KEY (the Secret documented in docs/deploy.md)")
                .contains("reetik-jwt/JWT_SECRET_KEY");
    }

    // --- overlay differences -------------------------------------------------------------------------------

    @Test
    void shouldShareOneReadWriteManyVolumeBetweenGatewaysAndBridgesLocally() {
        RenderedOverlay k8s = RenderedOverlay.of("local");
        List<String> claims = new ArrayList<>();
        for (String service : List.of("gateway", "agent-bridge")) {
            Deployment deployment = k8s.get(Deployment.class, service);
            Container c = onlyContainer(deployment);
            ContainerEnvironment env = ContainerEnvironment.of(c, k8s);
            assertThat(env.variable("BUCKET_NAME_V2")).as("local %s BUCKET_NAME_V2 (local storage mode)", service)
                    .isEmpty();
            String dir = env.value("REETIK_STORAGE_DIR", "local " + service);
            Volume volume = mountAt(deployment, c, dir).orElseThrow(() -> new AssertionError(
                    "local " + service + " mounts nothing at REETIK_STORAGE_DIR " + dir));
            assertThat(volume.getPersistentVolumeClaim()).as("local %s volume at %s is a PVC", service, dir).isNotNull();
            claims.add(volume.getPersistentVolumeClaim().getClaimName());
        }
        assertThat(claims).as("local gateway and bridge storage claims").containsOnly(claims.get(0));
        PersistentVolumeClaim pvc = k8s.get(PersistentVolumeClaim.class, claims.get(0));
        assertThat(pvc.getSpec().getAccessModes()).as("local PVC %s access modes (pods on several nodes)",
                claims.get(0)).contains("ReadWriteMany");
    }

    @Test
    void shouldStoreVideosInTheBucketOnGke() {
        RenderedOverlay k8s = RenderedOverlay.of("gke");
        for (String service : List.of("gateway", "agent-bridge")) {
            Deployment deployment = k8s.get(Deployment.class, service);
            ContainerEnvironment env = ContainerEnvironment.of(onlyContainer(deployment), k8s);
            assertThat(env.value("BUCKET_NAME_V2", "gke " + service)).as("gke %s BUCKET_NAME_V2", service).isNotBlank();
            assertThat(env.variable("REETIK_STORAGE_DIR")).as("gke %s REETIK_STORAGE_DIR (the bucket is used)", service)
                    .isEmpty();
        }
        assertThat(k8s.all(PersistentVolumeClaim.class)).as("gke PVCs (videos are in the bucket)").isEmpty();
        ContainerEnvironment bridge = ContainerEnvironment.of(onlyContainer(k8s.get(Deployment.class, "agent-bridge")), k8s);
        assertThat(bridge.value("REETIK_AGENTS", "gke agent-bridge")).as("gke REETIK_AGENTS").isIn("veo", "cloud-run");
        ContainerEnvironment projector = ContainerEnvironment.of(
                onlyContainer(k8s.get(Deployment.class, "status-projector")), k8s);
        assertThat(projector.value("REETIK_FIRESTORE_MIRROR", "gke status-projector")).as("gke REETIK_FIRESTORE_MIRROR")
                .isEqualTo("true");
    }

    @Test
    void shouldBindEachServiceToAGoogleServiceAccountOfItsProjectOnGke() {
        RenderedOverlay k8s = RenderedOverlay.of("gke");
        for (Deployment deployment : k8s.all(Deployment.class)) {
            String service = deployment.getMetadata().getName();
            String project = ContainerEnvironment.of(onlyContainer(deployment), k8s).value("GCP_PROJECT", "gke " + service);
            ServiceAccount account = k8s.get(ServiceAccount.class,
                    deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
            Map<String, String> annotations = Optional.ofNullable(account.getMetadata().getAnnotations()).orElse(Map.of());
            String gsa = annotations.get("iam.gke.io/gcp-service-account");
            assertThat(gsa).as("gke ServiceAccount %s annotation iam.gke.io/gcp-service-account",
                    account.getMetadata().getName()).isNotNull();
            Matcher m = GSA.matcher(gsa);
            assertThat(m.matches()).as("gke %s is NAME@PROJECT.iam.gserviceaccount.com", gsa).isTrue();
            assertThat(m.group(1)).as("gke %s: project of the Google service account vs GCP_PROJECT", gsa)
                    .isEqualTo(project);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static void assertProbe(String where, Probe probe, String path, Container c, int serverPort) {
        assertThat(probe).as(where).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("%s is an httpGet", where).isNotNull();
        assertThat(get.getPath()).as("%s path", where).isEqualTo(path);
        assertThat(containerPort(c, get.getPort()).map(ContainerPort::getContainerPort))
                .as("%s port %s is the container's SERVER_PORT", where, text(get.getPort())).contains(serverPort);
    }

    private static String text(IntOrString port) {
        return port == null ? "(none)" : port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }

    private static Optional<ContainerPort> containerPort(Container c, IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                : Objects.equals(port.getIntVal(), p.getContainerPort())).findFirst();
    }

    private static Optional<Volume> mountAt(Deployment deployment, Container c, String path) {
        Optional<VolumeMount> mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst();
        return mount.flatMap(m -> deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(m.getName())).findFirst());
    }

    private static Service serviceSelecting(RenderedOverlay k8s, Deployment deployment) {
        return k8s.all(Service.class).stream()
                .filter(s -> podLabels(deployment).entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError(k8s.overlay() + ": no Service selects the pods of "
                        + deployment.getMetadata().getName()));
    }

    private static int minimumReplicas(RenderedOverlay k8s, Deployment deployment) {
        Optional<HorizontalPodAutoscaler> hpa = k8s.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(deployment.getMetadata().getName()))
                .findFirst();
        if (hpa.isPresent()) {
            return Optional.ofNullable(hpa.get().getSpec().getMinReplicas()).orElse(1);
        }
        return Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
            fail("selector without matchLabels: " + selector);
        }
        assertThat(selector.getMatchExpressions()).as("matchExpressions are not checked here; use matchLabels")
                .isNullOrEmpty();
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static Map<String, String> podLabels(Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(d.getSpec().getSelector().getMatchLabels().entrySet())
                .as("Deployment %s selector matches its own pod template", d.getMetadata().getName())
                .isSubsetOf(labels.entrySet());
        return labels;
    }

    private static Map<String, String> podAnnotations(Deployment d) {
        return Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getAnnotations()).orElse(Map.of());
    }

    private static List<Container> containers(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers();
    }

    private static Container onlyContainer(Deployment d) {
        List<Container> containers = containers(d);
        assertThat(containers).as("containers of %s", d.getMetadata().getName()).hasSize(1);
        assertThat(containers.get(0).getName()).as("container of Deployment %s", d.getMetadata().getName())
                .isEqualTo(d.getMetadata().getName());
        return containers.get(0);
    }

    private static List<String> names(List<? extends HasMetadata> resources) {
        return resources.stream().map(r -> r.getMetadata().getName()).toList();
    }

    /** Secret data as the API server reads it: base64, line breaks allowed (kustomize folds long values). */
    private static byte[] decodeSecret(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }

    private static Map<String, String> stringValues(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    private static String strimziVersion() {
        String pom = Repository.read(Repository.file("pom.xml"));
        Matcher m = Pattern.compile("<strimzi.version>([^<]+)</strimzi.version>").matcher(pom);
        assertThat(m.find()).as("root pom.xml property strimzi.version").isTrue();
        return m.group(1).trim();
    }
}
