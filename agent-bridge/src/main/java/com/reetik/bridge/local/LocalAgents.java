package com.reetik.bridge.local;

import com.reetik.bridge.agent.AgentException;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.Assembled;
import com.reetik.bridge.agent.AssemblyOptions;
import com.reetik.bridge.agent.Clip;
import com.reetik.bridge.agent.ClipRequest;
import com.reetik.bridge.agent.Script;
import com.reetik.contracts.status.ErrorCode;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.storage.ObjectStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} agents, a "local preview" without network or AI: template scripts ({@link LocalScriptWriter}),
 * ffmpeg-drawn clips ({@link LocalClipRenderer}) and ffmpeg assembly ({@link FfmpegAssembler}).
 */
public final class LocalAgents implements AgentPort {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAgents.class);

    private final LocalScriptWriter scriptWriter;
    private final LocalClipRenderer clipRenderer;
    private final FfmpegAssembler assembler;

    /**
     * @param workDir      where temporary renders are written before they are stored
     * @param blockSeconds 4, 6 or 8
     * @param failureRate  0.0–1.0: the chance that a clip fails on purpose (retryable)
     */
    public LocalAgents(Ffmpeg ffmpeg, ObjectStore store, Path workDir, int blockSeconds, double failureRate,
                       RandomGenerator random) {
        this(ffmpeg, store, workDir, blockSeconds, failureRate, random, PreviewResolution.P720);
    }

    /** @param resolution the clips' frame size (720p, or 360p for a quicker draft) */
    public LocalAgents(Ffmpeg ffmpeg, ObjectStore store, Path workDir, int blockSeconds, double failureRate,
                       RandomGenerator random, PreviewResolution resolution) {
        this(new LocalScriptWriter(blockSeconds),
                new LocalClipRenderer(ffmpeg, store, workDir.resolve("clips"), failureRate, random, resolution),
                new FfmpegAssembler(ffmpeg, store, workDir.resolve("assembly")));
    }

    /** Composes given parts (e.g. a renderer with other fonts). */
    public LocalAgents(LocalScriptWriter scriptWriter, LocalClipRenderer clipRenderer, FfmpegAssembler assembler) {
        this.scriptWriter = Objects.requireNonNull(scriptWriter, "scriptWriter");
        this.clipRenderer = Objects.requireNonNull(clipRenderer, "clipRenderer");
        this.assembler = Objects.requireNonNull(assembler, "assembler");
    }

    /**
     * Local agents configured from the environment: {@code FFMPEG_PATH} (else the bundled ffmpeg, extracted under
     * {@code workDir/bin}) and {@code REETIK_LOCAL_FAILURE_RATE} (default 0), with 4-second blocks.
     */
    public static LocalAgents fromEnvironment(ObjectStore store, Path workDir) {
        double failureRate = LocalClipRenderer.parseFailureRate(System.getenv(LocalClipRenderer.ENV_FAILURE_RATE));
        return new LocalAgents(Ffmpeg.fromEnvironment(workDir.resolve("bin")), store, workDir,
                LocalScriptWriter.DEFAULT_BLOCK_SECONDS, failureRate, RandomGenerator.getDefault());
    }

    @Override
    public Script writeScript(String videoId, VideoRequest request) throws AgentException {
        try {
            return new Script(scriptWriter.write(request), null);
        } catch (IllegalArgumentException e) {
            throw new AgentException(ErrorCode.DEFAULT, false,
                    "local preview: cannot write the script of " + videoId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Clip generateClip(ClipRequest request) throws AgentException {
        long start = System.nanoTime();
        Clip clip = clipRenderer.render(request);
        LOG.info("local preview: rendered block {}/{} of {} in {} ms", request.block().index(), request.totalBlocks(),
                request.videoId(), (System.nanoTime() - start) / 1_000_000);
        return clip;
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris) throws AgentException {
        return assembler.assemble(videoId, clipUris, AssemblyOptions.NONE);
    }

    @Override
    public Assembled assemble(String videoId, List<String> clipUris, AssemblyOptions options) throws AgentException {
        return assembler.assemble(videoId, clipUris, options);
    }
}
