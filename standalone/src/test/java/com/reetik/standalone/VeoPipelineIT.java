package com.reetik.standalone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole product with REETIK_AGENTS=veo: the real Gen AI SDK against WireMock stubs of the Gemini API
 * (script with generateContent, clips with predictLongRunning, operations polled, videos downloaded), the
 * real ffmpeg assembler. The server stops while the Veo operations are pending; started again, it polls
 * the same operations and starts none.
 */
@Timeout(300)
class VeoPipelineIT {

    private static final String GEMINI = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String VEO = "/v1beta/models/veo-3.1-generate-001:predictLongRunning";

    @TempDir
    Path dataDir;

    private WireMockServer google;
    private RunningServer server;

    @BeforeEach
    void startStub() {
        google = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        google.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        google.stop();
    }

    private RunningServer startServer() throws Exception {
        server = RunningServer.start(dataDir, Map.of("REETIK_AGENTS", "veo", "GOOGLE_API_KEY", "test-key",
                "REETIK_GENAI_BASE_URL", google.baseUrl(), "REETIK_POLL_INTERVAL_MS", "200",
                "REETIK_OPERATION_DEADLINE_S", "300", "REETIK_BLOCK_WORKERS", "2"), agents -> agents);
        return server;
    }

    private static String geminiAnswer(String text) {
        return "{\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": \""
                + text.replace("\"", "\\\"") + "\"}]}, \"finishReason\": \"STOP\"}]}";
    }

    private void stubScript() {
        google.stubFor(post(urlEqualTo(GEMINI)).willReturn(okJson(geminiAnswer("{\"blocks\": ["
                + "{\"index\": 1, \"prompt\": \"plan-one aerial view\", \"narration\": \"Bienvenue.\", \"duration\": 4},"
                + "{\"index\": 2, \"prompt\": \"plan-two lava\", \"narration\": \"La lave coule.\", \"duration\": 4}]}"))));
        for (int block = 1; block <= 2; block++) {
            String name = block == 1 ? "plan-one" : "plan-two";
            google.stubFor(post(urlEqualTo(VEO)).withRequestBody(matchingJsonPath("$.instances[0].prompt", containing(name)))
                    .willReturn(okJson("{\"name\": \"" + operation(block) + "\"}")));
        }
    }

    private static String operation(int block) {
        return "models/veo-3.1-generate-001/operations/op-" + block;
    }

    private void operationAnswers(int block, String body) {
        google.stubFor(get(urlPathEqualTo("/v1beta/" + operation(block))).willReturn(okJson(body)));
    }

    private void operationsDoneWithVideos() throws Exception {
        byte[] mp4 = Files.readAllBytes(Path.of(getClass().getResource("/veo/tiny.mp4").toURI()));
        for (int block = 1; block <= 2; block++) {
            operationAnswers(block, "{\"name\": \"" + operation(block) + "\", \"done\": true, \"response\": {"
                    + "\"@type\": \"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse\","
                    + "\"generateVideoResponse\": {\"generatedSamples\": [{\"video\": {\"uri\": "
                    + "\"https://generativelanguage.googleapis.com/v1beta/files/clip" + block + ":download?alt=media\"}}]}}}");
            google.stubFor(get(urlPathEqualTo("/v1beta/files/clip" + block + ":download")).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "video/mp4").withBody(mp4)));
        }
    }

    @Test
    void shouldResumePollingTheSameVeoOperationsAfterARestartAndComplete() throws Exception {
        // Given Veo operations still running when the server stops
        stubScript();
        for (int block = 1; block <= 2; block++) {
            operationAnswers(block, "{\"name\": \"" + operation(block) + "\", \"done\": false}");
        }
        RunningServer first = startServer();
        String token = first.api.newUser();
        String videoId = first.api.createVideo(token, "Les volcans d'Islande", 8);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline
                && (google.findAll(getRequestedFor(urlPathEqualTo("/v1beta/" + operation(1)))).isEmpty()
                || google.findAll(getRequestedFor(urlPathEqualTo("/v1beta/" + operation(2)))).isEmpty())) {
            Thread.sleep(50);
        }
        assertThat(google.findAll(postRequestedFor(urlEqualTo(VEO)))).hasSize(2);
        first.close();
        server = null;

        // When the operations finish while it is down, and it starts again on the same data
        operationsDoneWithVideos();
        RunningServer second = startServer();
        JsonNode view = second.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then the video completes from the same two operations: Veo was asked for no new clip
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
        assertThat(google.findAll(postRequestedFor(urlEqualTo(VEO)))).hasSize(2);
        assertThat(view.get("blocks").get(1).get("operation").asText()).isEqualTo(operation(2));
        // and the assembled video is served
        HttpResponse<byte[]> file = second.api.getBytes("/api/videos/" + videoId + "/file", token, Map.of());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body().length).isGreaterThan(1000);
    }

    @Test
    void shouldFailAThirdPartyBlockWithTheSeedsMessage() throws Exception {
        // Given Veo refusing block 2 for third-party content
        stubScript();
        operationsDoneWithVideos();
        operationAnswers(2, "{\"name\": \"" + operation(2) + "\", \"done\": true, \"response\": {"
                + "\"@type\": \"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse\","
                + "\"generateVideoResponse\": {\"raiMediaFilteredCount\": 1, \"raiMediaFilteredReasons\": "
                + "[\"The video could not be generated. Support codes: 35561575\"]}}}");
        RunningServer running = startServer();
        String token = running.api.newUser();

        // When a video is made
        String videoId = running.api.createVideo(token, "Un super-héros célèbre", 8);
        JsonNode view = running.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then it fails at block 2 with third_party_content and the seed's message, without a second try
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("failed");
        assertThat(view.get("error").get("code").asText()).isEqualTo("third_party_content");
        assertThat(view.get("error").get("stage").asText()).isEqualTo("block 2");
        assertThat(view.get("error").get("message").asText()).isEqualTo(
                "Impossible de générer du contenu protégé par copyright. Évitez les personnages/marques connus.");
        assertThat(google.findAll(postRequestedFor(urlEqualTo(VEO))
                .withRequestBody(matchingJsonPath("$.instances[0].prompt", containing("plan-two"))))).hasSize(1);
    }
}
