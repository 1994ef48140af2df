package com.reetik.bench;

import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.http.action.sse.SseInboundMessage;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 3's load (run by {@link SseFanOut}): {@code reetik.bench.subscribers} virtual users, ramped over
 * {@code reetik.bench.ramp-s}, each opening the event stream of one video of the feeder ({@code token,videoId} rows,
 * taken in turn) and reading it until the video's terminal status. For every status change received after the
 * first (the snapshot sent at connection), the latency is the receipt time (Gatling's own timestamp of the message)
 * minus the view's {@code updated_at}, the time the bridge stamped on the event it appended. Prints p50/p99/max and
 * the counts when the run ends.
 */
public class SseFanOutSimulation extends Simulation {

    // Within the data, escaped or not: "updated_at":"2026-12-01T08:00:00.123Z"
    private static final Pattern UPDATED_AT = Pattern.compile("updated_at\\\\?\"\\s*:\\s*\\\\?\"([0-9T:.\\-Z]+)");
    private static final Pattern STATUS = Pattern.compile("\\bstatus\\\\?\"\\s*:\\s*\\\\?\"([a-z_]+)");
    private static final List<String> TERMINAL = List.of("completed", "failed", "cancelled");

    private static final AtomicLongArray LATENCIES = new AtomicLongArray(4_000_000);
    private static final AtomicInteger RECORDED = new AtomicInteger();
    private static final AtomicInteger SNAPSHOTS = new AtomicInteger();
    private static final AtomicInteger ENDED_COMPLETED = new AtomicInteger();
    private static final AtomicInteger ENDED_OTHER = new AtomicInteger();
    private static final AtomicInteger TIMED_OUT = new AtomicInteger();
    private static final AtomicInteger CONNECT_FAILED = new AtomicInteger();
    private static final AtomicLong UNPARSED = new AtomicLong();

    {
        String base = System.getProperty("reetik.bench.base-url");
        String feeder = System.getProperty("reetik.bench.feeder");
        int subscribers = Integer.getInteger("reetik.bench.subscribers", 10_000);
        int rampSeconds = Integer.getInteger("reetik.bench.ramp-s", 40);
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(Integer.getInteger("reetik.bench.max-min", 10)).toMillis();

        ScenarioBuilder subscriber = scenario("subscriber")
                .feed(csv(feeder).circular())
                .exec(sse("events").get("/api/videos/#{videoId}/events").header("Authorization", "Bearer #{token}"))
                .exec(session -> {
                    if (session.isFailed()) {
                        CONNECT_FAILED.incrementAndGet();
                    }
                    return session.set("done", session.isFailed()).set("seen", 0);
                })
                .asLongAs(session -> !session.getBoolean("done")).on(
                        exec(pauseAction())
                                .exec(sse.processUnmatchedMessages((messages, session) -> receive(messages, session, deadline))))
                .exec(sse("close").close());

        setUp(subscriber.injectOpen(rampUsers(subscribers).during(Duration.ofSeconds(rampSeconds))))
                // Messages received while no check waits are kept for processUnmatchedMessages (none by default).
                .protocols(http.baseUrl(base).acceptHeader("text/event-stream").sseUnmatchedInboundMessageBufferSize(1000))
                .maxDuration(Duration.ofMinutes(Integer.getInteger("reetik.bench.max-min", 10) + 1));
    }

    @Override
    public void after() {
        report();
    }

    private static io.gatling.javaapi.core.ChainBuilder pauseAction() {
        return exec(io.gatling.javaapi.core.CoreDsl.pause(Duration.ofMillis(500)));
    }

    private static Session receive(List<SseInboundMessage> messages, Session session, long deadline) {
        int seen = session.getInt("seen");
        boolean done = false;
        for (SseInboundMessage message : messages) {
            String text = message.message();
            Matcher at = UPDATED_AT.matcher(text);
            Matcher status = STATUS.matcher(text);
            if (!at.find() || !status.find()) {
                UNPARSED.incrementAndGet(); // e.g. a heartbeat comment, if the client passes those on
                continue;
            }
            seen++;
            if (seen == 1) {
                SNAPSHOTS.incrementAndGet(); // the view as it was at connection: no change to time
            } else {
                long latency = message.timestamp() - Instant.parse(at.group(1)).toEpochMilli();
                int i = RECORDED.getAndIncrement();
                if (i < LATENCIES.length()) {
                    LATENCIES.set(i, latency);
                }
            }
            if (TERMINAL.contains(status.group(1))) {
                (status.group(1).equals("completed") ? ENDED_COMPLETED : ENDED_OTHER).incrementAndGet();
                done = true;
            }
        }
        if (!done && System.currentTimeMillis() > deadline) {
            TIMED_OUT.incrementAndGet();
            done = true;
        }
        return session.set("seen", seen).set("done", done);
    }

    private static void report() {
        int n = Math.min(RECORDED.get(), LATENCIES.length());
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = LATENCIES.get(i);
        }
        Arrays.sort(sorted);
        System.out.printf("%nSSE fan-out: %,d status changes received after the snapshot (%,d snapshots); streams ended "
                        + "on completed: %,d, on another terminal status: %,d, timed out: %,d, failed to connect: %,d; "
                        + "messages without a status: %,d%n",
                n, SNAPSHOTS.get(), ENDED_COMPLETED.get(), ENDED_OTHER.get(), TIMED_OUT.get(), CONNECT_FAILED.get(),
                UNPARSED.get());
        if (n > 0) {
            System.out.printf("append-to-receipt latency: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (goal: p99 < 250 ms)%n",
                    sorted[(int) (n * 0.50)], sorted[(int) (n * 0.90)], sorted[Math.min(n - 1, (int) (n * 0.99))],
                    sorted[n - 1]);
        }
    }
}
