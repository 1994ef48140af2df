package com.reetik.contracts.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.topic.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docs/asyncapi.yaml} is the public contract of {@code reetik.video-events}: it describes exactly the
 * events the Java records serialize to, every one of them, and its schemas reject what a consumer could not
 * read.
 */
class AsyncApiDocumentTest {

    private static final EventSchemas SCHEMAS = EventSchemas.load();

    // ---- (1) every event, as Json writes it, is valid ----

    static Stream<Arguments> everyEvent() {
        return Stream.concat(
                VideoEventSamples.realistic().stream().map(e -> Arguments.of(e.getClass().getSimpleName(), "realistic", e)),
                VideoEventSamples.withNulls().stream().map(e -> Arguments.of(e.getClass().getSimpleName(), "nullable fields null", e)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("everyEvent")
    void shouldAcceptEveryEventAsJsonWritesIt(String type, String variant, VideoEvent event) {
        // Given an event written by the one JSON mapping of the project
        byte[] value = Json.write(event);

        // Then the document's schema of its type accepts it, as a value and as a record keyed by its video_id
        assertThat(SCHEMAS.errors(value)).as("errors of %s", new String(value)).isEmpty();
        SCHEMAS.assertValid(event.videoId(), value);
        // and its type is the name Json gives it
        assertThat(Json.mapper().readTree(value).get("type").asString()).isEqualTo(typeNames().get(event.getClass()));
    }

    @Test
    void shouldHaveASampleOfEveryPermittedEventInBothVariants() {
        Set<Class<?>> permitted = Set.of(VideoEvent.class.getPermittedSubclasses());
        assertThat(VideoEventSamples.realistic().stream().map(Object::getClass).collect(Collectors.toSet()))
                .as("VideoEventSamples.realistic() should hold one event of each permitted subclass")
                .containsExactlyInAnyOrderElementsOf(permitted);
        assertThat(VideoEventSamples.withNulls().stream().map(Object::getClass).collect(Collectors.toSet()))
                .as("VideoEventSamples.withNulls() should hold one event of each permitted subclass")
                .containsExactlyInAnyOrderElementsOf(permitted);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("everyEvent")
    void shouldDocumentExactlyTheFieldsTheRecordsWrite(String type, String variant, VideoEvent event) {
        // Given an event as Json writes it and the document's schema of its type
        JsonNode written = Json.mapper().readTree(Json.write(event));
        JsonNode schema = payloadSchema(type);

        // Then the schema lists exactly the fields written, none more, none fewer
        assertThat(names(schema.get("properties")))
                .as("properties of components.schemas.%s vs the fields %s writes", type, type)
                .isEqualTo(names(written));
        // and so do the schemas of the nested objects
        if (written.has("request")) {
            assertThat(names(component("VideoRequest").get("properties"))).as("VideoRequest properties")
                    .isEqualTo(names(written.get("request")));
        }
        if (written.has("blocks")) {
            assertThat(names(component("ScriptBlock").get("properties"))).as("ScriptBlock properties")
                    .isEqualTo(names(written.get("blocks").get(0)));
        }
    }

    @Test
    void shouldRequireExactlyTheFieldsThatAreNeverNull() {
        for (VideoEvent event : VideoEventSamples.withNulls()) {
            // Given an event with every nullable field null
            String type = typeNames().get(event.getClass());
            JsonNode written = Json.mapper().readTree(Json.write(event));
            Set<String> nonNull = names(written).stream().filter(f -> !written.get(f).isNull())
                    .collect(Collectors.toCollection(TreeSet::new));
            JsonNode schema = payloadSchema(type);

            // Then the fields it still has a value for are the required ones
            assertThat(strings(schema.get("required"))).as("components.schemas.%s.required", type).isEqualTo(nonNull);
            // and the others are documented as nullable
            for (String field : names(written)) {
                if (written.get(field).isNull()) {
                    assertThat(strings(schema.get("properties").get(field).get("type")))
                            .as("type of nullable %s.%s", type, field).contains("null");
                }
            }
            // and a newer writer may add fields
            assertThat(schema.get("additionalProperties").asBoolean(false))
                    .as("components.schemas.%s.additionalProperties", type).isTrue();
        }
    }

    // ---- (2) the document describes every event type, and only those ----

    @Test
    void shouldDescribeEveryPermittedEventType() {
        // Given the names Json gives the permitted subclasses of the sealed VideoEvent
        Set<String> javaTypes = new TreeSet<>(typeNames().values());

        // Then the channel's messages, their payloads' type consts and the VideoEvent oneOf name exactly those
        assertThat(new TreeSet<>(SCHEMAS.types())).as("messages of channels.videoEvents").isEqualTo(javaTypes);
        Set<String> consts = new TreeSet<>();
        for (String type : SCHEMAS.types()) {
            consts.add(payloadSchema(type).get("properties").get("type").get("const").asString());
        }
        assertThat(consts).as("the type consts of the payload schemas").isEqualTo(javaTypes);
        Set<String> oneOf = StreamSupport.stream(component("VideoEvent").get("oneOf").spliterator(), false)
                .map(ref -> ref.get("$ref").asString().replace("#/components/schemas/", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(oneOf).as("components.schemas.VideoEvent.oneOf").isEqualTo(javaTypes);
        assertThat(component("VideoEvent").get("discriminator").asString()).isEqualTo("type");
    }

    @Test
    void shouldMatchTheVocabulariesOfTheCode() {
        assertThat(strings(component("ErrorCode").get("enum"))).as("ErrorCode enum")
                .isEqualTo(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)
                        .collect(Collectors.toCollection(TreeSet::new)));
        JsonNode request = component("VideoRequest").get("properties");
        assertThat(strings(request.get("style").get("enum"))).isEqualTo(new TreeSet<>(Style.wireNames()));
        assertThat(strings(request.get("language").get("enum"))).isEqualTo(new TreeSet<>(Language.codes()));
        assertThat(strings(request.get("aspect_ratio").get("enum"))).isEqualTo(new TreeSet<>(AspectRatio.wireNames()));
        assertThat(component("SchemaVersion").get("const").asInt()).isEqualTo(VideoEvent.SCHEMA_VERSION);
    }

    @Test
    void shouldAcceptTheDocumentsOwnExamples() {
        JsonNode messages = SCHEMAS.document().get("components").get("messages");
        for (String type : SCHEMAS.types()) {
            JsonNode examples = messages.get(type).get("examples");
            assertThat(examples).as("examples of message %s", type).isNotNull();
            for (JsonNode example : examples) {
                assertThat(SCHEMAS.errors(example.get("payload")))
                        .as("example '%s' of %s", example.get("name").asString(), type).isEmpty();
            }
        }
    }

    // ---- (3) what a consumer could not read is rejected, naming the field ----

    @Test
    void shouldRejectAnEventWithoutARequiredField() {
        ObjectNode event = blockCompleted();
        event.remove("clip_uri");

        assertThat(SCHEMAS.errors(event.toString()))
                .singleElement().asString().contains("BlockCompleted", "clip_uri");
    }

    @Test
    void shouldRejectAFieldOfTheWrongType() {
        ObjectNode event = blockCompleted();
        event.put("block_index", "three");

        assertThat(SCHEMAS.errors(event.toString()))
                .singleElement().asString().contains("BlockCompleted", "block_index", "integer");
    }

    @Test
    void shouldRejectNullInAFieldThatIsNeverNull() {
        ObjectNode event = blockCompleted();
        event.putNull("clip_uri");

        assertThat(SCHEMAS.errors(event.toString())).singleElement().asString().contains("clip_uri", "null");
    }

    @Test
    void shouldRejectAMalformedTimeAndABadNestedValue() {
        ObjectNode requested = (ObjectNode) Json.mapper().readTree(Json.write(VideoEventSamples.realistic().get(0)));
        requested.put("occurred_at", "yesterday");
        ((ObjectNode) requested.get("request")).put("language", "de");

        assertThat(SCHEMAS.errors(requested.toString())).hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("occurred_at"))
                .anySatisfy(e -> assertThat(e).contains("/request/language"));
    }

    @Test
    void shouldRejectAnUnknownTypeNamingIt() {
        ObjectNode event = blockCompleted();
        event.put("type", "Teleported");

        assertThat(SCHEMAS.errors(event.toString())).singleElement().asString()
                .contains("unknown type 'Teleported'", "BlockCompleted");
    }

    @Test
    void shouldRejectWhatIsNotAnEvent() {
        assertThat(SCHEMAS.errors((byte[]) null)).singleElement().asString().contains("null");
        assertThat(SCHEMAS.errors("not json")).singleElement().asString().contains("not JSON");
        assertThat(SCHEMAS.errors("[1,2]")).singleElement().asString().contains("not a JSON object");
        assertThat(SCHEMAS.errors("{\"video_id\":\"v\"}")).singleElement().asString().contains("'type'");
    }

    @Test
    void shouldRejectARecordWhoseKeyIsNotItsVideoId() {
        byte[] value = Json.write(VideoEventSamples.realistic().get(1));

        assertThat(SCHEMAS.errors("another_video", value)).singleElement().asString()
                .contains("another_video", "video_id");
    }

    @Test
    void shouldListEveryErrorInTheAssertionError() {
        ObjectNode event = blockCompleted();
        event.remove("clip_uri");
        event.put("attempt", 0);

        assertThatThrownBy(() -> SCHEMAS.assertValid(event.toString().getBytes()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("clip_uri").hasMessageContaining("/attempt")
                .hasMessageContaining(SCHEMAS.path().toString());
    }

    @Test
    void shouldAcceptFieldsAddedByANewerWriter() {
        ObjectNode event = blockCompleted();
        event.put("resolution", "1080p");

        assertThat(SCHEMAS.errors(event.toString())).isEmpty();
    }

    // ---- (4) the document is an AsyncAPI 3.0 description of the topic ----

    @Test
    void shouldBeAnAsyncApi3DocumentOfTheTopic() {
        JsonNode doc = SCHEMAS.document();
        assertThat(doc.get("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(doc.get("info").get("title").asString()).isNotBlank();
        assertThat(doc.get("info").get("version").asString()).matches("\\d+\\.\\d+\\.\\d+");

        // one channel, whose address is the topic, with Kafka bindings
        assertThat(names(doc.get("channels"))).containsExactly(EventSchemas.CHANNEL);
        JsonNode channel = doc.get("channels").get(EventSchemas.CHANNEL);
        assertThat(channel.get("address").asString()).isEqualTo(Topics.VIDEO_EVENTS.name());
        assertThat(channel.get("bindings").get("kafka").get("topic").asString()).isEqualTo(Topics.VIDEO_EVENTS.name());

        // a send and a receive operation on that channel, each with every message of the channel
        JsonNode operations = doc.get("operations");
        Set<String> actions = new HashSet<>();
        for (String id : names(operations)) {
            JsonNode operation = operations.get(id);
            actions.add(operation.get("action").asString());
            assertThat(operation.get("channel").get("$ref").asString()).as("operations.%s.channel", id)
                    .isEqualTo("#/channels/" + EventSchemas.CHANNEL);
            Set<String> refs = StreamSupport.stream(operation.get("messages").spliterator(), false)
                    .map(m -> m.get("$ref").asString()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(refs).as("operations.%s.messages", id).isEqualTo(names(channel.get("messages")).stream()
                    .map(m -> "#/channels/" + EventSchemas.CHANNEL + "/messages/" + m)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertThat(actions).containsExactlyInAnyOrder("send", "receive");

        // every message is JSON keyed by a string (the video_id)
        for (String name : names(channel.get("messages"))) {
            JsonNode message = EventSchemas.resolve(doc, channel.get("messages").get(name), SCHEMAS.path());
            assertThat(message.get("name").asString()).isEqualTo(name);
            JsonNode trait = EventSchemas.resolve(doc, message.get("traits").get(0), SCHEMAS.path());
            assertThat(trait.get("contentType").asString()).isEqualTo("application/json");
            assertThat(trait.get("bindings").get("kafka").get("key").get("type").asString())
                    .as("message %s key", name).isEqualTo("string");
        }
    }

    // ---- helpers ----

    /** The type names Json writes for the permitted subclasses of VideoEvent, from its @JsonSubTypes. */
    private static Map<Class<?>, String> typeNames() {
        Map<Class<?>, String> named = Arrays.stream(VideoEvent.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
        for (Class<?> permitted : VideoEvent.class.getPermittedSubclasses()) {
            assertThat(named).as("@JsonSubTypes of VideoEvent should name %s", permitted.getSimpleName())
                    .containsKey(permitted);
        }
        assertThat(named.keySet()).containsExactlyInAnyOrder(VideoEvent.class.getPermittedSubclasses());
        return named;
    }

    private static ObjectNode blockCompleted() {
        return (ObjectNode) Json.mapper().readTree(Json.write(new BlockCompleted("e1", "v1",
                Instant.parse("2026-02-01T20:38:15Z"), 3, 1, "gs://b/v1/clips/block_3.mp4", 4.0)));
    }

    private static JsonNode payloadSchema(String type) {
        JsonNode message = SCHEMAS.document().get("components").get("messages").get(type);
        assertThat(message).as("components.messages.%s", type).isNotNull();
        return EventSchemas.resolve(SCHEMAS.document(), message.get("payload"), SCHEMAS.path());
    }

    private static JsonNode component(String name) {
        JsonNode schema = SCHEMAS.document().get("components").get("schemas").get(name);
        assertThat(schema).as("components.schemas.%s", name).isNotNull();
        return schema;
    }

    private static Set<String> names(JsonNode object) {
        return object.propertyNames().stream().collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> strings(JsonNode node) {
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asString)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        return new TreeSet<>(List.of(node.asString()));
    }
}
