package com.reetik.standalone;

import com.reetik.bridge.AgentBridgeApplication;
import com.reetik.bridge.agent.AgentPort;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.gateway.GatewayApplication;
import com.reetik.kafka.EmbeddedKafkaBroker;
import com.reetik.projector.StatusProjectorApplication;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * The pipeline in one JVM: a KRaft broker with its log under the data directory, and the same three
 * applications that run as separate services ({@link StatusProjectorApplication},
 * {@link AgentBridgeApplication}, and with {@link #startGateway()} the {@link GatewayApplication}), each
 * started with its own configuration, pointed at the embedded broker and sharing one data directory and one
 * object store. Standalone adds no wiring of its own: what it passes are settings.
 */
public final class StandaloneStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneStack.class);
    static final String INSTANCE_ID = "standalone";

    private final StandaloneSettings settings;
    private final UnaryOperator<AgentPort> agentsWrapper;
    private final Function<StandaloneSettings, ObjectStore> storeFactory;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafkaBroker broker;
    private ObjectStore store;
    private ConfigurableApplicationContext bridge;

    public StandaloneStack(StandaloneSettings settings) {
        this(settings, UnaryOperator.identity());
    }

    /** @param agentsWrapper wraps the configured agents, e.g. to inject faults in a test */
    public StandaloneStack(StandaloneSettings settings, UnaryOperator<AgentPort> agentsWrapper) {
        this(settings, agentsWrapper, null);
    }

    /**
     * @param storeFactory makes the object store (a test passes an in-memory bucket); null: the bridge makes it
     *                     from its own settings ({@code BUCKET_NAME_V2}, else {@code REETIK_STORAGE_DIR}), and the
     *                     gateway serves from the same one
     */
    public StandaloneStack(StandaloneSettings settings, UnaryOperator<AgentPort> agentsWrapper,
                           Function<StandaloneSettings, ObjectStore> storeFactory) {
        this.settings = settings;
        this.agentsWrapper = agentsWrapper;
        this.storeFactory = storeFactory;
    }

    /** Starts the broker, the projector and the bridge; if one cannot start, stops what did and throws. */
    public StandaloneStack start() throws Exception {
        try {
            startAll();
        } catch (Exception | Error e) {
            // Nothing left running behind a failed start: a broker outliving its caller would go on writing
            // to a directory the caller may delete.
            close();
            throw e;
        }
        log.info("Storage: {}", store.uri("{video_id}/final.mp4"));
        log.info("Reetik pipeline running: data in {}", settings.dataDir());
        return this;
    }

    private void startAll() throws Exception {
        Files.createDirectories(settings.dataDir());
        broker = new EmbeddedKafkaBroker(settings.kafkaDir(), settings.kafkaPort(), settings.kafkaFlush()).start();
        started.push(broker);
        store = storeFactory == null ? null : storeFactory.apply(settings);
        // The projector first: it creates the topics (as each service does) and the bridge's assembly reads its views.
        started.push(launch(StatusProjectorApplication.builder(), false, UnaryOperator.identity()));
        bridge = launch(AgentBridgeApplication.builder(), false, agentsWrapper);
        started.push(bridge);
        if (store == null) {
            store = bridge.getBean(ObjectStore.class);
        }
    }

    /** The HTTP gateway on {@code SERVER_PORT}, stopped with the stack. */
    public ConfigurableApplicationContext startGateway() {
        ConfigurableApplicationContext gateway = launch(GatewayApplication.builder(), true, UnaryOperator.identity());
        started.push(gateway);
        return gateway;
    }

    /**
     * Starts one application with: the embedded broker, the data directory, this stack's instance id and
     * store as command-line properties (they win over the application's own files), and this stack's
     * environment (e.g. {@code REETIK_AGENTS}, {@code AGENT_VIDEO_V2}) for the names its files read.
     */
    private ConfigurableApplicationContext launch(SpringApplicationBuilder builder, boolean web,
                                                  UnaryOperator<AgentPort> agents) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--reetik.data-dir=" + settings.dataDir(),
                "--reetik.instance-id=" + INSTANCE_ID,
                // the only bridge: its local renders spread over a thread per partition (BridgeProperties)
                "--reetik.bridge.sole-instance=true",
                "--reetik.topics.replication-factor=1",
                "--spring.main.register-shutdown-hook=false"));
        if (web) {
            args.add("--server.port=" + settings.serverPort());
            // One machine, one gateway: a short JWT_SECRET_KEY is the user's own business here (warned, not refused).
            args.add("--reetik.gateway.allow-weak-secret=true");
        } else {
            args.add("--spring.main.web-application-type=none");
        }
        Map<String, Object> env = new HashMap<>(settings.env());
        return builder
                .initializers(context -> {
                    MutablePropertySources sources = context.getEnvironment().getPropertySources();
                    MapPropertySource stackEnv = new MapPropertySource("reetikStandaloneEnvironment", env);
                    if (sources.contains(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
                        sources.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, stackEnv);
                    } else {
                        sources.addFirst(stackEnv);
                    }
                    // One store for the whole stack: the gateway serves what the bridge wrote.
                    if (store != null) {
                        context.getBeanFactory().registerSingleton("objectStore", store);
                    }
                    context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                        @Override
                        public Object postProcessAfterInitialization(Object bean, String name) {
                            return bean instanceof AgentPort port ? agents.apply(port) : bean;
                        }
                    });
                })
                .run(args.toArray(String[]::new));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The embedded broker (a test stops and starts it again to stage an outage). */
    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** The agent bridge's application (its health, its listeners). */
    public ConfigurableApplicationContext bridge() {
        return bridge;
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
            long start = System.nanoTime();
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("Error while stopping: {}", e.toString());
            }
            log.info("Stopped {} in {} ms", name(part), (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static String name(AutoCloseable part) {
        return part instanceof ConfigurableApplicationContext context ? context.getId() : part.getClass().getSimpleName();
    }
}
