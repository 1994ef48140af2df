package com.reetik.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Benchmark 5 of issue 12, many videos in flight: {@code reetik.jar serve} with Cloud Run agent stubs whose clips
 * take {@code clip-latency-s} (10 minutes by default), V videos of 16 s (4 blocks) created at once, then every
 * {@code sample-s} for {@code minutes}: the server's heap after a full GC, its thread count, the stub's calls, and
 * the consumer lag of every consumer group on the embedded broker. Flat lines mean nothing holds a thread per
 * video or per block and the bridge keeps up with its polls.
 *
 * <pre>bench/many-in-flight.sh [videos 1000] [minutes 8] [clip latency s 600] [sample s 30]</pre>
 */
public final class ManyInFlight {

    public static void main(String[] args) throws Exception {
        int videos = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int clipLatencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        int sampleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path jar = Path.of("standalone/target/reetik.jar");
        Path data = Files.createTempDirectory("reetik-bench-inflight");
        System.out.printf("== many in flight: %,d videos of 4 blocks, clips of %d s, default poll interval, sampled every "
                + "%d s for %d min; %d cores%n", videos, clipLatencySeconds, sampleSeconds, minutes,
                Runtime.getRuntime().availableProcessors());
        try (CloudRunStub stub = new CloudRunStub(0, clipLatencySeconds * 1000L, 0)) {
            int port = Api.freePort();
            int kafkaPort = Api.freePort();
            Map<String, String> env = stub.serveEnv();
            env.put("REETIK_KAFKA_PORT", String.valueOf(kafkaPort));
            env.put("REETIK_OPERATION_DEADLINE_S", String.valueOf(clipLatencySeconds * 2));
            Process server = Api.serve(jar, data, port, env, List.of("-Xmx1g"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
                String api = "http://127.0.0.1:" + port;
                String token = Api.register(api);
                long t0 = System.nanoTime();
                for (int v = 0; v < videos; v++) {
                    Api.create(api, token, "Les volcans d'Islande " + v, 16);
                }
                System.out.printf("%,d videos created in %.1f s%n", videos, (System.nanoTime() - t0) / 1e9);
                System.out.println("  t (s) | heap after GC (MB) | threads | clips submitted | checks | consumer lag by group");
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
                while (System.nanoTime() < end) {
                    // one GC per sample, as before: the trend is the figure, and more GCs would pace the samples
                    long heapKb = Api.heapAfterGcKb(server.pid(), 1);
                    System.out.printf("%7.0f | %18.1f | %7d | %15d | %6d | %s%n", (System.nanoTime() - t0) / 1e9,
                            heapKb / 1024.0, threads(server.pid()), stub.clipsStarted.get(), stub.checks.get(), lag(admin));
                    Thread.sleep(sampleSeconds * 1000L);
                }
            } finally {
                Api.stop(server);
            }
        }
    }

    private static long threads(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        return -1;
    }

    /** Each consumer group's total lag (end offsets minus committed offsets), by group id. */
    private static Map<String, Long> lag(Admin admin) throws Exception {
        Map<String, Long> lags = new TreeMap<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : committed.entrySet()) {
                if (e.getValue() != null) {
                    lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                }
            }
            lags.put(group.groupId().replace("reetik-", ""), lag);
        }
        return lags;
    }

    private ManyInFlight() {
    }
}
