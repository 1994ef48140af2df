package com.reetik.bridge.veo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.OperationPolling;
import com.reetik.bridge.agent.Script;
import com.reetik.bridge.local.Ffmpeg;
import com.reetik.bridge.local.FfmpegAssembler;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The veo adapter, with the real Gen AI SDK, against WireMock stubs of the Gemini API's REST endpoints. */
@Timeout(60)
class VeoAgentsTest {

    private static final String GEMINI = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String VEO = "/v1beta/models/veo-3.1-generate-001:predictLongRunning";
    private static final String OPERATION = "models/veo-3.1-generate-001/operations/op-123";
    private static final VideoRequest REQUEST = new VideoRequest("Les volcans d'Islande", 16, "informative", "fr",
            "9:16");

    @TempDir
    Path dir;

    private WireMockServer server;
    private LocalObjectStore store;
    private VeoAgents agents;

    @BeforeEach
    void startStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        store = new LocalObjectStore(dir.resolve("videos"));
        agents = agents(settings());
    }

    @AfterEach
    void stopStub() {
        agents.close();
        server.stop();
    }

    private VeoProperties settings() {
        return VeoProperties.forApiKey("test-key", server.baseUrl()).withSdkAttempts(1);
    }

    private VeoAgents agents(VeoProperties settings) {
        FfmpegAssembler assembler = new FfmpegAssembler(new Ffmpeg(Optional.empty(), dir.resolve("bin")), store,
                dir.resolve("assembly"));
        return new VeoAgents(settings, OperationPolling.DEFAULT, store, dir.resolve("work"), assembler);
    }

    private static ClipRequest clip(int attempt) {
        return new ClipRequest("vid-1", null, 3, new ScriptBlock(2, "A lava flow at night", "La lave coule.", 6),
                attempt, REQUEST);
    }

    /** A Gemini answer whose text is {@code text}. */
    private static String geminiAnswer(String text) {
        return "{\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": "
                + jsonString(text) + "}]}, \"finishReason\": \"STOP\"}]}";
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static final String VALID_SCRIPT = "{\"blocks\": ["
            + "{\"index\": 2, \"prompt\": \"Steam over a crater\", \"narration\": \"La terre respire.\", \"duration\": 8},"
            + "{\"index\": 1, \"prompt\": \"Aerial view of Iceland\", \"narration\": \"Bienvenue en Islande.\", \"duration\": 8}]}";

    private static final String SHORT_SCRIPT = "{\"blocks\": ["
            + "{\"index\": 1, \"prompt\": \"Aerial view\", \"narration\": \"Bonjour.\", \"duration\": 4}]}";

    private void stubOperation(String body) {
        server.stubFor(get(urlPathEqualTo("/v1beta/" + OPERATION)).willReturn(okJson(body)));
    }

    private static String doneWith(String generateVideoResponse) {
        return "{\"name\": \"" + OPERATION + "\", \"done\": true, \"response\": {\"@type\": "
                + "\"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse\", "
                + "\"generateVideoResponse\": " + generateVideoResponse + "}}";
    }

    // ------------------------------------------------------------------ script

    @Test
    void carriesGeminisVisualBriefIntoEveryBlocksPrompt() throws Exception {
        // Given Gemini answers a script with its visual brief, as it is asked to
        String briefed = "{\"visual_brief\": \"A red-haired geologist in a yellow parka; black basalt, white steam, "
                + "teal glacier water; slow handheld moves.\", \"blocks\": ["
                + "{\"index\": 1, \"prompt\": \"Aerial view of Iceland\", \"narration\": \"Bienvenue.\", \"duration\": 8},"
                + "{\"index\": 2, \"prompt\": \"Steam over a crater\", \"narration\": \"La terre respire.\", \"duration\": 8}]}";
        server.stubFor(post(urlEqualTo(GEMINI)).willReturn(okJson(geminiAnswer(briefed))));

        // When the script is written
        Script script = agents.writeScript("vid-1", REQUEST);

        // Then every block's prompt, what Veo is sent, opens with the same brief, then its own shot
        String brief = "Visual brief: A red-haired geologist in a yellow parka; black basalt, white steam, teal glacier "
                + "water; slow handheld moves. Shot: ";
        assertThat(script.blocks()).extracting(ScriptBlock::prompt)
                .containsExactly(brief + "Aerial view of Iceland", brief + "Steam over a crater");
        // and Gemini was asked for the brief, in its schema and its instruction
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI))
                .withRequestBody(matchingJsonPath("$.generationConfig.responseSchema.properties.visual_brief"))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[0].text",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("visual_brief"))));
    }

    @Test
    void writesTheScriptFromGeminisStructuredAnswerSortedByIndex() throws Exception {
        // Given Gemini answers a valid script (blocks out of order)
        server.stubFor(post(urlEqualTo(GEMINI)).willReturn(okJson(geminiAnswer(VALID_SCRIPT))));

        // When the script is written
        Script script = agents.writeScript("vid-1", REQUEST);

        // Then the blocks are sorted, and Gemini was asked for JSON with a schema, with the key, in French
        assertThat(script.blocks()).extracting(ScriptBlock::index).containsExactly(1, 2);
        assertThat(script.blocks().get(0)).isEqualTo(
                new ScriptBlock(1, "Aerial view of Iceland", "Bienvenue en Islande.", 8));
        assertThat(script.agentVideoId()).isNull();
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI))
                .withHeader("x-goog-api-key", equalTo("test-key"))
                .withRequestBody(matchingJsonPath("$.generationConfig.responseMimeType", equalTo("application/json")))
                .withRequestBody(matchingJsonPath("$.generationConfig.responseSchema.properties.blocks"))
                .withRequestBody(matchingJsonPath("$.contents[0].parts[0].text",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("French"))));
    }

    @Test
    void asksAgainOnceWhenTheFirstScriptIsMalformed() throws Exception {
        // Given Gemini first answers a script too short for the target, then a valid one
        server.stubFor(post(urlEqualTo(GEMINI)).inScenario("script").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(geminiAnswer(SHORT_SCRIPT))).willSetStateTo("second"));
        server.stubFor(post(urlEqualTo(GEMINI)).inScenario("script").whenScenarioStateIs("second")
                .willReturn(okJson(geminiAnswer(VALID_SCRIPT))));

        // When the script is written
        Script script = agents.writeScript("vid-1", REQUEST);

        // Then the second answer is used, and the second question said what was wrong
        assertThat(script.blocks()).hasSize(2);
        server.verify(2, postRequestedFor(urlEqualTo(GEMINI)));
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI)).withRequestBody(matchingJsonPath(
                "$.contents[0].parts[0].text",
                com.github.tomakehurst.wiremock.client.WireMock.containing("less than the target of 16 s"))));
    }

    @Test
    void failsClearlyWhenBothScriptsAreMalformed() {
        // Given Gemini answers something that is not JSON, twice
        server.stubFor(post(urlEqualTo(GEMINI)).willReturn(okJson(geminiAnswer("Voici votre script : bla"))));

        // When the script is written
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.writeScript("vid-1", REQUEST));

        // Then it fails, not retryable, with a message naming the stage and the problem
        assertThat(e.code()).isEqualTo(ErrorCode.DEFAULT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("script: ").contains("no usable script").contains("not JSON");
        server.verify(2, postRequestedFor(urlEqualTo(GEMINI)));
    }

    // ------------------------------------------------------------------ Veo's rules, before paying

    /** Like the Gemini API: at 1080p and 4k, Veo 3.1 makes 8 s clips only, and refuses any other length. */
    private void stubVeoThatRefusesWhatGoogleRefuses() {
        stubVeoRefusing("1080p is only supported with durationSeconds 8",
                "$.parameters[?(@.resolution == '1080p' || @.resolution == '4k')]",
                "$.parameters[?(@.durationSeconds != 8)]");
    }

    /** Veo answering Google's 400 INVALID_ARGUMENT with {@code message} to a request matching every JSON path. */
    private void stubVeoRefusing(String message, String... jsonPaths) {
        var refused = post(urlEqualTo(VEO)).atPriority(1);
        for (String path : jsonPaths) {
            refused = refused.withRequestBody(matchingJsonPath(path));
        }
        server.stubFor(refused.willReturn(com.github.tomakehurst.wiremock.client.WireMock.jsonResponse(
                "{\"error\": {\"code\": 400, \"message\": \"" + message + "\", \"status\": \"INVALID_ARGUMENT\"}}", 400)));
        server.stubFor(post(urlEqualTo(VEO)).atPriority(5).willReturn(okJson("{\"name\": \"" + OPERATION + "\"}")));
    }

    @Test
    void plansOnly8SecondBlocksAt1080pOnTheGeminiApiAndAsksAgainWhenTheScriptHasShorterOnes() throws Exception {
        // Given 1080p on the Gemini API, and Gemini answering 8, 8, 8, 8 and 4 s for 36 s, then five 8 s blocks
        VeoAgents hd = agents(settings().withResolution("1080p"));
        String mixed = "{\"blocks\": [" + blocks(8, 8, 8, 8, 4) + "]}";
        String eights = "{\"blocks\": [" + blocks(8, 8, 8, 8, 8) + "]}";
        server.stubFor(post(urlEqualTo(GEMINI)).inScenario("hd").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(geminiAnswer(mixed))).willSetStateTo("second"));
        server.stubFor(post(urlEqualTo(GEMINI)).inScenario("hd").whenScenarioStateIs("second")
                .willReturn(okJson(geminiAnswer(eights))));
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 36, "informative", "fr", "9:16");

        // When the script is written
        Script script = hd.writeScript("vid-hd", request);

        // Then it was asked for 8 s blocks only, the answer with a 4 s block was refused saying why, and the
        // script is five blocks of 8 s
        server.verify(2, postRequestedFor(urlEqualTo(GEMINI)).withRequestBody(matchingJsonPath(
                "$.contents[0].parts[0].text", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "duration (8 seconds)"))));
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI)).withRequestBody(matchingJsonPath(
                "$.contents[0].parts[0].text", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "should be 8 (at 1080p the Gemini API makes only 8 s clips), not 4"))));
        assertThat(script.blocks()).extracting(ScriptBlock::durationS).containsExactly(8, 8, 8, 8, 8);
        hd.close();
    }

    @Test
    void neverAsksVeoForAClipLengthItRefusesAndSaysWhoMayAppear() throws Exception {
        // Given Veo refusing what Google refuses, at 1080p on the Gemini API
        stubVeoThatRefusesWhatGoogleRefuses();
        VeoAgents hd = agents(settings().withResolution("1080p"));

        // When a block planned at 6 s is started (a script from before the rules, a retry of an old video)
        ClipProgress progress = hd.startClip(clip(1));

        // Then it is asked as an 8 s clip, accepted, with the person-generation setting text-to-video takes
        assertThat(progress).isEqualTo(new ClipProgress.Pending(OPERATION));
        server.verify(1, postRequestedFor(urlEqualTo(VEO))
                .withRequestBody(matchingJsonPath("$.parameters.durationSeconds", equalTo("8")))
                .withRequestBody(matchingJsonPath("$.parameters.resolution", equalTo("1080p")))
                .withRequestBody(matchingJsonPath("$.parameters.personGeneration", equalTo("allow_all"))));
        hd.close();
    }

    @Test
    void sendsTheVideosReferenceImagesAsAssetsInAn8SecondClipThatAllowsAdultsOnly() throws Exception {
        // Given a video with two reference images stored beside it, and a Veo that refuses, as the Gemini API's
        // guide says, reference images with a length other than 8 s or a person setting other than allow_adult
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 4, 5, 6};
        Path file = Files.write(dir.resolve("ref"), png);
        store.put(ObjectKeys.referenceImage("vid-1", 1, "image/png"), file);
        Files.write(file, jpeg);
        store.put(ObjectKeys.referenceImage("vid-1", 2, "image/jpeg"), file);
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 16, "informative", "fr", "9:16", null, null,
                List.of(new ReferenceImage("image/png", "a".repeat(64), png.length),
                        new ReferenceImage("image/jpeg", "b".repeat(64), jpeg.length)));
        stubVeoRefusing("reference images need durationSeconds 8 and personGeneration allow_adult",
                "$.instances[0].referenceImages",
                "$.parameters[?(@.durationSeconds != 8 || @.personGeneration != 'allow_adult')]");

        // When its block 2, planned at 6 s, is started
        ClipProgress progress = agents.startClip(new ClipRequest("vid-1", null, 3,
                new ScriptBlock(2, "A lava flow at night", "La lave coule.", 6), 1, request));

        // Then Veo accepted it: both images went as "asset" references with their bytes, in an 8 s clip
        assertThat(progress).isEqualTo(new ClipProgress.Pending(OPERATION));
        server.verify(1, postRequestedFor(urlEqualTo(VEO))
                .withRequestBody(matchingJsonPath("$.instances[0].referenceImages[0].referenceType", equalTo("asset")))
                .withRequestBody(matchingJsonPath("$.instances[0].referenceImages[0].image.bytesBase64Encoded",
                        equalTo(java.util.Base64.getEncoder().encodeToString(png))))
                .withRequestBody(matchingJsonPath("$.instances[0].referenceImages[0].image.mimeType", equalTo("image/png")))
                .withRequestBody(matchingJsonPath("$.instances[0].referenceImages[1].image.bytesBase64Encoded",
                        equalTo(java.util.Base64.getEncoder().encodeToString(jpeg))))
                .withRequestBody(matchingJsonPath("$.parameters.durationSeconds", equalTo("8")))
                .withRequestBody(matchingJsonPath("$.parameters.personGeneration", equalTo("allow_adult"))));
    }

    @Test
    void plansOnly8SecondBlocksForAVideoWithReferenceImagesAndRefusesThemWithAModelThatTakesNone() throws Exception {
        // Given a video with a reference image, and Gemini answering 8 s blocks
        VideoRequest request = new VideoRequest("Les volcans d'Islande", 16, "informative", "fr", "9:16", null, null,
                List.of(new ReferenceImage("image/png", "a".repeat(64), 11)));
        server.stubFor(post(urlEqualTo(GEMINI)).willReturn(okJson(geminiAnswer(VALID_SCRIPT))));

        // When its script is written
        Script script = agents.writeScript("vid-refs", request);

        // Then Gemini was asked for 8 s blocks only, saying why
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI)).withRequestBody(matchingJsonPath(
                "$.contents[0].parts[0].text", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "duration (8 seconds)"))));
        assertThat(script.blocks()).extracting(ScriptBlock::durationS).containsExactly(8, 8);

        // When the model is one without reference images (Veo 3.0)
        VeoAgents older = agents(settings().withVeoModel("veo-3.0-generate-001"));
        AgentException refused = catchThrowableOfType(AgentException.class,
                () -> older.writeScript("vid-old", request));

        // Then the video fails at its script, before any clip is paid, saying why; nothing more reached Google
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).isEqualTo("script: The Veo model veo-3.0-generate-001 takes no reference"
                + " images (Veo 3.1 and Veo 3.1 Fast do): send the request without reference_images.");
        server.verify(1, postRequestedFor(urlEqualTo(GEMINI)));
        older.close();
    }

    @Test
    void theStubRefusesA4SecondClipAt1080pAsGoogleDoes() {
        // The stub the two tests above rely on does refuse what Google refuses: a raw request for 4 s at 1080p
        stubVeoThatRefusesWhatGoogleRefuses();
        var response = java.net.http.HttpClient.newHttpClient()
                .sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + VEO))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instances\": [{\"prompt\": \"x\"}], "
                                + "\"parameters\": {\"durationSeconds\": 4, \"resolution\": \"1080p\"}}"))
                        .header("Content-Type", "application/json").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).join();
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("INVALID_ARGUMENT", "1080p is only supported with durationSeconds 8");
    }

    private static String blocks(int... durations) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < durations.length; i++) {
            out.append(i == 0 ? "" : ",").append("{\"index\": ").append(i + 1).append(", \"prompt\": \"Shot ")
                    .append(i + 1).append("\", \"narration\": \"Ligne ").append(i + 1).append(".\", \"duration\": ")
                    .append(durations[i]).append('}');
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ clips

    @Test
    void startClipAnswersPendingWithTheOperationNameAndSendsModelAspectRatioAndDuration() throws Exception {
        // Given Veo accepts the generation
        server.stubFor(post(urlEqualTo(VEO)).willReturn(okJson("{\"name\": \"" + OPERATION + "\"}")));

        // When block 2 is started
        ClipProgress progress = agents.startClip(clip(1));

        // Then it is pending on the stub's operation, and the request carried the settings and the block
        assertThat(progress).isEqualTo(new ClipProgress.Pending(OPERATION));
        server.verify(1, postRequestedFor(urlEqualTo(VEO))
                .withHeader("x-goog-api-key", equalTo("test-key"))
                .withRequestBody(matchingJsonPath("$.instances[0].prompt",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("A lava flow at night")))
                .withRequestBody(matchingJsonPath("$.instances[0].prompt",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("La lave coule.")))
                .withRequestBody(matchingJsonPath("$.parameters.aspectRatio", equalTo("9:16")))
                .withRequestBody(matchingJsonPath("$.parameters.durationSeconds", equalTo("6")))
                .withRequestBody(matchingJsonPath("$.parameters.resolution", equalTo("720p")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("generateAudio")));
    }

    @Test
    void pollClipStoresInlineVideoBytesAsGiven() throws Exception {
        // Given a done operation carrying the video's bytes inline (base64)
        byte[] bytes = {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3};
        stubOperation(doneWith("{\"generatedSamples\": [{\"video\": {\"encodedVideo\": \""
                + java.util.Base64.getEncoder().encodeToString(bytes) + "\", \"encoding\": \"video/mp4\"}}]}"));

        // When it is polled
        ClipProgress progress = agents.pollClip(clip(1), OPERATION);

        // Then the bytes are stored at the block's key
        assertThat(progress).isInstanceOf(ClipProgress.Done.class);
        assertThat(Files.readAllBytes(store.localFile(ObjectKeys.clip("vid-1", 2)).orElseThrow())).isEqualTo(bytes);
    }

    @Test
    void startClipUsesTheConfiguredModel() throws Exception {
        // Given the fast model is configured
        agents.close();
        agents = agents(settings().withVeoModel(VeoProperties.FAST_VEO_MODEL));
        server.stubFor(post(urlEqualTo("/v1beta/models/veo-3.1-fast-generate-001:predictLongRunning"))
                .willReturn(okJson("{\"name\": \"models/veo-3.1-fast-generate-001/operations/f1\"}")));

        // When a clip is started
        ClipProgress progress = agents.startClip(clip(1));

        // Then the fast model's endpoint was called
        assertThat(progress).isEqualTo(new ClipProgress.Pending("models/veo-3.1-fast-generate-001/operations/f1"));
    }

    @Test
    void pollClipIsPendingWhileTheOperationRunsThenStoresTheVideo() throws Exception {
        // Given an operation still running
        stubOperation("{\"name\": \"" + OPERATION + "\", \"done\": false}");

        // When it is polled
        ClipProgress first = agents.pollClip(clip(1), OPERATION);

        // Then it is pending
        assertThat(first).isEqualTo(new ClipProgress.Pending(OPERATION));

        // Given it is done, with a video to download from the Files API (the SDK takes the file id from Google's URI
        // and downloads it from the configured base URL, the stub)
        byte[] mp4 = Files.readAllBytes(Path.of(getClass().getResource("/veo/tiny.mp4").toURI()));
        stubOperation(doneWith("{\"generatedSamples\": [{\"video\": {\"uri\": "
                + "\"https://generativelanguage.googleapis.com/v1beta/files/vid123:download?alt=media\"}}]}"));
        server.stubFor(get(urlPathEqualTo("/v1beta/files/vid123:download")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "video/mp4").withBody(mp4)));

        // When it is polled again
        ClipProgress second = agents.pollClip(clip(1), OPERATION);

        // Then the clip is stored, bytes as given, at the block's key
        assertThat(second).isInstanceOf(ClipProgress.Done.class);
        ClipProgress.Done done = (ClipProgress.Done) second;
        String key = ObjectKeys.clip("vid-1", 2);
        assertThat(done.clip().clipUri()).isEqualTo(store.uri(key));
        assertThat(done.clip().durationS()).isEqualTo(6.0);
        assertThat(done.clip().operation()).isEqualTo(OPERATION);
        assertThat(Files.readAllBytes(store.localFile(key).orElseThrow())).isEqualTo(mp4);
        server.verify(2, getRequestedFor(urlPathEqualTo("/v1beta/" + OPERATION)));
        server.verify(1, getRequestedFor(urlPathEqualTo("/v1beta/files/vid123:download"))
                .withQueryParam("alt", equalTo("media")));
    }

    @Test
    void thirdPartyContentSupportCodeFailsWithoutRetry() {
        // Given a done operation filtered with RAI support code 35561575
        stubOperation(doneWith("{\"raiMediaFilteredCount\": 1, \"raiMediaFilteredReasons\": [\"We encountered an "
                + "issue with the audio for your prompt. Support codes: 35561575\"]}"));

        // When it is polled on the first attempt
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.pollClip(clip(1), OPERATION));

        // Then it is third_party_content, not retryable
        assertThat(e.code()).isEqualTo(ErrorCode.THIRD_PARTY_CONTENT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("block 2");
    }

    @Test
    void filteredMediaIsUsageGuidelinesRetryableOnTheFirstAttemptOnly() {
        // Given a done operation whose video was filtered
        stubOperation(doneWith("{\"raiMediaFilteredCount\": 1, \"raiMediaFilteredReasons\": [\"The video was "
                + "filtered.\"]}"));

        // When it is polled on attempt 1, then on attempt 2
        AgentException first = catchThrowableOfType(AgentException.class, () -> agents.pollClip(clip(1), OPERATION));
        AgentException second = catchThrowableOfType(AgentException.class, () -> agents.pollClip(clip(2), OPERATION));

        // Then both are usage_guidelines, only the first retryable
        assertThat(first.code()).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(first.retryable()).isTrue();
        assertThat(second.code()).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(second.retryable()).isFalse();
    }

    @Test
    void anOperationFailedForResourceExhaustionIsQuotaExceeded() {
        // Given a done operation with a RESOURCE_EXHAUSTED error (google.rpc code 8)
        stubOperation("{\"name\": \"" + OPERATION + "\", \"done\": true, \"error\": {\"code\": 8, "
                + "\"message\": \"Resource has been exhausted.\"}}");

        // When it is polled
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.pollClip(clip(1), OPERATION));

        // Then it is quota_exceeded, retryable
        assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void http429OnStartIsQuotaExceededRetryable() {
        // Given Veo answers 429 RESOURCE_EXHAUSTED
        server.stubFor(post(urlEqualTo(VEO)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"code\": 429, \"message\": \"You exceeded your current quota.\", "
                        + "\"status\": \"RESOURCE_EXHAUSTED\"}}")));

        // When a clip is started
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.startClip(clip(1)));

        // Then it is quota_exceeded, retryable
        assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("block 2").contains("429");
    }

    @Test
    void aPollThatCannotBeMadeNowCountsAsStillRunning() throws Exception {
        // Given the operations endpoint answers 503
        server.stubFor(get(urlPathEqualTo("/v1beta/" + OPERATION)).willReturn(aResponse().withStatus(503)
                .withBody("{\"error\": {\"code\": 503, \"message\": \"unavailable\", \"status\": \"UNAVAILABLE\"}}")));

        // When it is polled
        ClipProgress progress = agents.pollClip(clip(1), OPERATION);

        // Then it is still pending (the bridge's deadline bounds the wait)
        assertThat(progress).isEqualTo(new ClipProgress.Pending(OPERATION));
    }

    @Test
    void startsBeyondTheRateLimitQueueInsteadOfBeingSent() throws Exception {
        // Given a limit of 2 starts per 3 s
        agents.close();
        agents = agents(settings().withRateLimit(2, Duration.ofSeconds(3), Duration.ofSeconds(20)));
        server.stubFor(post(urlEqualTo(VEO)).willReturn(okJson("{\"name\": \"" + OPERATION + "\"}")));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // When 3 starts are made at once
            List<Future<ClipProgress>> starts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                starts.add(pool.submit(() -> agents.startClip(clip(1))));
            }

            // Then 2 reach Veo while the third waits for the next period
            long twoDone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (starts.stream().filter(Future::isDone).count() < 2 && System.nanoTime() < twoDone) {
                Thread.sleep(20);
            }
            assertThat(starts.stream().filter(Future::isDone).count()).isEqualTo(2);
            assertThat(server.findAll(postRequestedFor(urlEqualTo(VEO)))).hasSize(2);

            // And then the third is sent too
            for (Future<ClipProgress> start : starts) {
                assertThat(start.get(20, TimeUnit.SECONDS)).isEqualTo(new ClipProgress.Pending(OPERATION));
            }
            server.verify(3, postRequestedFor(urlEqualTo(VEO)));
        } finally {
            pool.shutdownNow();
        }
    }
}
