package com.reetik.deploycheck;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What {@code kubectl kustomize k8s/overlays/<name>} renders, each document bound to its typed model: fabric8's
 * for Kubernetes kinds, Strimzi's for Kafka, KafkaNodePool and KafkaTopic. A kind not listed in {@link #MODELS}
 * fails the render, so a new kind cannot slip past the checks unnoticed.
 *
 * @param overlay   the overlay's directory name under k8s/overlays
 * @param documents the rendered documents as plain maps (what the API server would receive)
 * @param resources the same documents as typed models, in the same order
 */
record RenderedOverlay(String overlay, List<Map<String, Object>> documents, List<HasMetadata> resources) {

    /** apiVersion/kind of everything the overlays may render, with the model that binds it. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    private static final Map<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Renders an overlay once per test run (check {@link Kubectl#available()} first). */
    static RenderedOverlay of(String overlay) {
        return CACHE.computeIfAbsent(overlay, RenderedOverlay::render);
    }

    private static RenderedOverlay render(String overlay) {
        Path dir = Repository.file("k8s/overlays/" + overlay);
        String yaml = Kubectl.kustomize(dir);
        List<Map<String, Object>> documents = new ArrayList<>();
        List<HasMetadata> resources = new ArrayList<>();
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : parser.loadAll(yaml)) {
            if (doc == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) doc;
            String type = map.get("apiVersion") + "/" + map.get("kind");
            Class<? extends HasMetadata> model = MODELS.get(type);
            if (model == null) {
                throw new IllegalStateException(overlay + " renders " + type + ", which no check knows: add it to "
                        + "RenderedOverlay.MODELS with its model and the checks it needs");
            }
            documents.add(map);
            try {
                resources.add(JSON.convertValue(map, model));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(overlay + ": " + type + " " + name(map) + " does not bind to "
                        + model.getName() + ": " + e.getMessage(), e);
            }
        }
        return new RenderedOverlay(overlay, List.copyOf(documents), List.copyOf(resources));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(overlay + " renders no " + type.getSimpleName()
                + " named '" + name + "' (it has " + all(type).stream().map(r -> r.getMetadata().getName()).toList()
                + ")"));
    }

    private static String name(Map<String, Object> doc) {
        return doc.get("metadata") instanceof Map<?, ?> meta ? String.valueOf(meta.get("name")) : "?";
    }

    /** Runs kubectl, the one outside tool these checks use: {@code -Dreetik.kubectl=/path/to/kubectl}, else the PATH's. */
    static final class Kubectl {

        private Kubectl() {
        }

        static String command() {
            return System.getProperty("reetik.kubectl", "kubectl");
        }

        static boolean available() {
            try {
                Process p = new ProcessBuilder(command(), "version", "--client").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        static String kustomize(Path dir) {
            try {
                Path err = Files.createTempFile("kustomize", ".err");
                Process p = new ProcessBuilder(command(), "kustomize", dir.toString())
                        .redirectError(err.toFile())
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 120 s");
                }
                String stderr = Files.readString(err);
                Files.deleteIfExists(err);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + p.exitValue()
                            + "):\n" + stderr);
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run kubectl kustomize " + dir + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
