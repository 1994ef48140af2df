package com.reetik.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one) running in this JVM, with its
 * log in {@code logDir}. The directory is formatted once (when {@code meta.properties} is missing) with
 * a fixed cluster id, so a restart finds every record it had: videos survive restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** Fixed, so that a data directory formatted once is recognised at every start. */
    public static final String CLUSTER_ID = "UmVldGlrU3RhbmRhbG9uZQ";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    /**
     * System property: {@code false} keeps the JVM alive when the broker meets a fatal fault. Kafka then halts
     * the process ({@code Exit.halt(1)}: all log directories failed, a metadata fault); in a test JVM that kills
     * every test of the run and hides the cause (surefire only sees "The forked VM terminated"). The builds set
     * it to {@code false}: the fault is logged and recorded ({@link #fatalFaults()}), the test that caused it
     * fails. The product keeps Kafka's behaviour: a broker that cannot go on stops the process.
     */
    public static final String HALT_ON_FATAL_FAULT = "reetik.kafka.halt-on-fatal-fault";

    private static final List<String> FATAL_FAULTS = new CopyOnWriteArrayList<>();

    /** How often the log is written through to the disk by default: see {@link #EmbeddedKafkaBroker(Path, int, Duration)}. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final Path logDir;
    private final int requestedPort;
    private final Duration flushInterval;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    /** @param port the client port, or 0 for any free port */
    public EmbeddedKafkaBroker(Path logDir, int port) {
        this(logDir, port, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * @param port          the client port, or 0 for any free port
     * @param flushInterval how often what the broker appended is forced to the disk ({@code fsync}); zero: at every
     *                      append, before it is acknowledged. Whatever the interval, an acknowledged write survives the
     *                      process's crash (it is in the operating system's cache); only a crash of the machine itself
     *                      (power, kernel) can lose the writes of the last interval. An {@code fsync} at every append
     *                      held 100 videos at once to a third of their speed on this project's machine
     *                      (docs/performance.md), and a Kafka cluster does not do it either (its replicas are its
     *                      durability), so the default is a second.
     */
    public EmbeddedKafkaBroker(Path logDir, int port, Duration flushInterval) {
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("the flush interval cannot be negative: " + flushInterval);
        }
        this.logDir = logDir.toAbsolutePath().normalize();
        this.requestedPort = port;
        this.flushInterval = flushInterval;
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        // Started again after close(): the same ports, so that clients' bootstrap address stays true (a broker
        // outage and its return, as a test stages one).
        port = port > 0 ? port : requestedPort > 0 ? requestedPort : freePort();
        // A port the system gave and took back may be given again at once: the controller's must differ from the
        // client's (seen: both on one port, and Kafka refused to start).
        while (controllerPort <= 0 || controllerPort == port) {
            controllerPort = freePort();
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        if (flushInterval.isZero()) {
            props.put("log.flush.interval.messages", "1");
        } else {
            // the log manager's flusher looks at every partition each interval and forces those not forced since
            props.put("log.flush.interval.ms", String.valueOf(flushInterval.toMillis()));
            props.put("log.flush.scheduler.interval.ms", String.valueOf(flushInterval.toMillis()));
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Boolean.parseBoolean(System.getProperty(HALT_ON_FATAL_FAULT, "true"))) {
            Exit.setHaltProcedure(EmbeddedKafkaBroker::recordFatalFault);
            Exit.setExitProcedure(EmbeddedKafkaBroker::recordFatalFault);
        }
        formatOnce();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
        log.info("Kafka broker ready at {} in {} ms (data in {})", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return this;
    }

    private static void recordFatalFault(int status, String message) {
        IllegalStateException fault = new IllegalStateException("Kafka asked to stop the JVM (status " + status
                + "): " + message);
        log.error("Fatal Kafka fault; the JVM is kept alive ({}=false)", HALT_ON_FATAL_FAULT, fault);
        FATAL_FAULTS.add(String.valueOf(message));
        throw fault;
    }

    /** The fatal faults seen in this JVM while {@link #HALT_ON_FATAL_FAULT} is {@code false}; empty otherwise. */
    public static List<String> fatalFaults() {
        return List.copyOf(FATAL_FAULTS);
    }

    private void formatOnce() {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(CLUSTER_ID)
                    .setNodeId(NODE_ID)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setUnstableFeatureVersionsEnabled(false)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka log directory " + logDir, e);
        }
    }

    private void awaitReady() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker did not become ready in 60 s", e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker; {@link #start()} starts it again on the same ports and log directory. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
