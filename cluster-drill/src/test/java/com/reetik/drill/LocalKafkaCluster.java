package com.reetik.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka cluster of {@code nodes} separate JVMs ({@code kafka.Kafka}, the server of the
 * Apache Kafka distribution), for failure drills: every node is a combined broker and controller
 * (KRaft), the controllers form one dynamic quorum (KIP-853: {@code controller.quorum.bootstrap.servers}
 * and {@code kafka-storage format --initial-controllers}), every node has its own data directory, ports
 * and log file. The configuration matches {@code deploy/local-cluster/server.properties.template}.
 *
 * <p>Node ids are 1..n. Layout under {@code baseDir}:
 * <pre>
 *   logback-node.xml          the logging configuration of the node JVMs (INFO, to stdout = server.log)
 *   node-N/server.properties  node N's configuration
 *   node-N/data/              its only log directory (also the KRaft metadata log)
 *   node-N/format.log         output of kafka-storage format (kafka.tools.StorageTool)
 *   node-N/server.log         stdout and stderr of the kafka.Kafka JVM, appended across restarts
 * </pre>
 *
 * <p>The node JVMs run with the classpath of the calling JVM ({@code java.class.path}), so that must
 * hold {@code org.apache.kafka:kafka_2.13} and its runtime dependencies and an SLF4J binding (logback).
 */
public final class LocalKafkaCluster implements AutoCloseable {

