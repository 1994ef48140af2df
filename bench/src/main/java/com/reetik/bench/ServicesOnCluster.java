package com.reetik.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The deployed shape for a benchmark: a 3-node Kafka cluster ({@code deploy/local-cluster/cluster.sh}: three
 * {@code kafka.Kafka} JVMs, replication factor 3, {@code min.insync.replicas=2}) and one gateway, one agent-bridge
 * and one status-projector, each its own {@code java -jar} of the module's jar with the JVM's default compilers and
 * collector, as in their images. Every process writes its log under {@code work}; {@link #close()} stops the
 * services, then the cluster.
 */
final class ServicesOnCluster implements AutoCloseable {

    static final List<String> SERVICES = List.of("status-projector", "agent-bridge", "gateway");

    private final Path clusterDir;
    private final List<Process> processes = new ArrayList<>();
    private int gatewayPort;

    private ServicesOnCluster(Path clusterDir) {
        this.clusterDir = clusterDir;
    }

    /**
     * Starts the cluster (the first start resolves its classpath with Maven: {@code MVN_ARGS=-o} in the environment
     * for an offline machine), then the three services with {@code env} (agents, limits) on top of what the
     * deployment gives them, and waits until each is ready. {@code jvmArgs} go to each service's JVM.
     */
    static ServicesOnCluster start(Path work, Map<String, String> env, List<String> jvmArgs) throws Exception {
        Path clusterDir = Files.createDirectories(work.resolve("kafka"));
        Process start = new ProcessBuilder("deploy/local-cluster/cluster.sh", "start", clusterDir.toString())
                .redirectError(work.resolve("cluster-start.log").toFile()).start();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!start.waitFor(5, TimeUnit.MINUTES) || start.exitValue() != 0 || out.isEmpty()) {
            stopCluster(clusterDir);
            throw new IllegalStateException("the 3-node cluster did not start: "
                    + Files.readString(work.resolve("cluster-start.log")));
        }
        String bootstrap = out.lines().reduce((a, b) -> b).orElseThrow(); // its last line: the bootstrap servers
        ServicesOnCluster stack = new ServicesOnCluster(clusterDir);
        try {
            Path storage = Files.createDirectories(work.resolve("storage"));
            Map<String, String> common = new HashMap<>();
            // As k8s/base/kustomization.yaml's ConfigMap reetik-common gives them.
            common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            common.put("REETIK_PARTITIONS", "6");
            common.put("REETIK_REPLICATION_FACTOR", "3");
            common.put("REETIK_STORAGE_DIR", storage.toString());
            common.put("JWT_SECRET_KEY", "bench-only-jwt-secret-0123456789-abcdefghijklmnop");
            common.putAll(env);
            // All three start side by side; the projector and the bridge create the topics they need.
            List<Integer> ports = new ArrayList<>();
            for (String service : SERVICES) {
                int port = Api.freePort();
                ports.add(port);
                Path data = Files.createDirectories(work.resolve(service));
                Map<String, String> own = new HashMap<>(common);
                own.put("REETIK_DATA_DIR", data.toString());
                own.put("REETIK_INSTANCE_ID", service + "-1");
                own.put("SERVER_PORT", String.valueOf(port));
                List<String> command = new ArrayList<>(List.of(Api.java()));
                command.addAll(jvmArgs);
                command.addAll(List.of("-jar", Path.of(service, "target", service + ".jar").toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(work.resolve(service + ".log").toFile());
                builder.environment().putAll(own);
                stack.processes.add(builder.start());
                if (service.equals("gateway")) {
                    stack.gatewayPort = port;
                }
            }
            for (int i = 0; i < SERVICES.size(); i++) {
                try {
                    Api.awaitHealthy("http://127.0.0.1:" + ports.get(i), Duration.ofMinutes(4), stack.processes.get(i));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(SERVICES.get(i) + ": " + e.getMessage() + " (log: "
                            + work.resolve(SERVICES.get(i) + ".log") + ")", e);
                }
            }
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The gateway's base URL. */
    String api() {
        return "http://127.0.0.1:" + gatewayPort;
    }


    /** The processes to account CPU to: each service by its name, the three Kafka nodes as "kafka-N". */
    Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        for (int node = 1; node <= 3; node++) {
            Path pid = clusterDir.resolve("node-" + node).resolve("kafka.pid");
            if (Files.isRegularFile(pid)) {
                pids.put("kafka-" + node, Long.parseLong(Files.readString(pid).trim()));
            }
        }
        for (int i = 0; i < processes.size(); i++) {
            pids.put(SERVICES.get(i), processes.get(i).pid());
        }
        return pids;
    }


    @Override
    public void close() throws InterruptedException, IOException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        stopCluster(clusterDir);
    }

    private static void stopCluster(Path clusterDir) throws InterruptedException, IOException {
        new ProcessBuilder("deploy/local-cluster/cluster.sh", "stop", clusterDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(2, TimeUnit.MINUTES);
    }
}
