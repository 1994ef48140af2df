package com.reetik.bridge.cloudrun;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipCheck;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.OperationPolling;
import com.reetik.bridge.agent.ScriptLimits;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.VideoRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cloud-run} agents: the four V2 Cloud Run services of the seed (script, video, check-and-retry,
 * assembler) called over HTTP with JSON, as {@code docs/agents.md} describes. Each agent has its own retry
 * (exponential backoff with jitter on 5xx, 429 and connection errors) and circuit breaker; https agents get a
 * Google ID token whose audience is their base URL.
 */
public final class CloudRunAgents implements AgentPort {

    static final String SCRIPT_PATH = "/generate";
    static final String VIDEO_PATH = "/generate";
    static final String CHECK_PATH = "/check";
    static final String ASSEMBLE_PATH = "/assemble";

    private static final Logger LOG = LoggerFactory.getLogger(CloudRunAgents.class);
    /** {@code gs://bucket/{video_id}/clips/block_3.mp4} → the agent's video id. */
    private static final Pattern CLIP_URI = Pattern.compile("^[a-z0-9]+://[^/]+/(.+)/clips/block_\\d+\\.mp4$");

    private final CloudRunProperties settings;
    private final OperationPolling polling;
    private final AgentEndpoint script;
    private final AgentEndpoint video;
    private final AgentEndpoint check;
    private final AgentEndpoint assembler;