    public static final String MAIN_CLASS = "kafka.Kafka";
    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    /**
     * Heap of one node JVM; three of them and the test JVM fit on a small machine. C1 only and the serial collector,
     * as the services of the drill: on the suite's two cores, C2's compilations and G1's concurrent threads in three
     * brokers cost more CPU than they give back in a few minutes ({@code deploy/local-cluster/cluster.sh}, for a
     * cluster that stays up, keeps Kafka's own G1 settings).
     */
    public static final List<String> NODE_JVM_ARGS = List.of(
            "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path baseDir;
    private final int nodes;
    private final String clusterId;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final Map<String, String> overrides;
    private final JavaProcess[] processes;
    private final boolean[] stoppedOnPurpose;
    private final Admin admin;

    private LocalKafkaCluster(Path baseDir, int nodes, Map<String, String> overrides) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.nodes = nodes;
        this.overrides = Map.copyOf(overrides);
        this.clusterId = Uuid.randomUuid().toString();
        int[] ports = freePorts(2 * nodes);
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            brokerPorts[i] = ports[i];
            controllerPorts[i] = ports[nodes + i];
        }
        this.processes = new JavaProcess[nodes];
        this.stoppedOnPurpose = new boolean[nodes];
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-cluster");
        this.admin = Admin.create(adminProps);
    }

    /** Formats and starts {@code nodes} nodes in {@code baseDir} and waits until they form a cluster. */
    public static LocalKafkaCluster start(Path baseDir, int nodes) {
        return start(baseDir, nodes, Map.of());
    }

    /**
     * @param overrides extra or replaced server properties, the same for every node (e.g.
     *                  {@code broker.session.timeout.ms})
     */
    public static LocalKafkaCluster start(Path baseDir, int nodes, Map<String, String> overrides) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1: " + nodes);
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(baseDir, nodes, overrides);
        try {
            cluster.writeConfiguration();
            cluster.format();
            for (int node = 1; node <= nodes; node++) {
                cluster.launch(node);
            }
            cluster.awaitCluster(START_TIMEOUT);
            return cluster;
        } catch (RuntimeException | Error e) {
            try {
                cluster.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------ API

    /** {@code 127.0.0.1:P1,127.0.0.1:P2,...}: every node, whether running or not. */
    public String bootstrapServers() {
        return IntStream.of(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public int nodeCount() {
        return nodes;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path baseDir() {
        return baseDir;
    }

    public Path nodeDir(int node) {
        return baseDir.resolve("node-" + checkNode(node));
    }

    public Path logFile(int node) {
        return nodeDir(node).resolve("server.log");
    }

    public int brokerPort(int node) {
        return brokerPorts[checkNode(node) - 1];
    }

    public int controllerPort(int node) {
        return controllerPorts[checkNode(node) - 1];
    }

    public boolean isRunning(int node) {
        JavaProcess p = processes[checkNode(node) - 1];
        return p != null && p.isAlive();
    }

    /** The process of a node, or null if it was never started. */
    public JavaProcess process(int node) {
        return processes[checkNode(node) - 1];
    }

    /** An admin client of this cluster, owned by it (do not close it). */
    public Admin admin() {
        return admin;
    }

    /** {@code kill -9} of node {@code node} ({@link Process#destroyForcibly()}); waits for its exit. */
    public void kill(int node) {
        JavaProcess p = processes[checkNode(node) - 1];
        stoppedOnPurpose[node - 1] = true;
        if (p != null && p.isAlive()) {
            p.kill();
        }
    }

    /** SIGTERM (controlled shutdown), SIGKILL after 30 s. */
    public void stop(int node) {
        JavaProcess p = processes[checkNode(node) - 1];
        stoppedOnPurpose[node - 1] = true;
        if (p != null && p.isAlive()) {
            p.stop(STOP_GRACE);
        }
    }

    /**
     * Starts node {@code node} again, with the same ports and data directory (stopping it first if it is
     * still running), and waits until it serves requests and is registered (unfenced) again. Catching up
     * as a follower (back into the ISR) takes longer: see the drill test.
     */
    public void restart(int node) {
        stop(node);
        launch(node);
        awaitNode(node, START_TIMEOUT);
    }

    /** Stops every node: SIGTERM to all at once, SIGKILL after 30 s; waits for every exit. */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException ignored) {
            // the nodes matter more
        }
        Arrays.fill(stoppedOnPurpose, true);
        List<JavaProcess> running = new ArrayList<>();
        for (JavaProcess p : processes) {
            if (p != null && p.isAlive()) {
                p.handle().destroy();
                running.add(p);
            }
        }
        RuntimeException failure = null;
        for (JavaProcess p : running) {
            try {
                p.stop(STOP_GRACE);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------------------------ readiness

    /**
     * Waits until every node is registered as a broker (unfenced) and answers on its own listener, the
     * controller quorum has a leader and {@code nodes} voters, and a controller is reported.
     */
    public void awaitCluster(Duration timeout) {
        waitUntil("a cluster of " + nodes + " brokers with a controller quorum at " + bootstrapServers(),
                timeout, () -> {
                    DescribeClusterResult cluster = admin.describeCluster();
                    Collection<Node> brokers = cluster.nodes().get(5, TimeUnit.SECONDS);
                    Node controller = cluster.controller().get(5, TimeUnit.SECONDS);
                    QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS);
                    if (brokers.size() != nodes || controller == null || controller.isEmpty()
                            || quorum.leaderId() < 0 || quorum.voters().size() != nodes) {
                        return false;
                    }
                    // Sent to each broker itself: its client listener is enabled only once it is unfenced.
                    admin.describeLogDirs(brokers.stream().map(Node::id).collect(Collectors.toList()))
                            .allDescriptions().get(5, TimeUnit.SECONDS);
                    return true;
                });
    }

    /**
     * Waits until node {@code node} answers requests itself (DescribeLogDirs is sent to that broker) and
     * the cluster lists it as an unfenced broker.
     */
    public void awaitNode(int node, Duration timeout) {
        waitUntil("node " + node + " serving at 127.0.0.1:" + brokerPort(node), timeout, () -> {
            Set<Integer> ids = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                    .map(Node::id).collect(Collectors.toSet());
            if (!ids.contains(node)) {
                return false;
            }
            admin.describeLogDirs(List.of(node)).allDescriptions().get(5, TimeUnit.SECONDS);
            return true;
        });
    }

    /** A condition that may throw; any exception counts as "not yet". */
    @FunctionalInterface
    public interface Check {
        boolean ready() throws Exception;
    }

    /**
     * Polls {@code check} until it is true; fails (IllegalStateException, with the last exception and
     * the tail of every node's log) at the deadline, or as soon as a node process that should run has
     * died.
     */
    public void waitUntil(String what, Duration timeout, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            for (int node = 1; node <= nodes; node++) {
                JavaProcess p = processes[node - 1];
                if (p != null && !p.isAlive() && !expectedDown(node)) {
                    throw new IllegalStateException("Node " + node + " exited (code " + p.exitValue()
                            + ") while waiting for " + what + "; end of " + p.logFile() + ":\n" + p.tail(40));
                }
            }
            try {
                if (check.ready()) {
                    return;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (int node = 1; node <= nodes; node++) {
                    logs.append("\n--- end of ").append(logFile(node)).append(":\n")
                            .append(JavaProcess.tail(logFile(node), 15));
                }
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what
                        + (last != null ? " (last error: " + last + ")" : "") + logs, last);
            }
            sleep(250);
        }
    }

    /** Killed or stopped on purpose by {@link #kill} or {@link #stop}, not crashed. */
    private boolean expectedDown(int node) {
        return stoppedOnPurpose[node - 1];
    }

    // ----------------------------------------------------------------------------- configuration

    /** The properties of node {@code node}: keep in step with deploy/local-cluster/server.properties.template. */
    public Map<String, String> serverProperties(int node) {
        checkNode(node);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node));
        p.put("controller.quorum.bootstrap.servers",
                IntStream.of(controllerPorts).mapToObj(c -> "127.0.0.1:" + c).collect(Collectors.joining(",")));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort(node) + ",CONTROLLER://127.0.0.1:" + controllerPort(node));
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort(node) + ",CONTROLLER://127.0.0.1:" + controllerPort(node));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", nodeDir(node).resolve("data").toString());
        int rf = Math.min(3, nodes);
        int minIsr = Math.max(1, rf - 1);
        p.put("num.partitions", "3");
        p.put("default.replication.factor", String.valueOf(rf));
        p.put("min.insync.replicas", String.valueOf(minIsr));
        p.put("offsets.topic.replication.factor", String.valueOf(rf));
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", String.valueOf(rf));
        p.put("transaction.state.log.min.isr", String.valueOf(minIsr));
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(rf));
        p.put("share.coordinator.state.topic.min.isr", String.valueOf(minIsr));
        p.put("unclean.leader.election.enable", "false");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.putAll(overrides);
        return p;
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(baseDir);
            Files.writeString(baseDir.resolve("logback-node.xml"), LOGBACK_NODE, StandardCharsets.UTF_8);
            for (int node = 1; node <= nodes; node++) {
                Files.createDirectories(nodeDir(node).resolve("data"));
                StringBuilder text = new StringBuilder("# node ").append(node).append(" of cluster ")
                        .append(clusterId).append(", written by LocalKafkaCluster\n");
                serverProperties(node).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
                Files.writeString(nodeDir(node).resolve("server.properties"), text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code kafka-storage format} of every node (in parallel, one JVM each) with the same cluster id and
     * the same initial controller set {@code id@host:port:directoryId}; the directory id given for a
     * node becomes the one of its metadata log directory.
     */
    private void format() {
        String initialControllers = IntStream.rangeClosed(1, nodes)
                .mapToObj(n -> n + "@127.0.0.1:" + controllerPort(n) + ":" + Uuid.randomUuid())
                .collect(Collectors.joining(","));
        List<JavaProcess> formats = new ArrayList<>();
        for (int node = 1; node <= nodes; node++) {
            formats.add(JavaProcess.mainClass(STORAGE_TOOL)
                    .name("kafka-storage-format-" + node)
                    .jvmArgs("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + baseDir.resolve("logback-node.xml"))
                    .args("format", "--config", nodeDir(node).resolve("server.properties").toString(),
                            "--cluster-id", clusterId, "--initial-controllers", initialControllers,
                            "--ignore-formatted")
                    .logFile(nodeDir(node).resolve("format.log"))
                    .start());
        }
        for (JavaProcess f : formats) {
            if (!f.waitFor(START_TIMEOUT)) {
                f.kill();
                throw new IllegalStateException(f.name() + " did not finish in " + START_TIMEOUT);
            }
            if (f.exitValue() != 0) {
                throw new IllegalStateException(f.name() + " failed (exit " + f.exitValue() + "):\n" + f.tail(30));
            }
        }
    }

    private void launch(int node) {
        List<String> jvmArgs = new ArrayList<>(NODE_JVM_ARGS);
        jvmArgs.add("-Dlogback.configurationFile=" + baseDir.resolve("logback-node.xml"));
        // Marks the process for pgrep/ps: which cluster and node it belongs to.
        jvmArgs.add("-Dreetik.drill.node=" + baseDir.getFileName() + "/node-" + node);
        processes[node - 1] = JavaProcess.mainClass(MAIN_CLASS)
                .name("kafka-node-" + node)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .args(nodeDir(node).resolve("server.properties").toString())
                .workingDir(nodeDir(node))
                .logFile(logFile(node))
                .start();
        stoppedOnPurpose[node - 1] = false;
    }

    // -------------------------------------------------------------------------------------- helpers

    private int checkNode(int node) {
        if (node < 1 || node > nodes) {
            throw new IllegalArgumentException("node must be 1.." + nodes + ": " + node);
        }
        return node;
    }

    /** Distinct free ports: all sockets are held open until every port is chosen. */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static final String LOGBACK_NODE = """
            <configuration>
              <!-- Node JVMs of LocalKafkaCluster: stdout is redirected to node-N/server.log. -->
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder>
                  <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
                </encoder>
              </appender>
              <logger name="kafka" level="INFO"/>
              <logger name="org.apache.kafka" level="INFO"/>
              <logger name="state.change.logger" level="INFO"/>
              <logger name="kafka.request.logger" level="WARN"/>
              <logger name="org.apache.kafka.clients.NetworkClient" level="WARN"/>
              <root level="INFO">
                <appender-ref ref="OUT"/>
              </root>
            </configuration>
            """;
}
