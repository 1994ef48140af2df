package com.reetik.bridge.cloudrun;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipCheck;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.OperationPolling;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cloud-run adapter against WireMock stubs of the four agents (one server, one base path per agent). */
@Timeout(60)
class CloudRunAgentsTest {

    private static final String VIDEO_ID = "vid-42";
    private static final String AGENT_VIDEO_ID = "test_20260201_203648";
    private static final VideoRequest REQUEST = new VideoRequest("Les volcans d'Islande", 12, "informative", "fr",
            "9:16");
    private static final int MAX_RETRIES = 3;
    /** generateClip checks every 20 ms, for up to 800 ms (the bridge's knobs, passed in). */
    private static final OperationPolling POLLING = new OperationPolling(Duration.ofMillis(20), Duration.ofMillis(800));

    private static WireMockServer server;

    private CloudRunAgents agents;

    @BeforeAll
    static void startStubs() {
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort());
        server.start();
    }

    @AfterAll
    static void stopStubs() {
        server.stop();
    }

    @BeforeEach
    void freshStubsAndAgents() {
        server.resetAll();
        agents = new CloudRunAgents(settings("http://localhost:" + server.port(), 10), POLLING, IdTokenSource.NONE);
    }

    private static CloudRunProperties settings(String root, int circuitMinimumCalls) {
        return new CloudRunProperties(URI.create(root + "/script"), URI.create(root + "/video"),
                URI.create(root + "/check"), URI.create(root + "/assembler"), Duration.ofSeconds(5), MAX_RETRIES,
                Duration.ofMillis(5), circuitMinimumCalls, Duration.ofMinutes(1));
    }

    private static ClipRequest clipRequest(int index, int attempt) {
        return new ClipRequest(VIDEO_ID, AGENT_VIDEO_ID, 3,
                new ScriptBlock(index, "prompt " + index, "narration " + index, 4), attempt, REQUEST);
    }

    private static String clipUri(int index) {
        return "gs://tiktok-pipeline-v2-artifacts/" + AGENT_VIDEO_ID + "/clips/block_" + index + ".mp4";
    }

    private static String scriptAnswer() {
        return """
                {"video_id": "%s", "title": "ignored field",
                 "blocks": [
                   {"index": 2, "prompt": "lava", "narration": "La lave coule.", "duration": 4},
                   {"index": 1, "prompt": "glacier", "narration": "Un glacier.", "duration": 4.0},
                   {"index": 3, "prompt": "geyser", "narration": "Un geyser.", "duration": 4, "extra": true}]}
                """.formatted(AGENT_VIDEO_ID);
    }

    private static void stubVideoAgent() {
        for (int i = 1; i <= 3; i++) {
            server.stubFor(post(urlEqualTo("/video/generate"))
                    .withRequestBody(matchingJsonPath("$.block_index", equalTo(Integer.toString(i))))
                    .willReturn(okJson("{\"operation\": \"projects/p/operations/op-" + i + "\"}")));
        }
    }

    private static String done(int index) {
        return "\"%d\": {\"state\": \"done\", \"clip_uri\": \"%s\", \"duration\": 4}".formatted(index, clipUri(index));
    }

    private static void stubCheckAnswer(String clipsStatus) {
        server.stubFor(post(urlEqualTo("/check/check"))
                .willReturn(okJson("{\"video_id\": \"" + AGENT_VIDEO_ID + "\", \"clips_status\": {" + clipsStatus
                        + "}}")));
    }

    @Test
    void writesTheScriptGeneratesThreeClipsAndAssemblesThemUnderTheAgentsVideoId() throws Exception {
        // Given a script agent answering its own video_id, a video agent answering operations,
        // a check agent saying "running" once then "done", and an assembler answering the final gs:// URL
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson(scriptAnswer())));
        stubVideoAgent();
        server.stubFor(post(urlEqualTo("/check/check")).inScenario("poll").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"clips_status\": {\"1\": {\"state\": \"running\"}}}"))
                .willSetStateTo("done"));
        server.stubFor(post(urlEqualTo("/check/check")).inScenario("poll").whenScenarioStateIs("done")
                .willReturn(okJson("{\"clips_status\": {" + done(1) + ", " + done(2) + ", " + done(3) + "}}")));
        String finalUrl = "gs://tiktok-pipeline-v2-artifacts/" + AGENT_VIDEO_ID + "/final.mp4";
        server.stubFor(post(urlEqualTo("/assembler/assemble"))
                .withRequestBody(matchingJsonPath("$.video_id", equalTo(AGENT_VIDEO_ID)))
                .willReturn(okJson("{\"final_url\": \"" + finalUrl + "\", \"duration\": 12.0}")));

        // When the whole video is made
        Script script = agents.writeScript(VIDEO_ID, REQUEST);
        List<String> uris = new ArrayList<>();
        for (ScriptBlock block : script.blocks()) {
            Clip clip = agents.generateClip(new ClipRequest(VIDEO_ID, script.agentVideoId(), 3, block, 1, REQUEST));
            uris.add(clip.clipUri());
            assertThat(clip.operation()).isEqualTo("projects/p/operations/op-" + block.index());
            assertThat(clip.durationS()).isEqualTo(4.0);
        }
        Assembled assembled = agents.assemble(VIDEO_ID, uris);

        // Then the agent's video_id and gs:// URIs flow through, blocks in order
        assertThat(script.agentVideoId()).isEqualTo(AGENT_VIDEO_ID);
        assertThat(script.blocks()).extracting(ScriptBlock::index).containsExactly(1, 2, 3);
        assertThat(script.blocks().get(0)).isEqualTo(new ScriptBlock(1, "glacier", "Un glacier.", 4));
        assertThat(uris).containsExactly(clipUri(1), clipUri(2), clipUri(3));
        assertThat(assembled).isEqualTo(new Assembled(finalUrl, 12.0));
        server.verify(1, postRequestedFor(urlEqualTo("/script/generate"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"theme": "Les volcans d'Islande", "target_duration": 12, "style": "informative",
                         "language": "fr", "aspect_ratio": "9:16"}""")));
        server.verify(1, postRequestedFor(urlEqualTo("/video/generate")).withRequestBody(equalToJson("""
                {"video_id": "%s", "block_index": 2, "prompt": "lava", "narration": "La lave coule.",
                 "duration": 4, "aspect_ratio": "9:16", "language": "fr"}""".formatted(AGENT_VIDEO_ID))));
        server.verify(postRequestedFor(urlEqualTo("/check/check")).withRequestBody(equalToJson("""
                {"video_id": "%s", "operations": {"3": "projects/p/operations/op-3"}}""".formatted(AGENT_VIDEO_ID))));
        server.verify(1, postRequestedFor(urlEqualTo("/assembler/assemble")).withRequestBody(equalToJson("""
                {"video_id": "%s", "clips": ["%s", "%s", "%s"]}""".formatted(AGENT_VIDEO_ID, clipUri(1), clipUri(2),
                clipUri(3)))));
        server.verify(3, postRequestedFor(urlEqualTo("/video/generate")));
    }

    @Test
    void startsAClipAndPollsItOnceForTheBridgesDurablePolling() throws Exception {
        // Given a video agent and a check agent that says "running"
        stubVideoAgent();
        stubCheckAnswer("\"1\": {\"state\": \"running\"}");

        // When the bridge starts the clip and polls it once
        ClipProgress started = agents.startClip(clipRequest(1, 1));
        ClipProgress polled = agents.pollClip(clipRequest(1, 1), "projects/p/operations/op-1");

        // Then both answer the operation, still pending, and nothing was polled by the start
        assertThat(started).isEqualTo(new ClipProgress.Pending("projects/p/operations/op-1"));
        assertThat(polled).isEqualTo(new ClipProgress.Pending("projects/p/operations/op-1"));
        server.verify(1, postRequestedFor(urlEqualTo("/check/check")));
    }

    @Test
    void checksAVideosOperationsInOneCallAndKeepsEachBlocksOutcome() throws Exception {
        // Given a check agent that finds block 1 done, block 2 running, block 3 failed
        stubCheckAnswer(done(1) + ", \"2\": {\"state\": \"running\"}, \"3\": {\"state\": \"failed\", "
                + "\"error\": \"internal error\"}");

        // When the bridge checks the three operations of the video at once
        List<ClipCheck.Outcome> outcomes = agents.pollClips(List.of(new ClipCheck(clipRequest(1, 1), "op-1"),
                new ClipCheck(clipRequest(2, 1), "op-2"), new ClipCheck(clipRequest(3, 1), "op-3")));

        // Then one call asked about all three, and each block has its own outcome
        server.verify(1, postRequestedFor(urlEqualTo("/check/check")));
        server.verify(postRequestedFor(urlEqualTo("/check/check")).withRequestBody(equalToJson("""
                {"video_id": "%s", "operations": {"1": "op-1", "2": "op-2", "3": "op-3"}}
                """.formatted(AGENT_VIDEO_ID))));
        assertThat(outcomes.get(0).progress()).isEqualTo(new ClipProgress.Done(new Clip(clipUri(1), 4, "op-1")));
        assertThat(outcomes.get(1).progress()).isEqualTo(new ClipProgress.Pending("op-2"));
        assertThatThrownBy(() -> outcomes.get(2).progress()).isInstanceOf(AgentException.class)
                .hasMessageContaining("block 3 (op-3) failed: internal error");
    }

    @Test
    void twoOperationsOfOneBlockAreCheckedInTwoCallsAsTheAgentsMapHasOneOperationPerBlock() throws Exception {
        // Given a check agent that finds every operation running
        stubCheckAnswer("\"1\": {\"state\": \"running\"}, \"2\": {\"state\": \"running\"}");

        // When two operations of block 1 (say, of two versions of the video) and block 2's are checked together
        List<ClipCheck.Outcome> outcomes = agents.pollClips(List.of(new ClipCheck(clipRequest(1, 1), "op-1"),
                new ClipCheck(clipRequest(1, 2), "op-1b"), new ClipCheck(clipRequest(2, 1), "op-2")));

        // Then block 1's two operations went in two calls, block 2's with the first
        server.verify(2, postRequestedFor(urlEqualTo("/check/check")));
        server.verify(postRequestedFor(urlEqualTo("/check/check")).withRequestBody(equalToJson("""
                {"video_id": "%s", "operations": {"1": "op-1", "2": "op-2"}}
                """.formatted(AGENT_VIDEO_ID))));
        server.verify(postRequestedFor(urlEqualTo("/check/check")).withRequestBody(equalToJson("""
                {"video_id": "%s", "operations": {"1": "op-1b"}}
                """.formatted(AGENT_VIDEO_ID))));
        assertThat(outcomes).extracting(outcome -> ((ClipCheck.Checked) outcome).found())
                .containsExactly(new ClipProgress.Pending("op-1"), new ClipProgress.Pending("op-1b"),
                        new ClipProgress.Pending("op-2"));
    }

    @Test
    void aCheckThatCannotBeMadeNowLeavesTheClipPending() throws Exception {
        // Given a check agent answering 503 every time
        server.stubFor(post(urlEqualTo("/check/check")).willReturn(aResponse().withStatus(503)));

        // When the bridge polls
        ClipProgress polled = agents.pollClip(clipRequest(1, 1), "op-1");

        // Then the paid generation is not given up: it is still pending
        assertThat(polled).isEqualTo(new ClipProgress.Pending("op-1"));
        server.verify(MAX_RETRIES + 1, postRequestedFor(urlEqualTo("/check/check")));
    }

    @Test
    void retriesATransient500AndDoesNotRepeatTheCallThatSucceeded() throws Exception {
        // Given a script agent failing once with 500, then answering
        server.stubFor(post(urlEqualTo("/script/generate")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("internal error")).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo("/script/generate")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson(scriptAnswer())));

        // When the script is written
        Script script = agents.writeScript(VIDEO_ID, REQUEST);

        // Then it took exactly two calls: the failed one and the one that succeeded
        assertThat(script.blocks()).hasSize(3);
        server.verify(2, postRequestedFor(urlEqualTo("/script/generate")));
    }

    @Test
    void retriesA429AndSendsTheSameIdempotencyKey() throws Exception {
        // Given a video agent answering 429 once, then an operation, and a check agent saying done
        server.stubFor(post(urlEqualTo("/video/generate")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody("Too Many Requests")).willSetStateTo("free"));
        server.stubFor(post(urlEqualTo("/video/generate")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(okJson("{\"operation\": \"op-2\"}")));
        stubCheckAnswer(done(2));

        // When block 2 is generated
        Clip clip = agents.generateClip(clipRequest(2, 1));

        // Then the clip is there after exactly two submissions (one key), and no third one
        assertThat(clip).isEqualTo(new Clip(clipUri(2), 4.0, "op-2"));
        server.verify(2, postRequestedFor(urlEqualTo("/video/generate"))
                .withHeader("Idempotency-Key", equalTo(VIDEO_ID + "-block-2-attempt-1")));
        server.verify(2, postRequestedFor(urlEqualTo("/video/generate")));
    }

    @Test
    void doesNotRetryA400() {
        // Given a video agent refusing the request
        server.stubFor(post(urlEqualTo("/video/generate"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\": \"duration must be 4, 6 or 8\"}")));

        // When a clip is asked for
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.generateClip(clipRequest(1, 1)));

        // Then it failed once, not retryable, with the agent's words
        assertThat(e.code()).isEqualTo(ErrorCode.DEFAULT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("video agent", "HTTP 400", "duration must be 4, 6 or 8");
        server.verify(1, postRequestedFor(urlEqualTo("/video/generate")));
    }

    @Test
    void aSafetyFilteredClipIsUsageGuidelinesRetryableOnlyOnce() {
        // Given an operation that fails on the RAI filter
        stubVideoAgent();
        stubCheckAnswer("""
                "1": {"state": "failed", "error": "Veo filtered the video (raiMediaFilteredCount: 1): it violates \
                Google's usage guidelines"}""");

        // When the first and the second attempt are made
        AgentException first = catchThrowableOfType(AgentException.class,
                () -> agents.generateClip(clipRequest(1, 1)));
        AgentException second = catchThrowableOfType(AgentException.class,
                () -> agents.generateClip(clipRequest(1, 2)));

        // Then both are usage_guidelines, and only the first may be tried again
        assertThat(first.code()).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(first.retryable()).isTrue();
        assertThat(first.getMessage()).contains("block 1", "raiMediaFilteredCount");
        assertThat(second.code()).isEqualTo(ErrorCode.USAGE_GUIDELINES);
        assertThat(second.retryable()).isFalse();
    }

    @Test
    void raiSupportCode35561575IsThirdPartyContent() {
        // Given an operation that fails with the third-party content support code
        stubVideoAgent();
        stubCheckAnswer("""
                "1": {"state": "failed", "error": {"code": 3, "message": "The prompt could not be submitted. \
                Support codes: 35561575"}}""");

        // When the clip is generated
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.generateClip(clipRequest(1, 1)));

        // Then it is third_party_content and never retried
        assertThat(e.code()).isEqualTo(ErrorCode.THIRD_PARTY_CONTENT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("35561575");
    }

    @Test
    void aQuotaThatStaysExhaustedIsQuotaExceededAfterTheRetries() {
        // Given a video agent that always answers 429 RESOURCE_EXHAUSTED
        server.stubFor(post(urlEqualTo("/video/generate")).willReturn(aResponse().withStatus(429)
                .withBody("{\"error\": {\"status\": \"RESOURCE_EXHAUSTED\", \"message\": \"Quota exceeded\"}}")));

        // When a clip is asked for
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.generateClip(clipRequest(1, 1)));

        // Then it is quota_exceeded, retryable later, after 1 + MAX_RETRIES calls
        assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
        assertThat(e.retryable()).isTrue();
        server.verify(MAX_RETRIES + 1, postRequestedFor(urlEqualTo("/video/generate")));
    }

    @Test
    void anOperationThatNeverFinishesIsOperationTimeout() {
        // Given an operation that stays running (the deadline is 0.8 s, polls every 20 ms)
        stubVideoAgent();
        stubCheckAnswer("\"1\": {\"state\": \"running\"}");

        // When the clip is generated
        AgentException e = catchThrowableOfType(AgentException.class, () -> agents.generateClip(clipRequest(1, 1)));

        // Then it times out, not retryable, after several polls
        assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_TIMEOUT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("projects/p/operations/op-1");
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/check/check")))).hasSizeGreaterThan(3);
    }

    @Test
    void anAssemblerErrorIsAssemblyFailed() {
        // Given an assembler that cannot join the clips
        server.stubFor(post(urlEqualTo("/assembler/assemble"))
                .willReturn(aResponse().withStatus(500).withBody("ffmpeg: Invalid data found when processing input")));

        // When the video is assembled
        AgentException e = catchThrowableOfType(AgentException.class,
                () -> agents.assemble(VIDEO_ID, List.of(clipUri(1), clipUri(2))));

        // Then it is assembly_failed, not retryable, with the assembler's words
        assertThat(e.code()).isEqualTo(ErrorCode.ASSEMBLY_FAILED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("assembler agent", "Invalid data found");
    }

    @Test
    void anAssemblerAnsweringAnErrorFieldIsAssemblyFailed() {
        // Given an assembler answering 200 with an error
        server.stubFor(post(urlEqualTo("/assembler/assemble"))
                .willReturn(okJson("{\"error\": \"clip 2 missing\"}")));

        // When / Then
        AgentException e = catchThrowableOfType(AgentException.class,
                () -> agents.assemble(VIDEO_ID, List.of(clipUri(1), clipUri(2))));
        assertThat(e.code()).isEqualTo(ErrorCode.ASSEMBLY_FAILED);
        assertThat(e.getMessage()).contains("clip 2 missing");
    }

    @Test
    void aMalformedAnswerIsAClearAgentExceptionNamingTheAgentAndTheField() {
        // Given answers that are not JSON, lack the video_id, or have a wrong type
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson("<html>Service Unavailable</html>")));
        AgentException notJson = catchThrowableOfType(AgentException.class,
                () -> agents.writeScript(VIDEO_ID, REQUEST));
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson("{\"blocks\": []}")));
        AgentException noId = catchThrowableOfType(AgentException.class,
                () -> agents.writeScript(VIDEO_ID, REQUEST));
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson("""
                {"video_id": "v", "blocks": [{"index": 1, "prompt": "p", "narration": "n", "duration": "four"}]}""")));
        AgentException wrongType = catchThrowableOfType(AgentException.class,
                () -> agents.writeScript(VIDEO_ID, REQUEST));
        stubVideoAgent();
        stubCheckAnswer("\"1\": {\"state\": \"done\"}");
        AgentException noUri = catchThrowableOfType(AgentException.class,
                () -> agents.generateClip(clipRequest(1, 1)));

        // Then each names the agent and what is wrong
        assertThat(notJson.getMessage()).contains("script agent", "not JSON");
        assertThat(noId.getMessage()).contains("script agent", "'video_id' is missing");
        assertThat(wrongType.getMessage()).contains("script agent", "'blocks[0].duration'", "a number");
        assertThat(noUri.getMessage()).contains("check-and-retry agent", "'clips_status.1.clip_uri' is missing");
        assertThat(List.of(notJson, noId, wrongType, noUri)).allSatisfy(e -> assertThat(e.code())
                .isEqualTo(ErrorCode.DEFAULT));
    }

    @Test
    void aScriptAskingForMoreBlocksOrSecondsThanItsTargetIsRefusedBeforeAnyClip() {
        // Given a target of 12 s, and script agents answering 4 blocks of 4 s, or 3 blocks of 8 s
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson(scriptOf(4, 4))));
        AgentException tooMany = catchThrowableOfType(AgentException.class, () -> agents.writeScript(VIDEO_ID, REQUEST));
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson(scriptOf(3, 8))));
        AgentException tooLong = catchThrowableOfType(AgentException.class, () -> agents.writeScript(VIDEO_ID, REQUEST));

        // Then both are refused (the video fails at its script), naming the limits, and no clip was asked for
        assertThat(tooMany.getMessage()).contains("4 blocks of 16 s", "at most 3 blocks and 19 s");
        assertThat(tooLong.getMessage()).contains("3 blocks of 24 s", "at most 3 blocks and 19 s");
        assertThat(List.of(tooMany, tooLong)).allSatisfy(e -> assertThat(e.retryable()).isFalse());
        server.verify(0, postRequestedFor(urlEqualTo("/video/generate")));
    }

    /** A script agent's answer of {@code blocks} blocks of {@code seconds} s each. */
    private static String scriptOf(int blocks, int seconds) {
        return "{\"video_id\": \"v\", \"blocks\": [" + String.join(",", java.util.stream.IntStream.rangeClosed(1, blocks)
                .mapToObj(i -> "{\"index\": " + i + ", \"prompt\": \"p\", \"narration\": \"n\", \"duration\": "
                        + seconds + "}").toList()) + "]}";
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndStopsCallingTheAgent() {
        // Given a dead script agent and a breaker that looks at the last 4 calls, no retries
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(aResponse().withStatus(503)));
        String root = "http://localhost:" + server.port();
        CloudRunProperties base = settings(root, 4);
        CloudRunAgents fragile = new CloudRunAgents(new CloudRunProperties(base.scriptUrl(), base.videoUrl(),
                base.checkUrl(), base.assemblerUrl(), base.callTimeout(), 0, base.initialBackoff(), 4,
                Duration.ofMinutes(1)), POLLING, IdTokenSource.NONE);

        // When the script is asked for 4 times, then once more
        for (int i = 0; i < 4; i++) {
            AgentException e = catchThrowableOfType(AgentException.class,
                    () -> fragile.writeScript(VIDEO_ID, REQUEST));
            assertThat(e.getMessage()).contains("HTTP 503");
        }
        AgentException open = catchThrowableOfType(AgentException.class, () -> fragile.writeScript(VIDEO_ID, REQUEST));

        // Then the fifth is refused without a call: default, retryable, "unavailable"
        assertThat(open.code()).isEqualTo(ErrorCode.DEFAULT);
        assertThat(open.retryable()).isTrue();
        assertThat(open.getMessage()).contains("script agent unavailable");
        server.verify(4, postRequestedFor(urlEqualTo("/script/generate")));
    }

    @Test
    void sendsNoAuthorizationToALocalHttpAgent() throws Exception {
        // Given a token source that would give a token
        CloudRunAgents withTokens = new CloudRunAgents(settings("http://127.0.0.1:" + server.port(), 10), POLLING,
                audience -> Optional.of("should-not-be-sent"));
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson(scriptAnswer())));

        // When the local http agent is called
        withTokens.writeScript(VIDEO_ID, REQUEST);

        // Then no Authorization header went out
        server.verify(1, postRequestedFor(urlEqualTo("/script/generate")).withHeader("Authorization", absent()));
    }

    @Test
    void sendsAGoogleIdTokenForTheServiceUrlToAnHttpsAgent() throws Exception {
        // Given an https agent and a fake token source recording the audiences asked for
        List<String> audiences = new CopyOnWriteArrayList<>();
        IdTokenSource fake = audience -> {
            audiences.add(audience);
            return Optional.of("id-token-for-" + audience.length());
        };
        String root = "https://localhost:" + server.httpsPort();
        CloudRunAgents secure = new CloudRunAgents(settings(root, 10), POLLING, fake, trustingClient());
        server.stubFor(post(urlEqualTo("/script/generate")).willReturn(okJson(scriptAnswer())));

        // When the script agent is called
        secure.writeScript(VIDEO_ID, REQUEST);

        // Then a bearer ID token whose audience is the service base URL was sent
        String audience = root + "/script";
        assertThat(audiences).containsExactly(audience);
        server.verify(1, postRequestedFor(urlEqualTo("/script/generate"))
                .withHeader("Authorization", equalTo("Bearer id-token-for-" + audience.length())));
    }

    @Test
    void findsTheAgentsVideoIdInTheClipUris() {
        assertThat(CloudRunAgents.agentVideoId(VIDEO_ID, List.of(clipUri(1), clipUri(2)))).isEqualTo(AGENT_VIDEO_ID);
        assertThat(CloudRunAgents.agentVideoId(VIDEO_ID, List.of(clipUri(1), "gs://b/other/clips/block_2.mp4")))
                .isEqualTo(VIDEO_ID);
        assertThat(CloudRunAgents.agentVideoId(VIDEO_ID, List.of("/data/x.mp4"))).isEqualTo(VIDEO_ID);
    }

    /** WireMock's https port has a self-signed certificate: this client trusts it (tests only). */
    private static HttpClient trustingClient() throws Exception {
        X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
