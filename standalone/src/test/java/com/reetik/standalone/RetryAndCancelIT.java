package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.deadletter.DeadLetter;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Check-and-retry, the user's retry and cancel, through the whole product. The real local agents
 * render every clip; a wrapper only injects faults — block 2 of a theme containing "[refuse]" fails
 * for good (as a safety filter would) until the test lifts it; the first attempt of each block of a
 * "[flaky]" theme fails with a retryable error — and counts generations per block.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class RetryAndCancelIT {

    @TempDir
    static Path dataDir;

    private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private volatile boolean refusing = true;
    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
    private volatile boolean holding = true;
    private volatile boolean failingHeld = true;
    /** Holds the clips of an edit ("[edit]" themes, a version after the first) until the test lets them go. */
    private final java.util.concurrent.Semaphore editGate = new java.util.concurrent.Semaphore(0);
    private RunningServer server;
    private ApiClient api;

    @BeforeAll
    void start() throws Exception {
        server = RunningServer.start(dataDir, Map.of("REETIK_BLOCK_WORKERS", "1", "REETIK_MAX_ATTEMPTS", "3",
                "REETIK_POLL_INTERVAL_MS", "200"), this::refusingSecondBlocks);
        api = server.api;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private AgentPort refusingSecondBlocks(AgentPort real) {
        return new AgentPort() {
            @Override
            public Script writeScript(String videoId, VideoRequest request) throws AgentException {
                return real.writeScript(videoId, request);
            }

            @Override
            public Clip generateClip(ClipRequest request) throws AgentException {
                generations.computeIfAbsent(request.videoId() + "/" + request.block().index(), k -> new AtomicInteger())
                        .incrementAndGet();
                if (refusing && request.request().theme().contains("[refuse]") && request.block().index() == 2) {
                    throw new AgentException(ErrorCode.USAGE_GUIDELINES, false, "filtered: usage guidelines");
                }
                if (request.request().theme().contains("[flaky]") && request.attempt() == 1) {
                    throw new AgentException(ErrorCode.DEFAULT, true, "transient: try again");
                }
                if (request.request().theme().contains("[edit-refused]") && request.version() > 1) {
                    throw new AgentException(ErrorCode.USAGE_GUIDELINES, false, "filtered: usage guidelines");
                }
                if (request.request().theme().contains("[edit]") && request.version() > 1) {
                    try {
                        if (!editGate.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new AgentException(ErrorCode.DEFAULT, false, "the test never let the edit go");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AgentException(ErrorCode.DEFAULT, false, "interrupted");
                    }
                }
                return real.generateClip(request);
            }

            /**
             * "[operation]" themes behave like Veo: an operation, done at its third check. "[hold]" themes too, but
             * block 1's operation runs until the test lets it end, and block 2 fails (retryable) while the test says so.
             */
            @Override
            public ClipProgress startClip(ClipRequest request) throws AgentException {
                if (request.request().theme().contains("[hold]")) {
                    starts.computeIfAbsent(request.videoId() + "/" + request.block().index(), k -> new AtomicInteger())
                            .incrementAndGet();
                    if (request.block().index() == 1) {
                        return new ClipProgress.Pending("operations/" + request.videoId() + "-held");
                    }
                    attempts.computeIfAbsent(request.videoId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(request.attempt());
                    if (failingHeld) {
                        throw new AgentException(ErrorCode.QUOTA_EXCEEDED, true, "429: try again later");
                    }
                    return new ClipProgress.Done(real.generateClip(request));
                }
                if (!request.request().theme().contains("[operation]")) {
                    return new ClipProgress.Done(generateClip(request));
                }
                generations.computeIfAbsent(request.videoId() + "/" + request.block().index(), k -> new AtomicInteger())
                        .incrementAndGet();
                return new ClipProgress.Pending("operations/" + request.videoId() + "-" + request.block().index());
            }

            @Override
            public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
                if (operation.endsWith("-held")) {
                    return holding ? new ClipProgress.Pending(operation) : new ClipProgress.Done(real.generateClip(request));
                }
                int checks = polls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
                return checks < 3 ? new ClipProgress.Pending(operation) : new ClipProgress.Done(real.generateClip(request));
            }

            @Override
            public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
                return real.assemble(videoId, clipUris);
            }

            @Override
            public Assembled assemble(String videoId, List<String> clipUris,
                                      com.reetik.bridge.agent.AssemblyOptions options) throws AgentException {
                return real.assemble(videoId, clipUris, options);
            }
        };
    }

    /**
     * Issue 13, item 1: an edit of one block of a completed video pays one clip, the previous version plays (same
     * bytes) until the new one completes, a second edit meanwhile is refused; the new version has the new
     * narration in its subtitles; a cancelled edit returns the video to its version with the block as it was.
     */
    @Test
    void shouldRegenerateOnlyTheEditedBlockAndKeepThePreviousVersionPlayableUntilTheNewOneIsReady() throws Exception {
        String token = api.newUser();
        Completed first = completedVideo(token, "Volcans [edit]");
        String videoId = first.videoId();
        JsonNode v1 = first.view();
        byte[] firstFile = first.file();
        String block2 = "/api/videos/" + videoId + "/blocks/2";

        // An unchanged block, a block the video does not have: 400 before anything is paid
        JsonNode unchanged = ApiClient.json(api.put(block2, token, Map.of("prompt", v1.get("blocks").get(1)
                .get("prompt").asText())));
        assertThat(unchanged.get("error").get("code").asText()).isEqualTo("empty_edit");
        assertThat(api.put("/api/videos/" + videoId + "/blocks/9", token, Map.of("prompt", "x")).statusCode())
                .isEqualTo(400);
        // The estimate: one clip of one block
        JsonNode estimate = ApiClient.json(api.post(block2 + "/estimate", token,
                Map.of("narration", "La lave coule sous les étoiles."), Map.of()));
        assertThat(estimate.get("blocks").asInt()).isEqualTo(1);
        assertThat(estimate.get("generated_seconds").asInt()).isEqualTo(4);

        HttpResponse<String> accepted = api.put(block2, token,
                Map.of("prompt", "A lava flow at night", "narration", "La lave coule sous les étoiles."));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // While block 2 is generated again: the first version plays, another edit waits its turn
        JsonNode during = awaitStatus(videoId, token, "generating_parallel");
        assertThat(during.get("edit").get("block").asInt()).isEqualTo(2);
        assertThat(during.get("final_url").asText()).isEqualTo("/api/videos/" + videoId + "/file");
        assertThat(api.getBytes("/api/videos/" + videoId + "/file", token, Map.of()).body()).isEqualTo(firstFile);
        HttpResponse<String> busy = api.put("/api/videos/" + videoId + "/blocks/1", token, Map.of("prompt", "y"));
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(ApiClient.json(busy).get("error").get("code").asText()).isEqualTo("video_busy");

        editGate.release();
        JsonNode v2 = api.awaitTerminalAfter(videoId, token, during.get("version").asLong(), Duration.ofMinutes(2));
        assertThat(v2.get("status").asText()).isEqualTo("completed");
        assertThat(v2.get("final_version").asInt()).isEqualTo(2);
        assertThat(v2.get("edit").isNull()).isTrue();
        assertThat(v2.get("blocks").get(1).get("prompt").asText()).isEqualTo("A lava flow at night");
        assertThat(generations.get(videoId + "/1").get()).as("block 1 is not paid again").isEqualTo(1);
        assertThat(generations.get(videoId + "/2").get()).as("block 2: once, then once for the edit").isEqualTo(2);
        assertThat(api.getBytes("/api/videos/" + videoId + "/file", token, Map.of()).body())
                .as("the new version").isNotEqualTo(firstFile);
        assertThat(api.get("/api/videos/" + videoId + "/captions.vtt", token).body())
                .contains("La lave coule sous les étoiles.");

        // A cancelled edit: back to version 2, block 1 as it was
        String block1Prompt = v2.get("blocks").get(0).get("prompt").asText();
        assertThat(api.put("/api/videos/" + videoId + "/blocks/1", token, Map.of("prompt", "A geyser"))
                .statusCode()).isEqualTo(202);
        JsonNode editing = awaitStatus(videoId, token, "generating_parallel");
        assertThat(api.post("/api/videos/" + videoId + "/cancel", token, null, Map.of()).statusCode()).isEqualTo(202);
        JsonNode back = api.awaitTerminalAfter(videoId, token, editing.get("version").asLong(), Duration.ofMinutes(1));
        editGate.release(); // the held clip ends; the edit's result is dropped
        assertThat(back.get("status").asText()).isEqualTo("completed");
        assertThat(back.get("final_version").asInt()).isEqualTo(2);
        assertThat(back.get("blocks").get(0).get("prompt").asText()).isEqualTo(block1Prompt);
        assertThat(back.get("blocks").get(0).get("state").asText()).isEqualTo("completed");
    }

    /** An 8 s video made to completion (version 1): its id, its view and its file's bytes. */
    private record Completed(String videoId, JsonNode view, byte[] file) {
    }

    private Completed completedVideo(String token, String theme) throws Exception {
        String videoId = api.createVideo(token, theme, 8);
        JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(view.get("status").asText()).isEqualTo("completed");
        assertThat(view.get("final_version").asInt()).isEqualTo(1);
        return new Completed(videoId, view, api.getBytes("/api/videos/" + videoId + "/file", token, Map.of()).body());
    }

    /**
     * An edit whose block is refused for good: the video fails with the seed's message and the block named, its
     * previous version still plays (same bytes, same subtitles); cancelling the failed edit brings the video back,
     * completed, with the block as it was.
     */
    @Test
    void shouldKeepThePreviousVersionPlayableWhenAnEditFailsAndCancelTheFailedEdit() throws Exception {
        String token = api.newUser();
        Completed first = completedVideo(token, "Volcans [edit-refused]");
        String videoId = first.videoId();
        JsonNode v1 = first.view();
        byte[] firstFile = first.file();
        String firstCaptions = api.get("/api/videos/" + videoId + "/captions.vtt", token).body();
        String prompt = v1.get("blocks").get(1).get("prompt").asText();

        assertThat(api.put("/api/videos/" + videoId + "/blocks/2", token, Map.of("prompt", "Something refused"))
                .statusCode()).isEqualTo(202);
        JsonNode failed = api.awaitTerminalAfter(videoId, token, v1.get("version").asLong(), Duration.ofMinutes(1));

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").get("stage").asText()).isEqualTo("block 2");
        assertThat(failed.get("error").get("message").asText())
                .isEqualTo(ErrorCode.USAGE_GUIDELINES.message(com.reetik.contracts.status.Language.FR));
        assertThat(failed.get("edit").get("block").asInt()).isEqualTo(2);
        assertThat(failed.get("final_version").asInt()).isEqualTo(1);
        assertThat(api.getBytes("/api/videos/" + videoId + "/file", token, Map.of()).body())
                .as("the previous version still plays").isEqualTo(firstFile);
        assertThat(api.get("/api/videos/" + videoId + "/captions.vtt", token).body()).isEqualTo(firstCaptions);
        HttpResponse<String> other = api.put("/api/videos/" + videoId + "/blocks/1", token, Map.of("prompt", "z"));
        assertThat(ApiClient.json(other).get("error").get("code").asText()).isEqualTo("edit_pending");

        assertThat(api.post("/api/videos/" + videoId + "/cancel", token, null, Map.of()).statusCode()).isEqualTo(202);
        JsonNode back = api.awaitTerminalAfter(videoId, token, failed.get("version").asLong(), Duration.ofMinutes(1));
        assertThat(back.get("status").asText()).isEqualTo("completed");
        assertThat(back.get("error").isNull()).isTrue();
        assertThat(back.get("edit").isNull()).isTrue();
        assertThat(back.get("blocks").get(1).get("prompt").asText()).isEqualTo(prompt);
        assertThat(back.get("blocks").get(1).get("state").asText()).isEqualTo("completed");
        assertThat(generations.get(videoId + "/2").get()).as("the refused edit paid once, not retried").isEqualTo(2);
    }

    private JsonNode awaitStatus(String videoId, String token, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            view = ApiClient.json(api.get("/api/videos/" + videoId, token));
            if (status.equals(view.get("status").asText())) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("video " + videoId + " never " + status + "; last view: " + view);
    }

    @Test
    void shouldFailWithTheSeedMessageThenRegenerateOnlyTheFailedBlockOnRetry() throws Exception {
        // Given a video whose block 2 is refused
        String token = api.newUser();
        String videoId = api.createVideo(token, "Volcans [refuse]", 16);

        // Then it fails at block 2 with the seed's French message
        JsonNode failed = api.awaitTerminal(videoId, token, Duration.ofMinutes(3));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("current_step").asText()).isEqualTo("Erreur");
        assertThat(failed.get("error").get("code").asText()).isEqualTo("usage_guidelines");
        assertThat(failed.get("error").get("stage").asText()).isEqualTo("block 2");
        assertThat(failed.get("error").get("message").asText()).isEqualTo(
                "Le contenu demandé ne respecte pas les règles de sécurité de Google. Essayez un thème différent.");
        // (a non-retryable refusal is not attempted again), and once no block is generating, each block is
        // completed or waits: a block not started when the video failed is not paid for (the retry generates it)
        assertThat(generations.get(videoId + "/2").get()).isEqualTo(1);
        java.util.Set<Integer> completedAtFailure = awaitNothingGenerating(videoId, token);
        assertThat(completedAtFailure).doesNotContain(2);

        // When the refusal is lifted and the user retries
        refusing = false;
        long failedVersion = ApiClient.json(api.get("/api/videos/" + videoId, token)).get("version").asLong();
        HttpResponse<String> retry = api.post("/api/videos/" + videoId + "/retry", token, null, Map.of());
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);

        // Then the video completes: block 2 was generated again, no block completed before was, and the blocks
        // that had not started were generated by the retry
        // (a block that was still rendering when the video failed may complete after it: a newer failed view)
        JsonNode done = awaitCompleted(videoId, token, failedVersion);
        assertThat(done.get("error").isNull() || done.get("error").isMissingNode()).isTrue();
        assertThat(generations.get(videoId + "/2").get()).isEqualTo(2);
        for (int block : List.of(1, 3, 4)) {
            AtomicInteger n = generations.get(videoId + "/" + block);
            assertThat(n).as("block %d generated", block).isNotNull();
            if (completedAtFailure.contains(block)) {
                assertThat(n.get()).as("generations of block %d, completed before the retry", block).isEqualTo(1);
            }
        }
        // and retrying a completed video is refused
        assertThat(api.post("/api/videos/" + videoId + "/retry", token, null, Map.of()).statusCode()).isEqualTo(409);
    }

    /** Waits until a view newer than {@code version} is completed; fails on a newer one that is over otherwise. */
    private JsonNode awaitCompleted(String videoId, String token, long version) throws Exception {
        return awaitView(videoId, token, Duration.ofMinutes(3), "completed after the retry", view -> {
            String status = view.get("status").asText();
            assertThat(status).as("status of %s after the retry: %s", videoId, view).isNotEqualTo("cancelled");
            return view.get("version").asLong() > version && status.equals("completed");
        });
    }

    /** Waits until no block of the video is generating; returns the blocks completed then. */
    private java.util.Set<Integer> awaitNothingGenerating(String videoId, String token) throws Exception {
        JsonNode view = awaitView(videoId, token, Duration.ofMinutes(2), "with no block generating",
                v -> blockStates(v).noneMatch("generating"::equals));
        java.util.Set<Integer> completed = new java.util.TreeSet<>();
        view.get("blocks").forEach(b -> {
            if (b.get("state").asText().equals("completed")) {
                completed.add(b.get("index").asInt());
            }
        });
        return completed;
    }

    /** Waits until block {@code index} shows completed; returns that view. */
    private JsonNode awaitBlockCompleted(String videoId, String token, int index) throws Exception {
        return awaitView(videoId, token, Duration.ofMinutes(2), "with block " + index + " completed",
                view -> java.util.stream.StreamSupport.stream(view.get("blocks").spliterator(), false)
                        .anyMatch(b -> b.get("index").asInt() == index && b.get("state").asText().equals("completed")));
    }

    private static java.util.stream.Stream<String> blockStates(JsonNode view) {
        return java.util.stream.StreamSupport.stream(view.get("blocks").spliterator(), false)
                .map(b -> b.get("state").asText());
    }

    /** Polls the video's view every 100 ms until {@code done} holds; returns that view. */
    private JsonNode awaitView(String videoId, String token, Duration timeout, String what,
                               java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            view = ApiClient.json(api.get("/api/videos/" + videoId, token));
            if (done.test(view)) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("video " + videoId + " not " + what + " in " + timeout + "; last view: " + view);
    }

    @Test
    void shouldNeitherRestartABlockInFlightNorStartAttemptsAgainOnRetry() throws Exception {
        // Given a video whose block 1 is a long operation still running when block 2 fails all its 3 attempts
        String token = api.newUser();
        String videoId = api.createVideo(token, "Glaciers [hold]", 8);
        JsonNode failed = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(attempts.get(videoId)).containsExactly(1, 2, 3);

        // When the user retries while block 2 still fails
        HttpResponse<String> first = api.post("/api/videos/" + videoId + "/retry", token, null, Map.of());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode failedAgain = api.awaitTerminalAfter(videoId, token, failed.get("version").asLong(),
                Duration.ofMinutes(2));

        // Then block 2 gets one more attempt, its fourth, and no automatic ones past REETIK_MAX_ATTEMPTS
        assertThat(failedAgain.get("status").asText()).isEqualTo("failed");
        assertThat(attempts.get(videoId)).containsExactly(1, 2, 3, 4);

        // When two retries are sent at once, block 2 now succeeding
        failingHeld = false;
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> both = List.of(
                java.util.concurrent.CompletableFuture.supplyAsync(() -> retry(videoId, token)),
                java.util.concurrent.CompletableFuture.supplyAsync(() -> retry(videoId, token)));
        List<Integer> codes = both.stream().map(f -> f.join().statusCode()).sorted().toList();

        // Then one starts and the other is refused
        assertThat(codes).containsExactly(202, 409);
        JsonNode running = awaitBlockCompleted(videoId, token, 2);
        assertThat(running.get("status").asText()).isEqualTo("generating_parallel");
        assertThat(attempts.get(videoId)).containsExactly(1, 2, 3, 4, 5);

        // and once block 1's operation ends, the video completes: block 1 was started once, through three runs
        holding = false;
        JsonNode done = api.awaitTerminalAfter(videoId, token, running.get("version").asLong(), Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(starts.get(videoId + "/1").get()).isEqualTo(1);
        assertThat(attempts.get(videoId)).containsExactly(1, 2, 3, 4, 5);
    }

    private HttpResponse<String> retry(String videoId, String token) {
        try {
            return api.post("/api/videos/" + videoId + "/retry", token, null, Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCancelAVideoAndEndItsStream() throws Exception {
        // Given a long video rendering one block at a time
        String token = api.newUser();
        String videoId = api.createVideo(token, "Une très longue histoire", 120);

        // When the user cancels it
        HttpResponse<String> cancel = api.post("/api/videos/" + videoId + "/cancel", token, null, Map.of());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

        // Then it ends cancelled, its stream ends with "Annulé", and a second cancel is refused
        JsonNode view = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(view.get("status").asText()).isEqualTo("cancelled");
        List<ApiClient.Sse> events = api.events(videoId, token, Duration.ofSeconds(30));
        assertThat(events.get(events.size() - 1).data().get("current_step").asText()).isEqualTo("Annulé");
        assertThat(api.post("/api/videos/" + videoId + "/cancel", token, null, Map.of()).statusCode()).isEqualTo(409);
        // and the blocks still queued are not generated: far fewer than its 30 blocks were
        int generated = 0;
        for (int block = 1; block <= 30; block++) {
            AtomicInteger n = generations.get(videoId + "/" + block);
            generated += n == null ? 0 : n.get();
        }
        assertThat(generated).isLessThan(10);
    }

    @Test
    void shouldRetryTransientClipFailuresAndComplete() throws Exception {
        // Given clips whose first attempt fails with a retryable error
        String token = api.newUser();
        String videoId = api.createVideo(token, "Vagues et marées [flaky]", 8);

        // Then check-and-retry generates each block a second time and the video completes
        JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(generations.get(videoId + "/1").get()).isEqualTo(2);
        assertThat(generations.get(videoId + "/2").get()).isEqualTo(2);
        done.get("blocks").forEach(b -> assertThat(b.get("attempt").asInt()).isEqualTo(2));
    }

    @Test
    void shouldPollAnAgentsOperationUntilTheClipIsDone() throws Exception {
        // Given an agent that answers each block with a long-running operation
        String token = api.newUser();
        String videoId = api.createVideo(token, "Aurores boréales [operation]", 8);

        // Then the bridge polls each operation from its durable task until done, and the video completes
        JsonNode done = api.awaitTerminal(videoId, token, Duration.ofMinutes(2));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        for (int block : List.of(1, 2)) {
            assertThat(generations.get(videoId + "/" + block).get()).as("starts of block %d", block).isEqualTo(1);
            assertThat(polls.get("operations/" + videoId + "-" + block).get()).as("checks of block %d", block)
                    .isEqualTo(3);
        }
        // and the services' view names each block's operation (the API's does not)
        server.internalView(videoId).get("blocks")
                .forEach(b -> assertThat(b.get("operation").asText()).startsWith("operations/" + videoId));
        done.get("blocks").forEach(b -> assertThat(b.get("operation").isNull()).isTrue());
    }

    @Test
    void shouldSendAnUnreadableCommandToDeadLetters() throws Exception {
        // Given a command that is not JSON
        server.sendRaw(Topics.VIDEO_COMMANDS.name(), "bad_command", "CreateVideo please");

        // Then the bridge puts it in the dead letters and goes on
        DeadLetter letter = server.awaitDeadLetter("bad_command", Duration.ofSeconds(60));
        assertThat(letter).isNotNull();
        assertThat(letter.rejectedBy()).isEqualTo("agent-bridge");
        assertThat(letter.sourceTopic()).isEqualTo(Topics.VIDEO_COMMANDS.name());
        String token = api.newUser();
        String videoId = api.createVideo(token, "Après la commande illisible", 8);
        assertThat(api.awaitTerminal(videoId, token, Duration.ofMinutes(2)).get("status").asText()).isEqualTo("completed");
    }
}
