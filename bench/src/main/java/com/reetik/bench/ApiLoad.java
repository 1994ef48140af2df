package com.reetik.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 4 of issue 12, API under load: {@code reetik.jar serve} (quotas and rate limits off, Cloud Run agent
 * stubs whose clips take an hour, so no video renders or changes meanwhile), one user with {@code videos} videos;
 * then, for each endpoint, Gatling ({@link ApiLoadSimulation}) sends requests at increasing rates, {@code seconds}
 * at each after a warm-up at the first rate. Prints, per endpoint and rate, Gatling's
 * p50/p99/max and its count of failed requests, and the first rate whose p99 passes 50 ms; the server's JFR
 * recording of each endpoint's run is kept (its path printed) to see where the gateway's CPU goes.
 *
 * <pre>bench/api-load.sh [rates 50,100,200,400,800] [seconds 15] [videos 200]</pre>
 */
public final class ApiLoad {

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 0 ? args[0] : "50,100,200,400,800").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int videos = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path jar = Path.of("standalone/target/reetik.jar");
        Path data = Files.createTempDirectory("reetik-bench-api");
        System.out.printf("== API under load: rates %s req/s, %d s each, one user with %d videos; %d cores%n", rates,
                seconds, videos, Runtime.getRuntime().availableProcessors());
        try (CloudRunStub stub = new CloudRunStub(0, 3_600_000L, 0)) {
            int port = Api.freePort();
            Map<String, String> env = stub.serveEnv();
            env.put("REETIK_OPERATION_DEADLINE_S", "7200");
            Process server = Api.serve(jar, data, port, env, List.of("-Xmx1g"));
            try {
                String api = "http://127.0.0.1:" + port;
                String token = Api.register(api);
                List<String> rows = new ArrayList<>();
                for (int v = 0; v < videos; v++) {
                    rows.add(token + "," + Api.create(api, token, "Les volcans d'Islande " + v, 16));
                }
                Path feeder = data.resolve("feeder.csv");
                Files.writeString(feeder, "token,videoId\n" + String.join("\n", rows) + "\n");
                Thread.sleep(5000); // the creations' events settle before the first measure
                System.out.println("endpoint              | rate/s | sent (KO)    | p50 ms | p99 ms | max ms");
                for (String endpoint : List.of("one", "list", "create")) {
                    Path jfr = data.resolve("gateway-" + endpoint + ".jfr");
                    Api.jcmd(server.pid(), "JFR.start", "name=bench", "filename=" + jfr);
                    Path report = gatling(api, feeder, endpoint, rates, seconds, data);
                    Api.jcmd(server.pid(), "JFR.stop", "name=bench");
                    String stats = Files.readString(report.resolve("js").resolve("stats.js"));
                    Integer past = null;
                    for (int rate : rates) {
                        String name = endpoint + "@" + rate;
                        long p99 = stat(stats, name, "percentiles4");
                        System.out.printf("%-21s | %6d | %-12s | %6d | %6d | %6d%n", label(endpoint), rate,
                                stat(stats, name, "numberOfRequests") + " (" + statKo(stats, name) + ")",
                                stat(stats, name, "percentiles1"), p99, stat(stats, name, "maxResponseTime"));
                        if (past == null && p99 > 50) {
                            past = rate;
                        }
                    }
                    System.out.printf("  %s: p99 %s; the server's JFR recording of these rates: %s%n", label(endpoint),
                            past == null ? "under 50 ms at every rate" : "past 50 ms first at " + past + "/s", jfr);
                }
            } finally {
                Api.stop(server);
            }
        }
    }

    private static String label(String endpoint) {
        return switch (endpoint) {
            case "one" -> "GET /api/videos/{id}";
            case "list" -> "GET /api/videos";
            default -> "POST /api/videos";
        };
    }

    /** Runs the simulation of one endpoint over every rate; the folder of its report. */
    private static Path gatling(String api, Path feeder, String endpoint, List<Integer> rates, int seconds, Path data)
            throws Exception {
        Path results = Files.createDirectories(data.resolve("gatling-" + endpoint));
        Process p = Api.gatling(ApiLoadSimulation.class, "1g", Map.of("reetik.bench.base-url", api,
                        "reetik.bench.feeder", feeder.toString(), "reetik.bench.endpoint", endpoint,
                        "reetik.bench.seconds", String.valueOf(seconds),
                        "reetik.bench.rates", String.join(",", rates.stream().map(String::valueOf).toList())),
                results, endpoint)
                .redirectErrorStream(true).redirectOutput(results.resolve("gatling.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("Gatling failed for " + endpoint + ": see " + results.resolve("gatling.log"));
        }
        try (var reports = Files.list(results)) {
            return reports.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no report in " + results));
        }
    }

    /**
     * A figure of request {@code name} in Gatling's {@code js/stats.js} (a script, not JSON: the request's block
     * starts with {@code name: "<name>"} and its figures follow as {@code "<figure>": { "total": "<n>"}}).
     */
    static long stat(String stats, String name, String figure) {
        Matcher m = Pattern.compile("name: \"" + Pattern.quote(name) + "\"[\\s\\S]*?\"" + figure
                + "\": \\{\\s*\"total\": \"([\\d,-]+)\"").matcher(stats);
        return m.find() && !m.group(1).equals("-") ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    private static String statKo(String stats, String name) {
        Matcher m = Pattern.compile("name: \"" + Pattern.quote(name) + "\"[\\s\\S]*?\"numberOfRequests\": \\{[^}]*\"ko\": \"([\\d,-]+)\"")
                .matcher(stats);
        return m.find() ? m.group(1) : "?";
    }

    private ApiLoad() {
    }
}
