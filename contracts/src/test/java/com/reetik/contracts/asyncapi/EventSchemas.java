package com.reetik.contracts.asyncapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The JSON Schemas of {@code reetik.video-events}, read from {@code docs/asyncapi.yaml}: checks that a record
 * value is an event the public contract describes.
 *
 * <p>From any module's test (with {@code com.reetik:contracts:test-jar}, and
 * {@code com.networknt:json-schema-validator} and {@code tools.jackson.dataformat:jackson-dataformat-yaml},
 * all scope test):
 *
 * <pre>{@code
 * EventSchemas schemas = EventSchemas.load();
 * schemas.assertValid(record.key(), record.value());   // AssertionError listing every error
 * List<String> errors = schemas.errors(record.value()); // or look at them yourself; empty when valid
 * }</pre>
 *
 * A value is checked against the payload schema of the message whose name is its {@code type}; a value that
 * is not a JSON object, has no {@code type} or a {@code type} the document does not list is an error too.
 * Instances are immutable and safe to share between threads.
 */
public final class EventSchemas {

    /** The document, relative to the project's root. */
    public static final String DOCUMENT = "docs/asyncapi.yaml";

    /** The one channel of the document. */
    public static final String CHANNEL = "videoEvents";

    /** Set this system property to a path to read the document from there rather than search for it. */
    public static final String LOCATION_PROPERTY = "reetik.asyncapi";

    /** Where the document is registered with the validator; only an identifier, nothing is fetched. */
    private static final String DOCUMENT_IRI = "https://reetik.invalid/docs/asyncapi.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<Path, EventSchemas> LOADED = new ConcurrentHashMap<>();

    private final Path path;
    private final JsonNode document;
    private final Map<String, Schema> schemaByType;

    private EventSchemas(Path path, JsonNode document, Map<String, Schema> schemaByType) {
        this.path = path;
        this.document = document;
        this.schemaByType = schemaByType;
    }

    /** The schemas of the project's {@code docs/asyncapi.yaml}, found from the working directory up. */
    public static EventSchemas load() {
        return load(findDocument());
    }

    /** The schemas of the AsyncAPI document at {@code path} (loaded once per path). */
    public static EventSchemas load(Path path) {
        return LOADED.computeIfAbsent(path.toAbsolutePath().normalize(), EventSchemas::read);
    }

