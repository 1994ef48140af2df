package com.reetik.bridge.veo;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateVideosConfig;
import com.google.genai.types.GenerateVideosOperation;
import com.google.genai.types.GenerateVideosResponse;
import com.google.genai.types.GeneratedVideo;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Image;
import com.google.genai.types.Part;
import com.google.genai.types.Video;
import com.google.genai.types.VideoGenerationReferenceImage;
import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.AssemblyOptions;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipProgress;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.OperationPolling;
import com.reetik.bridge.agent.ReferenceImageFiles;
import com.reetik.bridge.agent.Script;
import com.reetik.bridge.cloudrun.AgentErrors;
import com.reetik.bridge.local.FfmpegAssembler;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.ObjectStore;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code veo} agents, through the Google Gen AI SDK: Gemini writes the script (structured JSON output), Veo 3.1
 * generates each block's clip as a long-running operation ({@link #startClip} / {@link #pollClip}), and ffmpeg
 * ({@link FfmpegAssembler}) joins the stored clips.
 *
 * <p>Video starts go through a client-side rate limiter ({@link VeoProperties#rateLimit()} per
 * {@link VeoProperties#ratePeriod()}, 50 a minute by default) so that a burst of blocks waits instead of getting 429s.
 */
public final class VeoAgents implements AgentPort, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VeoAgents.class);
    private static final String AGENT = "veo";

    private final Client client;
    private final VeoProperties settings;
    private final VeoRules rules;
    private final OperationPolling polling;
    private final ObjectStore store;
    private final Path workDir;
    private final FfmpegAssembler assembler;
    private final RateLimiter rateLimiter;

    /**
     * @param client    the SDK client (see {@link #client(VeoProperties)})
     * @param polling   how {@link #generateClip} waits for an operation: the bridge's poll interval and deadline
     * @param workDir   where downloaded clips are written before they are stored
     * @param assembler joins the stored clips
     */
    public VeoAgents(Client client, VeoProperties settings, OperationPolling polling, ObjectStore store, Path workDir,
                     FfmpegAssembler assembler) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rules = VeoRules.of(settings);
        this.polling = Objects.requireNonNull(polling, "polling");
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
        this.rateLimiter = RateLimiter.of("veo-generate-videos", RateLimiterConfig.custom()
                .limitForPeriod(settings.rateLimit())
                .limitRefreshPeriod(settings.ratePeriod())
                .timeoutDuration(settings.rateWait())
                .build());
    }

    /** With an SDK client built from the settings. */
    public VeoAgents(VeoProperties settings, OperationPolling polling, ObjectStore store, Path workDir,
                     FfmpegAssembler assembler) {
        this(client(settings), settings, polling, store, workDir, assembler);
    }

    public VeoProperties settings() {
        return settings;
    }

    /** How {@link #generateClip} waits for an operation (the bridge's poll interval and deadline). */
    public OperationPolling polling() {
        return polling;
    }

    /** The SDK client of the settings: API key (Gemini API) or project + location (Vertex AI), at the base URL. */
    public static Client client(VeoProperties settings) {
        HttpOptions.Builder http = HttpOptions.builder()
                .retryOptions(HttpRetryOptions.builder().attempts(settings.sdkAttempts()).build());
        if (settings.baseUrl() != null) {
            http.baseUrl(settings.baseUrl());
        }
        Client.Builder builder = Client.builder().httpOptions(http.build());
        if (settings.vertexAi()) {
            builder.vertexAI(true).project(settings.project()).location(settings.location());
        } else {
            builder.vertexAI(false).apiKey(settings.apiKey());
        }
        return builder.build();
    }

    // ---------------------------------------------------------------- script

    /**
     * Asks Gemini for the script as JSON (response schema), checks it (blocks 1..n, durations the model makes at this
     * resolution ({@link VeoRules}) adding up to at least the target), and asks once more, saying what was wrong, when the answer is not usable.
     */
    @Override
    public Script writeScript(String videoId, VideoRequest request) throws AgentException {
        GenerateContentConfig config = GenerateContentConfig.builder()
                .responseMimeType("application/json")
                .responseSchema(GeminiScripts.responseSchema())
                .systemInstruction(Content.fromParts(Part.fromText(
                        "You write scripts for short videos made of generated clips. You answer with JSON only.")))
                .build();
        if (request.hasReferenceImages()) {
            Optional<String> refused = ReferenceImage.refusal("veo", settings.veoModel());
            if (refused.isPresent()) {
                // the gateway refuses such a request (400) when it knows the same agents; this one did not
                throw new AgentException(ErrorCode.DEFAULT, false, "script: " + refused.get());
            }
        }
        VeoRules rules = this.rules.forRequest(request);
        String problem = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            String text = askGemini(GeminiScripts.prompt(request, problem, rules), config);
            try {
                List<ScriptBlock> blocks = GeminiScripts.parse(text, request.targetDuration(), rules);
                LOG.info("veo: script of {} written by {}: {} blocks", videoId, settings.geminiModel(), blocks.size());
                return new Script(blocks, null);
            } catch (GeminiScripts.InvalidScript e) {
                problem = e.getMessage();
                LOG.warn("veo: unusable script for {} (answer {} of 2): {}", videoId, attempt, problem);
            }
        }
        throw new AgentException(ErrorCode.DEFAULT, false,
                "script: Gemini (" + settings.geminiModel() + ") gave no usable script for " + videoId
                        + " after 2 answers; the last one: " + problem);
    }

    private String askGemini(String prompt, GenerateContentConfig config) throws AgentException {
        try {
            GenerateContentResponse response = client.models.generateContent(settings.geminiModel(), prompt, config);
            return response.text();
        } catch (ApiException e) {
            throw apiFailure("script", e, false);
        } catch (RuntimeException e) {
            throw new AgentException(ErrorCode.DEFAULT, true, "script: Gemini call failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- clips

    /** Starts the block's Veo operation (after the rate limiter) and answers {@link ClipProgress.Pending} with its name. */
    /** Clips are long-running operations, submitted by {@link #startClip} and checked by {@link #pollClip}. */
    @Override
    public boolean startsOperations() {
        return true;
    }

    @Override
    public ClipProgress startClip(ClipRequest request) throws AgentException {
        String stage = stage(request);
        if (!rateLimiter.acquirePermission()) {
            throw new AgentException(ErrorCode.QUOTA_EXCEEDED, true, stage + ": waited " + settings.rateWait()
                    + " for the client-side Veo rate limit (" + settings.rateLimit() + " per " + settings.ratePeriod()
                    + ")");
        }
        ScriptBlock block = request.block();
        VeoRules rules = this.rules.forRequest(request.request());
        GenerateVideosConfig.Builder config = GenerateVideosConfig.builder()
                .numberOfVideos(1)
                .aspectRatio(aspectRatio(request))
                .durationSeconds(rules.clipSeconds(block.durationS()))
                .resolution(settings.resolution());
        rules.personGeneration().ifPresent(config::personGeneration);
        if (rules.referenceImages()) {
            config.referenceImages(referenceImages(request, stage));
        }
        if (settings.vertexAi()) {
            // Vertex AI asks for audio; the Gemini API's Veo 3.x always generates it (the SDK rejects the field).
            config.generateAudio(true);
        }
        if (settings.bucket() != null && settings.vertexAi()) {
            config.outputGcsUri("gs://" + settings.bucket() + "/" + request.clipKey());
        }
        GenerateVideosOperation operation;
        try {
            operation = client.models.generateVideos(settings.veoModel(), videoPrompt(request), null, config.build());
        } catch (ApiException e) {
            throw apiFailure(stage, e, request.attempt() <= 1);
        } catch (RuntimeException e) {
            throw new AgentException(ErrorCode.DEFAULT, true, stage + ": Veo call failed: " + e.getMessage(), e);
        }
        String name = operation.name().filter(n -> !n.isBlank()).orElseThrow(() -> new AgentException(
                ErrorCode.DEFAULT, true, stage + ": Veo answered without an operation name"));
        LOG.info("veo: {} of {} started with {}: {}", stage, request.videoId(), settings.veoModel(), name);
        return new ClipProgress.Pending(name);
    }

    /**
     * Checks the operation once: {@link ClipProgress.Pending} while it runs (or when it cannot be checked right now:
     * 5xx, 429, no answer), {@link ClipProgress.Done} once the clip is stored, else the classified failure.
     */
    @Override
    public ClipProgress pollClip(ClipRequest request, String operation) throws AgentException {
        String stage = stage(request);
        boolean usageRetryable = request.attempt() <= 1;
        GenerateVideosOperation op;
        try {
            op = client.operations.getVideosOperation(GenerateVideosOperation.builder().name(operation).build(), null);
        } catch (ApiException e) {
            if (e.code() == 429 || e.code() >= 500) {
                LOG.warn("veo: {} of {}: cannot check {} now (HTTP {}), still running", stage, request.videoId(),
                        operation, e.code());
                return new ClipProgress.Pending(operation);
            }
            throw apiFailure(stage, e, usageRetryable);
        } catch (RuntimeException e) {
            LOG.warn("veo: {} of {}: cannot check {} now ({}), still running", stage, request.videoId(), operation,
                    e.toString());
            return new ClipProgress.Pending(operation);
        }
        if (!op.done().orElse(false)) {
            return new ClipProgress.Pending(operation);
        }
        if (op.error().isPresent()) {
            throw AgentErrors.exception(AGENT, AgentErrors.NO_HTTP_STATUS,
                    stage + ": operation " + operation + " failed: " + operationError(op.error().get()),
                    usageRetryable);
        }
        GenerateVideosResponse response = op.response().orElse(null);
        int filtered = response == null ? 0 : response.raiMediaFilteredCount().orElse(0);
        if (filtered > 0) {
            throw AgentErrors.exception(AGENT, AgentErrors.NO_HTTP_STATUS, stage + ": raiMediaFilteredCount: "
                    + filtered + ", reasons: " + response.raiMediaFilteredReasons().orElse(List.of()), usageRetryable);
        }
        Optional<Video> video = response == null ? Optional.empty() : response.generatedVideos()
                .flatMap(list -> list.stream().findFirst()).flatMap(GeneratedVideo::video);
        if (video.isEmpty()) {
            throw new AgentException(ErrorCode.DEFAULT, true, stage + ": operation " + operation
                    + " is done without a video");
        }
        String uri = store(request, video.get(), stage);
        LOG.info("veo: {} of {} done: {}", stage, request.videoId(), uri);
        return new ClipProgress.Done(new Clip(uri, request.block().durationS(), operation));
    }

    /** Starts, then polls every {@link OperationPolling#interval()} until done or {@link OperationPolling#deadline()}. */
    @Override
    public Clip generateClip(ClipRequest request) throws AgentException {
        Instant deadline = Instant.now().plus(polling.deadline());
        ClipProgress progress = startClip(request);
        while (progress instanceof ClipProgress.Pending pending) {
            if (Instant.now().isAfter(deadline)) {
                throw new AgentException(ErrorCode.OPERATION_TIMEOUT, false, stage(request) + ": operation "
                        + pending.operation() + " not done after " + polling.deadline());
            }
            try {
                Thread.sleep(polling.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(ErrorCode.DEFAULT, true, stage(request) + ": interrupted", e);
            }
            progress = pollClip(request, pending.operation());
        }
        return ((ClipProgress.Done) progress).clip();
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        return assembler.assemble(videoId, clipUris, AssemblyOptions.NONE);
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris, AssemblyOptions options) throws AgentException {
        return assembler.assemble(videoId, clipUris, options);
    }

    @Override
    public void close() {
        client.close();
    }

    // ---------------------------------------------------------------- helpers

    /** The Veo prompt: the block's visual prompt, then its narration as the spoken line. */
    static String videoPrompt(ClipRequest request) {
        ScriptBlock block = request.block();
        String language = "fr".equals(request.request().language()) ? "French" : "en".equals(
                request.request().language()) ? "English" : request.request().language();
        return block.prompt().strip() + "\n\nA narrator's voice says, in " + language + ": \""
                + block.narration().strip().replace("\"", "'") + "\"";
    }

    /** The video's reference images, read from where the gateway stored them, as Veo's "asset" references. */
    private List<VideoGenerationReferenceImage> referenceImages(ClipRequest request, String stage)
            throws AgentException {
        List<VideoGenerationReferenceImage> images = new ArrayList<>();
        try {
            for (ReferenceImageFiles.Stored image : ReferenceImageFiles.of(request, store, stage)) {
                images.add(VideoGenerationReferenceImage.builder()
                        .image(Image.builder().imageBytes(Files.readAllBytes(image.file())).mimeType(image.mimeType()))
                        // the documented wire value is "asset" (Google's REST examples); the SDK's enum
                        // constant would be sent as "ASSET"
                        .referenceType("asset")
                        .build());
            }
        } catch (IOException e) {
            throw new AgentException(ErrorCode.DEFAULT, true,
                    stage + ": reading the reference images failed: " + e.getMessage(), e);
        }
        return images;
    }

    private static String aspectRatio(ClipRequest request) {
        return "16:9".equals(request.request().aspectRatio()) ? "16:9" : "9:16";
    }


    private String store(ClipRequest request, Video video, String stage) throws AgentException {
        Optional<String> uri = video.uri().filter(u -> !u.isBlank());
        if (uri.isPresent() && uri.get().startsWith("gs://") && video.videoBytes().isEmpty()) {
            return uri.get();
        }
        String key = request.clipKey();
        Path tmp = null;
        try {
            Files.createDirectories(workDir);
            tmp = Files.createTempFile(workDir, "veo-clip-", ".mp4");
            Optional<byte[]> bytes = video.videoBytes();
            if (bytes.isPresent()) {
                Files.write(tmp, bytes.get());
            } else if (uri.isPresent() && !settings.vertexAi()) {
                client.files.download(video, tmp.toString(), null);
            } else {
                throw new AgentException(ErrorCode.DEFAULT, true, stage + ": Veo's video has neither bytes nor a "
                        + "URI that can be downloaded: " + uri.orElse("(none)"));
            }
            if (Files.size(tmp) == 0) {
                throw new AgentException(ErrorCode.DEFAULT, true, stage + ": Veo's video is empty");
            }
            return store.put(key, tmp);
        } catch (IOException | RuntimeException e) {
            throw new AgentException(ErrorCode.DEFAULT, true, stage + ": storing Veo's video at " + key + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("veo: cannot delete {}", tmp, e);
                }
            }
        }
    }

    /** A failed operation's {@code error} ({@code code}, {@code message}, {@code details}) as one text. */
    private static String operationError(Map<String, Object> error) {
        Object code = error.get("code");
        String text = String.valueOf(error);
        // google.rpc.Code 8 = RESOURCE_EXHAUSTED
        if (code instanceof Number n && n.intValue() == 8 && !text.contains("RESOURCE_EXHAUSTED")) {
            return "RESOURCE_EXHAUSTED " + text;
        }
        return text;
    }

    private static AgentException apiFailure(String stage, ApiException e, boolean usageRetryable) {
        String text = (e.status() == null ? "" : e.status() + ": ") + e.message();
        AgentException classified = AgentErrors.exception(AGENT, e.code(), text, usageRetryable);
        return new AgentException(classified.code(), classified.retryable(), stage + ": " + classified.getMessage(),
                e);
    }

    private static String stage(ClipRequest request) {
        return "block " + request.block().index();
    }
}
