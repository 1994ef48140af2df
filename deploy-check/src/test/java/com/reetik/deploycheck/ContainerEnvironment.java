package com.reetik.deploycheck;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a container gets, as Kubernetes builds it: every {@code envFrom} source in order, then
 * {@code env} on top. ConfigMap values are resolved from the rendered ConfigMaps; Secrets and field references
 * are kept as references.
 */
final class ContainerEnvironment {

    /**
     * One variable.
     *
     * @param name      the variable
     * @param value     its literal value (from env or a ConfigMap), or null
     * @param fieldPath a fieldRef's path, or null
     * @param secret    "secretName/key" of a secretKeyRef or envFrom secretRef, or null
     * @param origin    where it comes from, for messages ("env", "ConfigMap gateway-abc12")
     */
    record Variable(String name, String value, String fieldPath, String secret, String origin) {
    }

    private final Map<String, Variable> variables;

    private ContainerEnvironment(Map<String, Variable> variables) {
        this.variables = variables;
    }

    static ContainerEnvironment of(Container container, RenderedOverlay rendered) {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                ConfigMap map = rendered.find(ConfigMap.class, name).orElseThrow(() -> new AssertionError(
                        rendered.overlay() + ": container " + container.getName() + " takes envFrom the ConfigMap '"
                                + name + "', which is not rendered"));
                map.getData().forEach((k, v) -> vars.put(prefix + k,
                        new Variable(prefix + k, v, null, null, "ConfigMap " + name)));
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                Secret secret = rendered.find(Secret.class, name).orElseThrow(() -> new AssertionError(
                        rendered.overlay() + ": container " + container.getName() + " takes envFrom the Secret '"
                                + name + "', which is not rendered (its keys cannot be checked)"));
                Map<String, String> data = new LinkedHashMap<>();
                if (secret.getData() != null) {
                    data.putAll(secret.getData());
                }
                if (secret.getStringData() != null) {
                    data.putAll(secret.getStringData());
                }
                data.keySet().forEach(k -> vars.put(prefix + k,
                        new Variable(prefix + k, null, null, name + "/" + k, "Secret " + name)));
            }
        }
        for (EnvVar env : container.getEnv()) {
            String value = env.getValue();
            String fieldPath = null;
            String secret = null;
            if (env.getValueFrom() != null) {
                var from = env.getValueFrom();
                if (from.getFieldRef() != null) {
                    fieldPath = from.getFieldRef().getFieldPath();
                } else if (from.getSecretKeyRef() != null) {
                    secret = from.getSecretKeyRef().getName() + "/" + from.getSecretKeyRef().getKey();
                } else if (from.getConfigMapKeyRef() != null) {
                    String name = from.getConfigMapKeyRef().getName();
                    String key = from.getConfigMapKeyRef().getKey();
                    value = rendered.find(ConfigMap.class, name).map(m -> m.getData().get(key))
                            .orElseThrow(() -> new AssertionError(rendered.overlay() + ": " + env.getName()
                                    + " refers to key " + key + " of ConfigMap " + name + ", which is not rendered"));
                }
            }
            vars.put(env.getName(), new Variable(env.getName(), value, fieldPath, secret, "env"));
        }
        return new ContainerEnvironment(vars);
    }

    Map<String, Variable> variables() {
        return variables;
    }

    Optional<Variable> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** The literal value of a variable, or an assertion error naming the container. */
    String value(String name, String container) {
        Variable v = variables.get(name);
        if (v == null || v.value() == null) {
            throw new AssertionError("container " + container + " has no literal " + name + " (env or ConfigMap)");
        }
        return v.value();
    }
}