    /**
     * The project's {@code docs/asyncapi.yaml}: the {@value #LOCATION_PROPERTY} system property when set, else
     * the first {@code docs/asyncapi.yaml} in the working directory or one of its parents (so it is found from
     * the root and from any module).
     */
    public static Path findDocument() {
        String property = System.getProperty(LOCATION_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path path = Path.of(property);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(LOCATION_PROPERTY + "=" + property + " is not a file");
            }
            return path;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DOCUMENT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + DOCUMENT + " in " + start + " or any of its parents (set -D"
                + LOCATION_PROPERTY + "=<path> to name it)");
    }

    /** Where the document was read from. */
    public Path path() {
        return path;
    }

    /** The whole AsyncAPI document, as a JSON tree. */
    public JsonNode document() {
        return document;
    }

    /** The event types the document describes: the names of its channel's messages. */
    public Set<String> types() {
        return schemaByType.keySet();
    }

    /** What is wrong with a record value; empty when it is a valid event. */
    public List<String> errors(byte[] value) {
        if (value == null) {
            return List.of("the value is null (a tombstone), not an event");
        }
        return errors(new String(value, StandardCharsets.UTF_8));
    }

    /** What is wrong with a record value given as JSON text; empty when it is a valid event. */
    public List<String> errors(String json) {
        if (json == null) {
            return List.of("the value is null (a tombstone), not an event");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            return List.of("the value is not JSON: " + e.getOriginalMessage());
        }
        return errors(node);
    }

    /** What is wrong with an event read as a JSON tree; empty when it is a valid event. */
    public List<String> errors(JsonNode event) {
        if (event == null || !event.isObject()) {
            return List.of("the value is not a JSON object: " + abbreviate(String.valueOf(event)));
        }
        JsonNode type = event.get("type");
        if (type == null || !type.isString()) {
            return List.of("the event has no string field 'type' (one of " + types() + "): "
                    + abbreviate(event.toString()));
        }
        Schema schema = schemaByType.get(type.stringValue());
        if (schema == null) {
            return List.of("unknown type '" + type.stringValue() + "': " + DOCUMENT + " describes only " + types());
        }
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(event)) {
            errors.add(type.stringValue() + ": " + describe(error));
        }
        return errors;
    }

    /**
     * What is wrong with a record of the topic: its value as {@link #errors(byte[])}, and its key, which must be
     * the value's {@code video_id}.
     */
    public List<String> errors(String key, byte[] value) {
        List<String> errors = new ArrayList<>(errors(value));
        if (value != null) {
            try {
                JsonNode videoId = JSON.readTree(value).get("video_id");
                if (videoId == null || !videoId.isString() || !videoId.stringValue().equals(key)) {
                    errors.add("the key '" + key + "' is not the event's video_id "
                            + (videoId == null ? "(none)" : videoId.toString()));
                }
            } catch (JacksonException e) {
                // already reported by errors(value)
            }
        }
        return errors;
    }

    /** Throws an {@link AssertionError} listing every error when the value is not a valid event. */
    public void assertValid(byte[] value) {
        failOn(errors(value), value == null ? null : new String(value, StandardCharsets.UTF_8));
    }

    /** Throws an {@link AssertionError} listing every error when the JSON is not a valid event. */
    public void assertValid(String json) {
        failOn(errors(json), json);
    }

    /** Throws an {@link AssertionError} listing every error when the record is not a valid event. */
    public void assertValid(String key, byte[] value) {
        failOn(errors(key, value), (value == null ? null : new String(value, StandardCharsets.UTF_8))
                + " (key " + key + ")");
    }

    private void failOn(List<String> errors, String value) {
        if (!errors.isEmpty()) {
            throw new AssertionError("not a valid reetik.video-events record per " + path + ":\n  - "
                    + String.join("\n  - ", errors) + "\nvalue: " + abbreviate(String.valueOf(value)));
        }
    }

    private static String describe(Error error) {
        String where = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        String message = error.getMessage();
        // The message may already start with the location; name the field once either way.
        if (!where.isEmpty() && !message.startsWith(where)) {
            message = where + ": " + message;
        }
        return message;
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    private static EventSchemas read(Path path) {
        JsonNode document;
        try {
            document = YAMLMapper.builder().build().readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (JacksonException e) {
            throw new IllegalStateException(path + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        String json = JSON.writeValueAsString(document);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemaRegistryConfig(config).schemas(Map.of(DOCUMENT_IRI, json)));

        Map<String, Schema> byType = new LinkedHashMap<>();
        JsonNode channelMessages = document.path("channels").path(CHANNEL).path("messages");
        if (!channelMessages.isObject() || channelMessages.isEmpty()) {
            throw new IllegalStateException(path + " has no messages in channels." + CHANNEL);
        }
        for (Map.Entry<String, JsonNode> entry : channelMessages.properties()) {
            JsonNode message = resolve(document, entry.getValue(), path);
            String name = message.path("name").asString(entry.getKey());
            String payload = message.path("payload").path("$ref").asString("");
            if (!payload.startsWith("#/components/schemas/")) {
                throw new IllegalStateException(path + ": the payload of message " + name
                        + " should be a $ref to #/components/schemas/…, not '" + payload + "'");
            }
            byType.put(name, registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + payload)));
        }
        return new EventSchemas(path, document, Collections.unmodifiableMap(byType));
    }

    /** The node a {@code $ref} points at in the same document, or the node itself when it is not a reference. */
    static JsonNode resolve(JsonNode document, JsonNode node, Path path) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String pointer = ref.asString();
        if (!pointer.startsWith("#/")) {
            throw new IllegalStateException(path + ": only local references are supported, not " + pointer);
        }
        JsonNode target = document.at(pointer.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException(path + ": " + pointer + " points at nothing");
        }
        return resolve(document, target, path);
    }
}
