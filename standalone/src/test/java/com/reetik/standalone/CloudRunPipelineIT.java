package com.reetik.standalone;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The whole product with REETIK_AGENTS=cloud-run against HTTP stubs (WireMock) of the four Cloud Run
 * agents, following the contract in docs/agents.md. Each theme routes to an agent video id whose stubs
 * play one story: success, transient errors, safety filter, third-party content, quota, an operation
 * that never ends, an assembler error, and a restart while operations are pending.
 */
@Timeout(600)
class CloudRunPipelineIT {

    private static final String BUCKET = "gs://tiktok-pipeline-v2-artifacts-test";

    @TempDir
    Path dataDir;

    private WireMockServer agents;
    private RunningServer server;

    /** What the check agent answers, by agent video id and block index (a JSON object per clip). */
    private final Map<String, Map<String, String>> clipStates = new ConcurrentHashMap<>();

    @BeforeEach
    void startAgents() {
        agents = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new CheckAgent()));
        agents.start();
        agents.stubFor(post(urlEqualTo("/check/check")).willReturn(aResponse().withTransformers(CheckAgent.NAME)));
    }

    /**
     * The check-and-retry agent as docs/agents.md describes it: one call asks about any operations of one video
     * ({@code {"video_id", "operations": {"<block>": operation}}}) and {@code clips_status} answers each it knows.
     */
    private final class CheckAgent implements ResponseDefinitionTransformerV2 {
        static final String NAME = "check-agent";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            JsonNode body = new ObjectMapper().readTree(event.getRequest().getBodyAsString());
            Map<String, String> states = clipStates.getOrDefault(body.get("video_id").asText(), Map.of());
            StringBuilder status = new StringBuilder();
            for (String block : body.get("operations").propertyNames()) {
                if (states.containsKey(block)) {
                    status.append(status.length() == 0 ? "" : ",").append('"').append(block).append("\":")
                            .append(states.get(block));
                }
            }
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"clips_status\":{" + status + "}}").build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        agents.stop();
    }

    private RunningServer startServer() throws Exception {
        return startServer(3);
    }

    private RunningServer startServer(int operationDeadlineSeconds) throws Exception {
        String base = "http://127.0.0.1:" + agents.port();
        Map<String, String> env = new HashMap<>();
        env.put("REETIK_AGENTS", "cloud-run");
        env.put("AGENT_SCRIPT_V2", base + "/script");
        env.put("AGENT_VIDEO_V2", base + "/video");
        env.put("CHECK_AND_RETRY", base + "/check");
        env.put("AGENT_ASSEMBLER_V2", base + "/assembler");
        env.put("REETIK_AGENT_MAX_RETRIES", "2");
        env.put("REETIK_AGENT_INITIAL_BACKOFF_MS", "20");
        env.put("REETIK_POLL_INTERVAL_MS", "200");
        env.put("REETIK_OPERATION_DEADLINE_S", String.valueOf(operationDeadlineSeconds));
        env.put("REETIK_MAX_ATTEMPTS", "2");
        env.put("REETIK_BLOCK_WORKERS", "2");
        server = RunningServer.start(dataDir, env, port -> port);
        return server;
    }

    /** The script agent answers {@code blocks} 4 s blocks under its own id for themes containing {@code marker}. */
    private void scriptFor(String marker, String agentId, int blocks) {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= blocks; i++) {
            list.append(i > 1 ? "," : "").append("{\"index\":").append(i).append(",\"prompt\":\"plan ").append(i)
                    .append("\",\"narration\":\"ligne ").append(i).append("\",\"duration\":4}");
        }
        agents.stubFor(post(urlEqualTo("/script/generate")).withRequestBody(matchingJsonPath("$.theme", containing(marker)))
                .willReturn(okJson("{\"video_id\":\"" + agentId + "\",\"blocks\":[" + list + "],\"model\":\"gemini\"}")));
    }

    private void operationFor(String agentId, int block) {
        agents.stubFor(post(urlEqualTo("/video/generate"))
                .withRequestBody(matchingJsonPath("$.video_id", equalTo(agentId)))
                .withRequestBody(matchingJsonPath("$.block_index", equalTo(String.valueOf(block))))
                .willReturn(okJson("{\"operation\":\"operations/" + agentId + "-" + block + "\"}")));
    }

    private void checkAnswers(String agentId, int block, String status) {
        clipStates.computeIfAbsent(agentId, id -> new ConcurrentHashMap<>()).put(Integer.toString(block), status);
    }

    private static String done(String agentId, int block) {
        return "{\"state\":\"done\",\"clip_uri\":\"" + BUCKET + "/" + agentId + "/clips/block_" + block
                + ".mp4\",\"duration\":4}";
    }

    private void assemblerFor(String agentId, int blocks) {
        agents.stubFor(post(urlEqualTo("/assembler/assemble")).withRequestBody(matchingJsonPath("$.video_id", equalTo(agentId)))
                .willReturn(okJson("{\"final_url\":\"" + BUCKET + "/" + agentId + "/final.mp4\",\"duration\":"
                        + (blocks * 4) + "}")));
    }

    private void happyAgent(String marker, String agentId, int blocks) {
        scriptFor(marker, agentId, blocks);
        for (int i = 1; i <= blocks; i++) {
            operationFor(agentId, i);
            checkAnswers(agentId, i, done(agentId, i));
        }
        assemblerFor(agentId, blocks);
    }

    private int generateCalls(String agentId, int block) {
        return agents.findAll(postRequestedFor(urlEqualTo("/video/generate"))
                .withRequestBody(matchingJsonPath("$.video_id", equalTo(agentId)))
                .withRequestBody(matchingJsonPath("$.block_index", equalTo(String.valueOf(block))))).size();
    }

    @Test
    void shouldCompleteWithTheAgentsIdsAndBucketPathsAndRetryTransientErrors() throws Exception {
        // Given agents that work, but whose video agent fails once with 500 for block 1 and 429 for block 2
        happyAgent("[ok]", "agent_ok_1", 3);
        agents.stubFor(post(urlEqualTo("/video/generate")).inScenario("flaky-1").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.block_index", equalTo("1")))
                .willReturn(aResponse().withStatus(500).withBody("backend error")).willSetStateTo("recovered"));
        agents.stubFor(post(urlEqualTo("/video/generate")).inScenario("flaky-2").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.block_index", equalTo("2")))
                .willReturn(aResponse().withStatus(429).withBody("RESOURCE_EXHAUSTED")).willSetStateTo("recovered"));
        RunningServer running = startServer();
        String token = running.api.newUser();

        // When a video is made
        String videoId = running.api.createVideo(token, "Les volcans [ok]", 12);
        JsonNode view = running.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then it completes at the agent's bucket path, the agent's id is kept (in the services' view; the API shows
        // neither, only the file's own URL)
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
        assertThat(view.get("final_url").asText()).isEqualTo("/api/videos/" + videoId + "/file");
        assertThat(view.get("agent_video_id").isNull()).isTrue();
        JsonNode internal = running.internalView(videoId);
        assertThat(internal.get("final_url").asText()).isEqualTo(BUCKET + "/agent_ok_1/final.mp4");
        assertThat(internal.get("agent_video_id").asText()).isEqualTo("agent_ok_1");
        assertThat(internal.get("blocks").get(0).get("clip_uri").asText()).isEqualTo(BUCKET + "/agent_ok_1/clips/block_1.mp4");
        // and the failed calls were retried, with no block that succeeded requested twice
        assertThat(generateCalls("agent_ok_1", 1)).isEqualTo(2);
        assertThat(generateCalls("agent_ok_1", 2)).isEqualTo(2);
        assertThat(generateCalls("agent_ok_1", 3)).isEqualTo(1);
        agents.verify(1, postRequestedFor(urlEqualTo("/assembler/assemble")));

        // and a request with a reference image, which the Cloud Run agents cannot take, is refused before anything
        // is sent to them: a 400 saying so, and no script asked for
        int scripts = agents.findAll(postRequestedFor(urlEqualTo("/script/generate"))).size();
        java.net.http.HttpResponse<String> refused = running.api.post("/api/videos", token, java.util.Map.of(
                "theme", "Les volcans [refs]", "target_duration", 8, "reference_images", java.util.List.of(java.util.Map.of(
                        "mime_type", "image/jpeg", "data", "/9j/4AAQSkZJRgABAQ=="))), java.util.Map.of());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"reference_images\"")
                .contains("The Cloud Run agents take no reference images");
        assertThat(agents.findAll(postRequestedFor(urlEqualTo("/script/generate")))).hasSize(scripts);
    }

    @Test
    void shouldFailEachWayWithTheRightCodeMessageAndStage() throws Exception {
        // Given agents with one story per theme
        happyAgent("[filtered]", "agent_filtered", 2);
        checkAnswers("agent_filtered", 2, "{\"state\":\"failed\",\"error\":\"raiMediaFilteredCount: 1, "
                + "the prompt violates Google's usage guidelines\"}");
        happyAgent("[third]", "agent_third", 2);
        checkAnswers("agent_third", 1, "{\"state\":\"failed\",\"error\":{\"code\":3,\"message\":\"Support codes: 35561575\"}}");
        happyAgent("[quota]", "agent_quota", 2);
        agents.stubFor(post(urlEqualTo("/video/generate")).withRequestBody(matchingJsonPath("$.video_id", equalTo("agent_quota")))
                .withRequestBody(matchingJsonPath("$.block_index", equalTo("2")))
                .willReturn(aResponse().withStatus(429).withBody("{\"error\":{\"status\":\"RESOURCE_EXHAUSTED\"}}")));
        happyAgent("[forever]", "agent_forever", 1);
        checkAnswers("agent_forever", 1, "{\"state\":\"running\"}");
        happyAgent("[assembly]", "agent_assembly", 1);
        agents.stubFor(post(urlEqualTo("/assembler/assemble")).withRequestBody(matchingJsonPath("$.video_id", equalTo("agent_assembly")))
                .willReturn(aResponse().withStatus(500).withBody("ffmpeg: concat failed")));
        RunningServer running = startServer();
        String token = running.api.newUser();

        // When one video is made per story
        Map<String, String> ids = new HashMap<>();
        for (String story : new String[] {"filtered", "third", "forever", "assembly"}) {
            ids.put(story, running.api.createVideo(token, "Histoire [" + story + "]", 8));
        }

        // Then each fails with its code, the seed's French message and its stage
        running.assertFailed(token, ids.get("filtered"), "usage_guidelines", "block 2",
                "Le contenu demandé ne respecte pas les règles de sécurité de Google. Essayez un thème différent.");
        assertThat(generateCalls("agent_filtered", 2)).as("usage_guidelines retried once").isEqualTo(2);
        running.assertFailed(token, ids.get("third"), "third_party_content", "block 1",
                "Impossible de générer du contenu protégé par copyright. Évitez les personnages/marques connus.");
        assertThat(generateCalls("agent_third", 1)).as("third-party content not retried").isEqualTo(1);
        running.assertFailed(token, ids.get("forever"), "operation_timeout", "block 1",
                "La génération a pris trop de temps. Réessayez avec une durée plus courte.");
        running.assertFailed(token, ids.get("assembly"), "assembly_failed", "assembly",
                "Erreur lors de l'assemblage de la vidéo. Contactez le support.");

        // When the video agent answers 429 to every try of a block (last: its failures also open the circuit)
        String quota = running.api.createVideo(token, "Histoire [quota]", 8);

        // Then that video fails with quota_exceeded at that block
        running.assertFailed(token, quota, "quota_exceeded", "block 2",
                "Quota API dépassé. Réessayez dans quelques minutes.");
    }


    @Test
    void shouldResumePollingTheSameOperationsAfterARestart() throws Exception {
        // Given operations that are still running when the server stops
        scriptFor("[resume]", "agent_resume", 2);
        for (int i = 1; i <= 2; i++) {
            operationFor("agent_resume", i);
            checkAnswers("agent_resume", i, "{\"state\":\"running\"}");
        }
        assemblerFor("agent_resume", 2);
        RunningServer first = startServer(300);
        String token = first.api.newUser();
        String videoId = first.api.createVideo(token, "Reprise [resume]", 8);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (agents.findAll(postRequestedFor(urlEqualTo("/check/check"))).size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        first.close();
        server = null;

        // When the operations finish while it is down, and it starts again on the same data
        for (int i = 1; i <= 2; i++) {
            checkAnswers("agent_resume", i, done("agent_resume", i));
        }
        RunningServer second = startServer(300);
        JsonNode view = second.api.awaitTerminal(videoId, token, Duration.ofMinutes(2));

        // Then the video completes from the same operations: no block was submitted again
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("completed");
        assertThat(generateCalls("agent_resume", 1)).isEqualTo(1);
        assertThat(generateCalls("agent_resume", 2)).isEqualTo(1);
        assertThat(second.internalView(videoId).get("blocks").get(0).get("operation").asText())
                .isEqualTo("operations/agent_resume-1");
        // and the video's two operations, due together after the restart, were checked in one call
        assertThat(agents.findAll(postRequestedFor(urlEqualTo("/check/check"))
                .withRequestBody(matchingJsonPath("$.operations['1']"))
                .withRequestBody(matchingJsonPath("$.operations['2']")))).isNotEmpty();
    }
}
