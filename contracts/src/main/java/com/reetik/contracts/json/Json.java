package com.reetik.contracts.json;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of every Reetik record: snake_case fields, ISO-8601 instants, unknown fields
 * ignored (so an older reader accepts a newer writer's records).
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static String writeString(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Reads a record, or throws {@link MalformedRecordException} saying why it cannot be read. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new MalformedRecordException("empty value (null) where a " + type.getSimpleName() + " was expected");
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new MalformedRecordException("JSON null where a " + type.getSimpleName() + " was expected");
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedRecordException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public static <T> T read(String text, Class<T> type) {
        return read(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }
}
