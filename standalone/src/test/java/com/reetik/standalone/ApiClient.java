package com.reetik.standalone;

import com.reetik.contracts.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** A plain HTTP client of the Reetik API, as any user's program would be: no Spring, real sockets. */
final class ApiClient {

    /** One server-sent event. */
    record Sse(String id, String event, JsonNode data) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(String path, String token, Object body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            // An action without a body (cancel, retry): a bare POST, as curl -X POST sends it.
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.writeString(body)));
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PUT of a JSON body. */
    HttpResponse<String> put(String path, String token, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.writeString(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A DELETE; the answer's status. */
    int delete(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).DELETE().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return sendGet(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET()
                .header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        return sendGet(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> sendGet(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(request, body);
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    /** Registers a new user and returns their token. */
    String newUser() throws Exception {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> response = post("/api/auth/register", null,
                Map.of("email", email, "password", "correct horse battery"), Map.of());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("register failed: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("access_token").asText();
    }

    /** Creates a video and returns its id. */
    String createVideo(String token, String theme, int duration) throws Exception {
        HttpResponse<String> response = post("/api/videos", token,
                Map.of("theme", theme, "target_duration", duration), Map.of());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("create failed: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("video_id").asText();
    }

    /** Reads the SSE stream of a video until the server ends it. */
    List<Sse> events(String videoId, String token, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/videos/" + videoId + "/events"))
                .timeout(timeout).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("events: HTTP " + response.statusCode());
        }
        List<Sse> events = new ArrayList<>();
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Sse(id, event, Json.mapper().readTree(data.toString())));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }
        return events;
    }

    /** Waits until /actuator/health answers 200, failing early when {@code alive} turns false. */
    void awaitHealthy(Duration timeout, java.util.function.BooleanSupplier alive) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new AssertionError("the server stopped before it was healthy");
            }
            try {
                if (get("/actuator/health", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not healthy in " + timeout);
    }

    /** Polls a video until it is terminal; returns its last view. */
    JsonNode awaitTerminal(String videoId, String token, Duration timeout) throws Exception {
        return awaitTerminalAfter(videoId, token, 0, timeout);
    }

    /** Polls a video until a view newer than {@code version} is terminal (e.g. after a retry). */
    JsonNode awaitTerminalAfter(String videoId, String token, long version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/api/videos/" + videoId, token);
            if (response.statusCode() == 200) {
                view = json(response);
                String status = view.get("status").asText();
                boolean terminal = status.equals("completed") || status.equals("failed") || status.equals("cancelled");
                if (terminal && view.get("version").asLong() > version) {
                    return view;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("video " + videoId + " not terminal after " + timeout + "; last view: " + view);
    }
}
