package com.reetik.gateway.web;

import com.reetik.contracts.json.Json;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Reads a JSON object body with a limit of its own. Every other body is held to {@code spring.codec.max-in-memory-size}
 * (64 KB); a video request may carry reference images in base64, several MB, and only there is the larger limit
 * wanted (Spring's codec limit is one for all endpoints, hence this small reader).
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * The body as a JSON object, empty when there is none; 413 {@code payload_too_large} over {@code maxBytes}, 400
     * when it is not a JSON object.
     */
    public static Mono<Optional<Map<String, Object>>> readObject(ServerHttpRequest request, int maxBytes,
                                                              String whatFits) {
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .map(JsonBodies::object)
                .defaultIfEmpty(Optional.empty())
                .onErrorMap(DataBufferLimitException.class, e -> new ApiException(HttpStatus.CONTENT_TOO_LARGE,
                        "payload_too_large", "The request body is larger than " + maxBytes / (1024 * 1024)
                        + " MB: " + whatFits, null));
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> object(byte[] bytes) {
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        try {
            Object value = Json.mapper().readValue(bytes, Object.class);
            if (value instanceof Map<?, ?> map) {
                return Optional.of((Map<String, Object>) map);
            }
        } catch (RuntimeException e) {
            // below
        }
        throw ApiException.badRequest("The request body is not valid JSON (or not a JSON object).");
    }
}
