import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Helper of cluster.sh, run by the single-file source launcher (Java 11+), so it needs no build:
 *
 * <pre>
 *   java -cp CP ClusterTool.java new-env NODES         the lines of a new cluster.env: a cluster id,
 *        2*NODES distinct free ports on 127.0.0.1 and NODES controller directory ids (Kafka-style
 *        ids: base64url of 16 random bytes)
 *   java -cp CP ClusterTool.java await BOOTSTRAP NODES TIMEOUT_S [PID...]
 *        exit 0 when NODES brokers are registered (unfenced) and each answers on its own listener,
 *        a controller is reported and the KRaft quorum has a leader and NODES voters; 1 at the timeout; 2 as soon as one of the PIDs is gone
 *   java -cp CP ClusterTool.java describe BOOTSTRAP    brokers, controller, quorum (exit 1 if unreachable)
 * </pre>
 *
 * The launcher compiles the whole file, so CP must always contain kafka-clients (cluster.sh passes
 * the cluster-drill classpath).
 */
public class ClusterTool {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "new-env" -> newEnv(Integer.parseInt(args[1]));
            case "await" -> System.exit(Kafka.await(args[1], Integer.parseInt(args[2]),
                    Duration.ofSeconds(Long.parseLong(args[3])),
                    List.of(args).subList(4, args.length)));
            case "describe" -> System.exit(Kafka.describe(args[1]));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: ClusterTool new-env NODES | await BOOTSTRAP NODES TIMEOUT_S [PID...]"
                + " | describe BOOTSTRAP");
        System.exit(64);
    }

    static void newEnv(int nodes) throws IOException {
        String[] ports = freePorts(2 * nodes).split(" ");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ids.add(kafkaUuid());
        }
        System.out.println("# Written by cluster.sh at the first start; the nodes are formatted with these values.");
        System.out.println("CLUSTER_ID=" + kafkaUuid());
        System.out.println("BROKER_PORTS=\"" + String.join(" ", List.of(ports).subList(0, nodes)) + "\"");
        System.out.println("CONTROLLER_PORTS=\"" + String.join(" ", List.of(ports).subList(nodes, 2 * nodes)) + "\"");
        System.out.println("DIRECTORY_IDS=\"" + String.join(" ", ids) + "\"");
    }

    /** Distinct ports: every socket stays bound until all are chosen. */
    static String freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<String> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                sockets.add(s);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports.add(String.valueOf(s.getLocalPort()));
            }
            return String.join(" ", ports);
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * Like org.apache.kafka.common.Uuid.randomUuid(): never starts with '-' (it would read as an option) and
     * is never one of the reserved ids (the server rejects e.g. a directory id AAAAAAAAAAAAAAAAAAAAAQ).
     */
    static String kafkaUuid() {
        while (true) {
            UUID u = UUID.randomUUID();
            ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            boolean reserved = u.getMostSignificantBits() == 0 && u.getLeastSignificantBits() < 100; // Uuid.RESERVED
            if (!id.startsWith("-") && !reserved) {
                return id;
            }
        }
    }

    /** The commands that talk to the cluster (admin client). */
    static final class Kafka {

        static int await(String bootstrap, int nodes, Duration timeout, List<String> pids) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "no answer yet";
            try (org.apache.kafka.clients.admin.Admin admin = admin(bootstrap)) {
                while (true) {
                    for (String pid : pids) {
                        if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                            System.err.println("process " + pid + " has exited");
                            return 2;
                        }
                    }
                    try {
                        var cluster = admin.describeCluster();
                        Collection<org.apache.kafka.common.Node> brokers = cluster.nodes().get(5, TimeUnit.SECONDS);
                        org.apache.kafka.common.Node controller = cluster.controller().get(5, TimeUnit.SECONDS);
                        var quorum = admin.describeMetadataQuorum().quorumInfo().get(5, TimeUnit.SECONDS);
                        if (brokers.size() == nodes && controller != null && !controller.isEmpty()
                                && quorum.leaderId() >= 0 && quorum.voters().size() == nodes) {
                            // A broker enables its client listener only once it is unfenced: DescribeLogDirs
                            // answered by every node itself excludes registrations left by a killed process.
                            admin.describeLogDirs(brokers.stream().map(org.apache.kafka.common.Node::id).toList())
                                    .allDescriptions().get(5, TimeUnit.SECONDS);
                            return 0;
                        }
                        last = brokers.size() + " brokers, quorum leader " + quorum.leaderId() + ", "
                                + quorum.voters().size() + " voters";
                    } catch (Exception e) {
                        last = String.valueOf(e.getCause() != null ? e.getCause() : e);
                    }
                    if (System.nanoTime() > deadline) {
                        System.err.println("timed out after " + timeout.toSeconds() + " s: " + last);
                        return 1;
                    }
                    Thread.sleep(500);
                }
            }
        }

        static int describe(String bootstrap) {
            try (org.apache.kafka.clients.admin.Admin admin = admin(bootstrap)) {
                var cluster = admin.describeCluster();
                System.out.println("cluster id:  " + cluster.clusterId().get(10, TimeUnit.SECONDS));
                System.out.println("brokers:     " + cluster.nodes().get(10, TimeUnit.SECONDS).stream()
                        .map(n -> n.id() + "@" + n.host() + ":" + n.port()).sorted().collect(Collectors.joining(", ")));
                var quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
                System.out.println("controller:  " + quorum.leaderId() + " (KRaft quorum leader, epoch "
                        + quorum.leaderEpoch() + ", high watermark " + quorum.highWatermark() + ")");
                System.out.println("voters:      " + quorum.voters().stream()
                        .map(v -> v.replicaId() + " (log end " + v.logEndOffset() + ")")
                        .collect(Collectors.joining(", ")));
                return 0;
            } catch (Exception e) {
                System.err.println("cluster not reachable at " + bootstrap + ": " + (e.getCause() != null ? e.getCause() : e));
                return 1;
            }
        }

        private static org.apache.kafka.clients.admin.Admin admin(String bootstrap) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("request.timeout.ms", "5000");
            p.put("default.api.timeout.ms", "10000");
            p.put("client.id", "cluster-tool");
            return org.apache.kafka.clients.admin.Admin.create(p);
        }
    }
}
