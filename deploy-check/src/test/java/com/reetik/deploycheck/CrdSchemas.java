package com.reetik.deploycheck;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strimzi's CRDs (test resources strimzi-crds/{strimzi.version}/), used as an API server uses them: the rendered
 * resource is validated against the {@code openAPIV3Schema} of its apiVersion. Like the API server's strict field
 * validation (kubectl's default), a field the schema does not declare is an error, except under
 * {@code x-kubernetes-preserve-unknown-fields} (e.g. a topic's {@code config}).
 */
final class CrdSchemas {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** "kafka.strimzi.io/v1beta2/KafkaTopic" → its schema. */
    private final Map<String, Schema> schemas = new HashMap<>();

    private CrdSchemas() {
    }

    static CrdSchemas strimzi(String version, String... files) {
        CrdSchemas crds = new CrdSchemas();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        for (String file : files) {
            String resource = "/strimzi-crds/" + version + "/" + file;
            Map<String, Object> crd;
            try (InputStream in = CrdSchemas.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no " + resource + " on the test classpath: copy the CRDs of "
                            + "Strimzi " + version + " there (see strimzi-crds/README.md)");
                }
                crd = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> spec = map(crd.get("spec"));
            String group = (String) spec.get("group");
            String kind = (String) map(spec.get("names")).get("kind");
            for (Object v : (List<?>) spec.get("versions")) {
                Map<String, Object> ver = map(v);
                Object schema = strict(map(map(ver.get("schema")).get("openAPIV3Schema")));
                crds.schemas.put(group + "/" + ver.get("name") + "/" + kind, registry.getSchema(JSON.valueToTree(schema)));
            }
        }
        return crds;
    }

    /** The schema errors of one rendered document; an apiVersion/kind without a CRD here is an error too. */
    List<String> errors(Map<String, Object> document) {
        String type = document.get("apiVersion") + "/" + document.get("kind");
        Schema schema = schemas.get(type);
        if (schema == null) {
            return List.of("no CRD schema for " + type + " (known: " + schemas.keySet() + ")");
        }
        List<Error> errors = schema.validate(JSON.valueToTree(document));
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** A copy of the schema where objects with declared properties refuse undeclared ones. */
    private static Object strict(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, strict(v)));
            boolean declared = "object".equals(copy.get("type")) && copy.get("properties") instanceof Map<?, ?>;
            if (declared && !copy.containsKey("additionalProperties")
                    && !Boolean.TRUE.equals(copy.get("x-kubernetes-preserve-unknown-fields"))) {
                copy.put("additionalProperties", false);
            }
            return copy;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(CrdSchemas::strict).toList();
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
