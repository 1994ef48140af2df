package com.reetik.standalone;

import com.reetik.bridge.AgentBridgeService;
import com.reetik.bridge.BridgeSettings;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.cancel.CancellationMarks;
import com.reetik.bridge.cloudrun.CloudRunAgents;
import com.reetik.bridge.veo.VeoAgents;
import com.reetik.bridge.local.Ffmpeg;
import com.reetik.bridge.local.LocalAgents;
import com.reetik.bridge.local.LocalClipRenderer;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.contracts.topic.TopicInitializer;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.reetik.gcp.firestore.FirestoreMirror;
import com.reetik.gcp.firestore.FirestoreSink;
import com.reetik.gcp.storage.GcsObjectStore;
import com.reetik.gcp.storage.GcsSettings;
import com.reetik.kafka.EmbeddedKafkaBroker;
import com.reetik.projector.ProjectorSettings;
import com.reetik.projector.StatusProjectorService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline in one JVM: a KRaft broker with its log under the data directory, the topics, the status
 * projector and the agent bridge with the local agents and local file storage. The gateway (HTTP) is
 * added by {@code serve}; {@code generate} reads status from a replica of its own.
 */
public final class StandaloneStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneStack.class);

    private final StandaloneSettings settings;
    private final UnaryOperator<AgentPort> agentsWrapper;
    private final Function<StandaloneSettings, ObjectStore> storeFactory;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafkaBroker broker;
    private ObjectStore store;

    public StandaloneStack(StandaloneSettings settings) {
        this(settings, UnaryOperator.identity());
    }

    /** @param agentsWrapper wraps the configured agents, e.g. to inject faults in a test */
    public StandaloneStack(StandaloneSettings settings, UnaryOperator<AgentPort> agentsWrapper) {
        this(settings, agentsWrapper, StandaloneStack::configuredStore);
    }

    /** @param storeFactory makes the object store (a test passes an in-memory bucket) */
    public StandaloneStack(StandaloneSettings settings, UnaryOperator<AgentPort> agentsWrapper,
                           Function<StandaloneSettings, ObjectStore> storeFactory) {
        this.settings = settings;
        this.agentsWrapper = agentsWrapper;
        this.storeFactory = storeFactory;
    }

    /** The bucket {@code BUCKET_NAME_V2} when set, else local files under the data directory. */
    static ObjectStore configuredStore(StandaloneSettings settings) {
        return GcsSettings.fromEnvironment(settings.env())
                .<ObjectStore>map(GcsObjectStore::create)
                .orElseGet(() -> new LocalObjectStore(settings.videosDir()));
    }

    public StandaloneStack start() throws Exception {
        Files.createDirectories(settings.dataDir());
        broker = new EmbeddedKafkaBroker(settings.kafkaDir(), settings.kafkaPort()).start();
        started.push(broker);
        TopicInitializer.createMissing(broker.bootstrapServers(), settings.partitions(), (short) 1);

        StatusProjectorService projector = new StatusProjectorService(new ProjectorSettings(
                broker.bootstrapServers(), ProjectorSettings.DEFAULT_APPLICATION_ID,
                settings.stateDir().resolve("projector"), 1, "standalone"));
        projector.start();
        started.push(projector);

        store = storeFactory.apply(settings);
        log.info("Storage: {}", store.uri("{video_id}/final.mp4"));
        AgentBridgeService bridge = new AgentBridgeService(new BridgeSettings(broker.bootstrapServers(), "standalone",
                settings.blockWorkers(), settings.maxAttempts(), Duration.ofMillis(500),
                settings.pollInterval(), settings.operationDeadline()),
                agentsWrapper.apply(agents(store)),
                new CancellationMarks(store, settings.dataDir().resolve("work")), Clock.systemUTC());
        bridge.start();
        started.push(bridge);
        startFirestoreMirror();
        log.info("Reetik pipeline running: data in {}", settings.dataDir());
        return this;
    }

    private AgentPort agents(ObjectStore objects) {
        if ("cloud-run".equals(settings.agents())) {
            log.info("Agents: the four Cloud Run agents (AGENT_SCRIPT_V2, AGENT_VIDEO_V2, CHECK_AND_RETRY, "
                    + "AGENT_ASSEMBLER_V2)");
            return CloudRunAgents.fromEnvironment(settings.env());
        }
        if ("veo".equals(settings.agents())) {
            log.info("Agents: Veo 3.1 for the clips, Gemini for the script, ffmpeg for the assembly");
            return VeoAgents.fromEnvironment(settings.env(), objects, settings.dataDir().resolve("work"));
        }
        if (!"local".equals(settings.agents())) {
            throw new IllegalArgumentException("REETIK_AGENTS must be local, cloud-run or veo, not '"
                    + settings.agents() + "'");
        }
        Path work = settings.dataDir().resolve("work");
        Ffmpeg ffmpeg = settings.env().containsKey(Ffmpeg.ENV_FFMPEG_PATH)
                ? new Ffmpeg(java.util.Optional.of(Path.of(settings.env().get(Ffmpeg.ENV_FFMPEG_PATH))),
                        settings.dataDir().resolve("bin"))
                : new Ffmpeg(java.util.Optional.empty(), settings.dataDir().resolve("bin"));
        double failureRate = LocalClipRenderer.parseFailureRate(settings.env().get(LocalClipRenderer.ENV_FAILURE_RATE));
        int blockSeconds = Integer.parseInt(settings.env().getOrDefault("REETIK_BLOCK_SECONDS", "4"));
        log.info("Agents: local preview (templates + ffmpeg, no AI), {} s blocks, failure rate {}", blockSeconds,
                failureRate);
        return new LocalAgents(ffmpeg, objects, work, blockSeconds, failureRate, new SplittableRandom());
    }

    /**
     * With {@code GCP_PROJECT} set and {@code REETIK_FIRESTORE_MIRROR=true}: the projector's committed
     * views are mirrored to Firestore ({@code v2_video_status}, {@code v2_veo_operations}); the client
     * honours {@code FIRESTORE_EMULATOR_HOST}.
     */
    private void startFirestoreMirror() {
        String project = settings.env().get("GCP_PROJECT");
        if (project == null || project.isBlank()
                || !"true".equalsIgnoreCase(settings.env().get("REETIK_FIRESTORE_MIRROR"))) {
            return;
        }
        Firestore firestore = FirestoreOptions.newBuilder().setProjectId(project).build().getService();
        FirestoreMirror mirror = new FirestoreMirror(FirestoreMirror.createConsumer(broker.bootstrapServers(),
                FirestoreMirror.DEFAULT_GROUP_ID), new FirestoreSink(firestore), Duration.ofMillis(500));
        Thread thread = new Thread(mirror, "firestore-mirror");
        thread.start();
        started.push(() -> {
            mirror.close();
            thread.join(10_000);
            firestore.close();
        });
        log.info("Firestore mirror running for project {}", project);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public ObjectStore store() {
        return store;
    }

    public StandaloneSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
        }
    }
}