    /**
     * Agents called with a new {@link HttpClient} and the given token source ({@link GoogleIdTokenSource} in
     * production, {@link IdTokenSource#NONE} in tests).
     *
     * @param polling how {@link #generateClip} waits for an operation: the bridge's poll interval and deadline
     */
    public CloudRunAgents(CloudRunProperties settings, OperationPolling polling, IdTokenSource tokens) {
        this(settings, polling, tokens, HttpClient.newBuilder()
                .connectTimeout(settings.callTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }

    public CloudRunAgents(CloudRunProperties settings, OperationPolling polling, IdTokenSource tokens,
                          HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.polling = Objects.requireNonNull(polling, "polling");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(http, "http");
        this.script = new AgentEndpoint("script", settings.scriptUrl(), http, tokens, settings);
        this.video = new AgentEndpoint("video", settings.videoUrl(), http, tokens, settings);
        this.check = new AgentEndpoint("check-and-retry", settings.checkUrl(), http, tokens, settings);
        this.assembler = new AgentEndpoint("assembler", settings.assemblerUrl(), http, tokens, settings);
    }

    public CloudRunProperties settings() {
        return settings;
    }

    /** How {@link #generateClip} waits for an operation (the bridge's poll interval and deadline). */
    public OperationPolling polling() {
        return polling;
    }

    // ---------------------------------------------------------------- script

    record ScriptPayload(String theme, int targetDuration, String style, String language, String aspectRatio) {
    }

    @Override
    public Script writeScript(String videoId, VideoRequest request) throws AgentException {
        if (request.hasReferenceImages()) {
            // The gateway refuses such a request (400) when it is told the same REETIK_AGENTS; nothing is paid here.
            throw new AgentException(ErrorCode.DEFAULT, false,
                    "script: " + ReferenceImage.refusal("cloud-run", null).orElseThrow());
        }
        ScriptPayload payload = new ScriptPayload(request.theme(), request.targetDuration(), request.style(),
                request.language(), request.aspectRatio());
        Answer answer = Answer.parse(script.name(), call(script, SCRIPT_PATH, payload, "script-" + videoId, false));
        String agentVideoId = answer.string("video_id");
        List<ScriptBlock> blocks = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Answer block : answer.objects("blocks")) {
            int index = block.integer("index");
            int duration = (int) Math.round(block.number("duration"));
            if (index < 1 || !seen.add(index)) {
                throw block.malformed("block index " + index + " is not a new index from 1");
            }
            if (duration < 1) {
                throw block.malformed("block " + index + " has a duration of " + duration + " s");
            }
            blocks.add(new ScriptBlock(index, block.string("prompt"), block.string("narration"), duration));
        }
        if (blocks.isEmpty()) {
            throw answer.malformed("the field 'blocks' is empty");
        }
        blocks.sort(Comparator.comparingInt(ScriptBlock::index));
        if (blocks.get(blocks.size() - 1).index() != blocks.size()) {
            throw answer.malformed("the block indexes are not 1.." + blocks.size());
        }
        // Every block is a paid clip: a script asking for more than its target needs is refused before any is paid.
        int total = blocks.stream().mapToInt(ScriptBlock::durationS).sum();
        int target = request.targetDuration();
        if (blocks.size() > ScriptLimits.maxBlocks(target) || total > ScriptLimits.maxTotalSeconds(target)) {
            throw answer.malformed(blocks.size() + " blocks of " + total + " s in all for a target of " + target
                    + " s (at most " + ScriptLimits.maxBlocks(target) + " blocks and "
                    + ScriptLimits.maxTotalSeconds(target) + " s): refused before paying for any clip");
        }
        LOG.info("cloud-run script agent: {} blocks for {} (agent video_id {})", blocks.size(), videoId, agentVideoId);
        return new Script(blocks, agentVideoId);
    }

    // ---------------------------------------------------------------- clips

    record ClipPayload(String videoId, int blockIndex, String prompt, String narration, int duration,
                       String aspectRatio, String language) {
    }

    record CheckPayload(String videoId, Map<String, String> operations) {
    }

    /**
     * Submits the block and waits for its operation, checking it about every {@link OperationPolling#interval()}
     * until {@link OperationPolling#deadline()}.
     */
    @Override
    public Clip generateClip(ClipRequest request) throws AgentException {
        String operation = submit(request);
        long start = System.nanoTime();
        long deadline = start + polling.deadline().toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AgentException(ErrorCode.OPERATION_TIMEOUT, false, "block " + request.block().index()
                        + ": operation " + operation + " not done after " + polling.deadline().toSeconds()
                        + " s");
            }
            sleep(Math.min(polling.interval().toNanos(), remaining));
            if (checkOnce(request, operation) instanceof ClipProgress.Done done) {
                LOG.info("cloud-run: block {} ({}) done in {} ms", request.block().index(), operation,
                        (System.nanoTime() - start) / 1_000_000);
                return done.clip();
            }
        }
    }

    /** Submits the block to the video agent and answers at once with its operation, for the bridge to poll. */
    /** Clips are long-running operations, submitted by {@link #startClip} and checked by {@link #pollClip}. */
    @Override
    public boolean startsOperations() {
        return true;
    }

    @Override
    public ClipProgress startClip(ClipRequest request) throws AgentException {
        return new ClipProgress.Pending(submit(request));
    }

    /**
     * Asks the check-and-retry agent once about {@code operation}: done, still running, or failed (classified).
     * A check that cannot be made now (5xx, 429, no answer, open circuit) answers "still running": the
     * generation is paid for and may well finish, and the bridge's deadline bounds the wait.
     */
    @Override
    public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
        return checkOnce(request, operation);
    }

    private String submit(ClipRequest request) throws AgentException {
        ScriptBlock block = request.block();
        ClipPayload payload = new ClipPayload(agentVideoId(request), block.index(), block.prompt(), block.narration(),
                block.durationS(), request.request().aspectRatio(), request.request().language());
        String key = request.videoId() + "-block-" + block.index() + "-attempt-" + request.attempt();
        Answer submitted = Answer.parse(video.name(), call(video, VIDEO_PATH, payload, key, firstAttempt(request)));
        String operation = submitted.string("operation");
        LOG.info("cloud-run video agent: block {}/{} of {} submitted as {}", block.index(), request.totalBlocks(),
                request.videoId(), operation);
        return operation;
    }

    private ClipProgress checkOnce(ClipRequest request, String operation) throws AgentException {
        return pollClips(List.of(new ClipCheck(request, operation))).get(0).progress();
    }

    /**
     * Checks a video's operations in one call to the check-and-retry agent, which takes them as a map
     * {@code {"<block index>": operation}} (docs/agents.md). Checks of several agent videos, or of one block index
     * twice (two versions of a block), are split over as many calls as that needs. A call that cannot be made now
     * (5xx, 429, no answer, open circuit) leaves each of its operations "still running", as one check does.
     */
    @Override
    public List<ClipCheck.Outcome> pollClips(List<ClipCheck> checks) {
        ClipCheck.Outcome[] outcomes = new ClipCheck.Outcome[checks.size()];
        // each call: its operations' block indexes -> their positions in checks; per agent video id, a block index
        // goes in the first of its calls that does not have it yet
        List<Map<String, Integer>> calls = new ArrayList<>();
        Map<String, List<Map<String, Integer>>> byVideo = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            ClipCheck check = checks.get(i);
            String index = Integer.toString(check.request().block().index());
            List<Map<String, Integer>> ofVideo = byVideo.computeIfAbsent(agentVideoId(check.request()),
                    v -> new ArrayList<>());
            Map<String, Integer> call = ofVideo.stream().filter(c -> !c.containsKey(index)).findFirst().orElse(null);
            if (call == null) {
                call = new LinkedHashMap<>();
                ofVideo.add(call);
                calls.add(call);
            }
            call.put(index, i);
        }
        for (Map<String, Integer> call : calls) {
            checkCall(checks, call, outcomes);
        }
        return Arrays.asList(outcomes);
    }

    /** One call about the checks at {@code call}'s positions, keyed by their block indexes; fills their outcomes. */
    private void checkCall(List<ClipCheck> checks, Map<String, Integer> call, ClipCheck.Outcome[] outcomes) {
        Map<String, String> operations = new LinkedHashMap<>();
        call.forEach((index, i) -> operations.put(index, checks.get(i).operation()));
        CheckPayload payload = new CheckPayload(agentVideoId(checks.get(call.values().iterator().next()).request()),
                operations);
        Answer status;
        try {
            status = Answer.parse(check.name(), check.post(CHECK_PATH, payload, null)).object("clips_status");
        } catch (AgentCallFailure e) {
            for (int i : call.values()) {
                ClipCheck one = checks.get(i);
                if (e.transientFailure() || e.kind() == AgentCallFailure.Kind.CIRCUIT_OPEN) {
                    LOG.warn("cloud-run check-and-retry agent: block {} ({}) not checked this time: {}",
                            one.request().block().index(), one.operation(), e.getMessage());
                    outcomes[i] = new ClipCheck.Checked(new ClipProgress.Pending(one.operation()));
                } else {
                    outcomes[i] = new ClipCheck.Failed(translate(check, e, firstAttempt(one.request())));
                }
            }
            return;
        } catch (AgentException e) {
            // an answer that is not the contract's: each of its blocks fails with it
            for (int i : call.values()) {
                outcomes[i] = new ClipCheck.Failed(e);
            }
            return;
        }
        for (int i : call.values()) {
            ClipCheck one = checks.get(i);
            try {
                outcomes[i] = new ClipCheck.Checked(clipState(one.request(), one.operation(), status));
            } catch (AgentException e) {
                outcomes[i] = new ClipCheck.Failed(e);
            }
        }
    }

    /** One block's state in the check agent's {@code clips_status}. */
    private static ClipProgress clipState(ClipRequest request, String operation, Answer status) throws AgentException {
        ScriptBlock block = request.block();
        String key = Integer.toString(block.index());
        if (!status.has(key)) {
            return new ClipProgress.Pending(operation);
        }
        Answer clip = status.object(key);
        String state = clip.string("state").toLowerCase(Locale.ROOT);
        switch (state) {
            case "done", "completed", "succeeded", "success" -> {
                double duration = clip.has("duration") ? clip.number("duration") : block.durationS();
                return new ClipProgress.Done(new Clip(clip.string("clip_uri"), duration, operation));
            }
            case "failed", "error" -> {
                String error = clip.text("error");
                throw AgentErrors.exception("video", AgentErrors.NO_HTTP_STATUS, "block " + block.index() + " ("
                        + operation + ") failed: " + (error == null ? "(no error text)" : error), firstAttempt(request));
            }
            default -> {
                LOG.debug("cloud-run: block {} ({}) is {}", block.index(), operation, state);
                return new ClipProgress.Pending(operation);
            }
        }
    }

    private static String agentVideoId(ClipRequest request) {
        return request.agentVideoId() != null ? request.agentVideoId() : request.videoId();
    }

    /** A usage_guidelines failure is retryable once: only on a block's first attempt. */
    private static boolean firstAttempt(ClipRequest request) {
        return request.attempt() <= 1;
    }

    private static void sleep(long nanos) throws AgentException {
        try {
            Thread.sleep(Duration.ofNanos(nanos).toMillis(), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ErrorCode.DEFAULT, true, "interrupted while waiting for a clip", e);
        }
    }

    // ---------------------------------------------------------------- assembly

    record AssemblePayload(String videoId, List<String> clips) {
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        String agentVideoId = agentVideoId(videoId, clipUris);
        AssemblePayload payload = new AssemblePayload(agentVideoId, List.copyOf(clipUris));
        String body;
        try {
            body = assembler.post(ASSEMBLE_PATH, payload, "assemble-" + videoId);
        } catch (AgentCallFailure e) {
            if (e.kind() == AgentCallFailure.Kind.HTTP_ERROR) {
                throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false,
                        AgentErrors.describe(assembler.name(), e.status(), e.body()));
            }
            throw translate(assembler, e, false);
        }
        Answer answer = Answer.parse(assembler.name(), body);
        if (answer.has("error")) {
            throw new AgentException(ErrorCode.ASSEMBLY_FAILED, false,
                    "assembler agent: " + AgentErrors.shorten(answer.text("error")));
        }
        String finalUrl = answer.string("final_url");
        double duration = answer.number("duration");
        LOG.info("cloud-run assembler agent: {} assembled at {} ({} s)", videoId, finalUrl, duration);
        return new Assembled(finalUrl, duration);
    }

    /** The agent's video id, read from the clips' URIs ({@code …/{video_id}/clips/block_i.mp4}); else ours. */
    static String agentVideoId(String videoId, List<String> clipUris) {
        String found = null;
        for (String uri : clipUris) {
            Matcher m = uri == null ? null : CLIP_URI.matcher(uri);
            if (m == null || !m.matches() || (found != null && !found.equals(m.group(1)))) {
                return videoId;
            }
            found = m.group(1);
        }
        return found == null ? videoId : found;
    }

    // ---------------------------------------------------------------- calls

    private String call(AgentEndpoint agent, String path, Object payload, String idempotencyKey,
                        boolean usageRetryable) throws AgentException {
        try {
            return agent.post(path, payload, idempotencyKey);
        } catch (AgentCallFailure e) {
            throw translate(agent, e, usageRetryable);
        }
    }

    private AgentException translate(AgentEndpoint agent, AgentCallFailure e, boolean usageRetryable) {
        return switch (e.kind()) {
            case HTTP_ERROR -> AgentErrors.exception(agent.name(), e.status(), e.body(), usageRetryable);
            // Refused by the open circuit: classified by the latest error that opened it (a quota storm is
            // still quota_exceeded for the user), and worth another attempt once it closes.
            case CIRCUIT_OPEN -> new AgentException(e.status() > 0 ? AgentErrors.classify(e.status(), e.body())
                    : ErrorCode.DEFAULT, true, e.getMessage(), e);
            case UNREACHABLE, AUTH -> new AgentException(ErrorCode.DEFAULT, true, e.getMessage()
                    + " (after " + (settings.maxRetries() + 1) + " attempts at most)", e);
        };
    }
}
