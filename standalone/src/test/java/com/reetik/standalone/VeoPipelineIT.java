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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
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

    private RunningServer startServer(int operationDeadlineSeconds) throws Exception {
        server = RunningServer.start(dataDir, Map.of("REETIK_AGENTS", "veo", "GOOGLE_API_KEY", "test-key",
                "REETIK_GENAI_BASE_URL", google.baseUrl(), "REETIK_POLL_INTERVAL_MS", "200",
                "REETIK_OPERATION_DEADLINE_S", String.valueOf(operationDeadlineSeconds), "REETIK_BLOCK_WORKERS", "2",
                "REETIK_MAX_ATTEMPTS", "2"), agents -> agents);
        return server;
    }

    private static String geminiAnswer(String text) {
        return "{\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": \""
                + text.replace("\"", "\\\"") + "\"}]}, \"finishReason\": \"STOP\"}]}";
    }

    /** Gemini writes two blocks for themes containing {@code [story]}; Veo answers each with its own operation. */
    private void stubStory(String story) {
        google.stubFor(post(urlEqualTo(GEMINI)).withRequestBody(containing("[" + story + "]"))
                .willReturn(okJson(geminiAnswer("{\"blocks\": ["
                + "{\"index\": 1, \"prompt\": \"plan-one-" + story + " aerial view\", \"narration\": \"Bienvenue.\", \"duration\": 4},"
                + "{\"index\": 2, \"prompt\": \"plan-two-" + story + " lava\", \"narration\": \"La lave coule.\", \"duration\": 4}]}"))));
        for (int block = 1; block <= 2; block++) {
            google.stubFor(post(urlEqualTo(VEO)).withRequestBody(matchingJsonPath("$.instances[0].prompt",
                            containing(prompt(story, block))))
                    .willReturn(okJson("{\"name\": \"" + operation(story, block) + "\"}")));
        }
    }

    private static String prompt(String story, int block) {
        return (block == 1 ? "plan-one-" : "plan-two-") + story;
    }

    private static String operation(String story, int block) {
        return "models/veo-3.1-generate-001/operations/" + story + "-" + block;
    }

    private void operationAnswers(String story, int block, String body) {
        google.stubFor(get(urlPathEqualTo("/v1beta/" + operation(story, block))).willReturn(okJson(body)));
    }

    private static String doneWith(String story, int block, String generateVideoResponse) {
        return "{\"name\": \"" + operation(story, block) + "\", \"done\": true, \"response\": {"
                + "\"@type\": \"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse\","
                + "\"generateVideoResponse\": " + generateVideoResponse + "}}";
    }

    private void operationsDoneWithVideos(String story) throws Exception {
        byte[] mp4 = Files.readAllBytes(Path.of(getClass().getResource("/veo/tiny.mp4").toURI()));
        for (int block = 1; block <= 2; block++) {
            String file = story + "clip" + block;
            operationAnswers(story, block, doneWith(story, block, "{\"generatedSamples\": [{\"video\": {\"uri\": "
                    + "\"https://generativelanguage.googleapis.com/v1beta/files/" + file + ":download?alt=media\"}}]}"));
            google.stubFor(get(urlPathEqualTo("/v1beta/files/" + file + ":download")).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "video/mp4").withBody(mp4)));
        }
    }

    private int veoStarts(String story, int block) {
        return google.findAll(postRequestedFor(urlEqualTo(VEO))
                .withRequestBody(matchingJsonPath("$.instances[0].prompt", containing(prompt(story, block))))).size();
    }

    @Test
    void shouldResumePollingTheSameVeoOperationsAfterARestartAndComplete() throws Exception {
        // Given Veo operations still running when the server stops
        stubStory("resume");
        for (int block = 1; block <= 2; block++) {
            operationAnswers("resume", block, "{\"name\": \"" + operation("resume", block) + "\", \"done\": false}");
        }
        RunningServer first = startServer(300);
        String token = first.api.newUser();
        String videoId = first.api.createVideo(token, "Les volcans d'Islande [resume]", 8);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline
                && (google.findAll(getRequestedFor(urlPathEqualTo("/v1beta/" + operation("resume", 1)))).isEmpty()
                || google.findAll(getRequestedFor(urlPathEqualTo("/v1beta/" + operation("resume", 2)))).isEmpty())) {
            Thread.sleep(50);
        }
        assertThat(google.findAll(postRequestedFor(urlEqualTo(VEO)))).hasSize(2);
        first.close();
        server = null;

        // When the operations finish while it is down, and it starts again on the same data
        operationsDoneWithVideos("resume");
        RunningServer second = startServer(300);
        JsonNode view = second.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then the video completes from the same two operations: Veo was asked for no new clip
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
        assertThat(google.findAll(postRequestedFor(urlEqualTo(VEO)))).hasSize(2);
        assertThat(second.internalView(videoId).get("blocks").get(1).get("operation").asText())
                .isEqualTo(operation("resume", 2));
        // which the API does not show (operation names hold the cloud project)
        assertThat(view.get("blocks").get(1).get("operation").isNull()).isTrue();
        // and the assembled video is served
        HttpResponse<byte[]> file = second.api.getBytes("/api/videos/" + videoId + "/file", token, Map.of());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body().length).isGreaterThan(1000);
    }

    @Test
    void shouldCompleteAfterATransientQuotaErrorAndFailEachWayWithTheRightCodeMessageAndStage() throws Exception {
        // Given one story per theme
        stubStory("ok");
        operationsDoneWithVideos("ok");
        google.stubFor(post(urlEqualTo(VEO)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.instances[0].prompt", containing(prompt("ok", 1))))
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 429, \"message\": \"Resource has been exhausted\", "
                                + "\"status\": \"RESOURCE_EXHAUSTED\"}}"))
                .willSetStateTo("free"));
        stubStory("filtered");
        operationsDoneWithVideos("filtered");
        operationAnswers("filtered", 2, doneWith("filtered", 2, "{\"raiMediaFilteredCount\": 1, "
                + "\"raiMediaFilteredReasons\": [\"The prompt could not be submitted: it violates the usage guidelines.\"]}"));
        stubStory("third");
        operationsDoneWithVideos("third");
        operationAnswers("third", 2, doneWith("third", 2, "{\"raiMediaFilteredCount\": 1, \"raiMediaFilteredReasons\": "
                + "[\"The video could not be generated. Support codes: 35561575\"]}"));
        stubStory("broken");
        operationsDoneWithVideos("broken");
        google.stubFor(get(urlPathEqualTo("/v1beta/files/brokenclip2:download")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "video/mp4").withBody("this is not a video")));
        stubStory("forever");
        operationsDoneWithVideos("forever");
        operationAnswers("forever", 1, "{\"name\": \"" + operation("forever", 1) + "\", \"done\": false}");
        stubStory("quota");
        operationsDoneWithVideos("quota");
        google.stubFor(post(urlEqualTo(VEO)).withRequestBody(matchingJsonPath("$.instances[0].prompt",
                        containing(prompt("quota", 2))))
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": 429, \"message\": \"Quota exceeded for "
                                + "aiplatform.googleapis.com/online_prediction_requests_per_base_model\", "
                                + "\"status\": \"RESOURCE_EXHAUSTED\"}}")));
        // (a 10 s operation deadline: the operation of [forever] never finishes; the others finish at their first
        // check, 200 ms after they start)
        RunningServer running = startServer(10);
        String token = running.api.newUser();

        // When one video is made per story
        Map<String, String> ids = new java.util.HashMap<>();
        for (String story : new String[] {"ok", "filtered", "third", "broken", "quota", "forever"}) {
            ids.put(story, running.api.createVideo(token, "Histoire [" + story + "]", 8));
        }

        // Then a 429 is retried and the video completes, block 1 started twice and block 2 once
        JsonNode ok = running.api.awaitTerminal(ids.get("ok"), token, Duration.ofMinutes(2));
        assertThat(ok.get("status").asText()).as(ok.toString()).isEqualTo("completed");
        assertThat(veoStarts("ok", 1)).isEqualTo(2);
        assertThat(veoStarts("ok", 2)).isEqualTo(1);
        // and each other story fails with its code, the seed's French message and its stage
        running.assertFailed(token, ids.get("filtered"), "usage_guidelines", "block 2",
                "Le contenu demandé ne respecte pas les règles de sécurité de Google. Essayez un thème différent.");
        assertThat(veoStarts("filtered", 2)).as("usage guidelines: retried once").isEqualTo(2);
        running.assertFailed(token, ids.get("third"), "third_party_content", "block 2",
                "Impossible de générer du contenu protégé par copyright. Évitez les personnages/marques connus.");
        assertThat(veoStarts("third", 2)).as("third-party content: not retried").isEqualTo(1);
        running.assertFailed(token, ids.get("broken"), "assembly_failed", "assembly",
                "Erreur lors de l'assemblage de la vidéo. Contactez le support.");
        running.assertFailed(token, ids.get("quota"), "quota_exceeded", "block 2",
                "Quota API dépassé. Réessayez dans quelques minutes.");
        assertThat(veoStarts("quota", 2)).as("quota: retried, then given up").isGreaterThan(1);
        // and a block whose operation never finishes fails at that block with operation_timeout
        running.assertFailed(token, ids.get("forever"), "operation_timeout", "block 1",
                "La génération a pris trop de temps. Réessayez avec une durée plus courte.");
    }
}
