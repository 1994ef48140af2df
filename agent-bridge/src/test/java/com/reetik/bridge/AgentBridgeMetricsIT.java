package com.reetik.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.reetik.bridge.agent.AgentPort;
import com.reetik.bridge.agent.MeteredAgentPort;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The agent bridge as its own application on a real in-process broker, scraped at {@code /actuator/prometheus}
 * as Prometheus would: the one {@code AgentPort} bean is the timed one, the block metrics are there at zero, and
 * the listener containers' consumers report their lag per client (Boot's {@code KafkaMetricsAutoConfiguration}
 * adds a {@code MicrometerConsumerListener} to the consumer factory the containers use).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentBridgeMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static ConfigurableApplicationContext app;
    static URI prometheus;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startBridge() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 2, (short) 1);
        app = AgentBridgeApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--reetik.data-dir=" + dir.resolve("data"),
                "--reetik.storage-dir=" + dir.resolve("videos"),
                "--reetik.instance-id=bridge-it",
                "--reetik.topics.partitions=2",
                "--reetik.bridge.block-workers=1",
                "--server.port=0");
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        prometheus = URI.create("http://127.0.0.1:" + port + "/actuator/prometheus");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldExposeAgentCallsBlockAttemptsAndConsumerLagToPrometheus() throws Exception {
        // Given the bridge running with the local agents: one AgentPort bean, the timed one
        assertThat(app.getBeansOfType(AgentPort.class)).hasSize(1)
                .allSatisfy((name, port) -> assertThat(port).isInstanceOf(MeteredAgentPort.class));

        // When a script is written through that bean (local templates: no network, no ffmpeg)
        app.getBean(AgentPort.class).writeScript("volcans_20260301_100000_abcdef",
                new VideoRequest("Les volcans d'Islande", 8, "informative", "fr", "9:16"));

        // Then the scrape shows the call, timed and tagged, with its histogram buckets
        String text = awaitScrape(t -> t.contains("kafka_consumer_fetch_manager_records_lag_max{"));
        assertThat(samples(text, "reetik_agent_calls_seconds_count"))
                .containsExactly("reetik_agent_calls_seconds_count{agents=\"local\",application=\"reetik-agent-bridge\","
                        + "operation=\"script\",outcome=\"success\"} 1");
        assertThat(samples(text, "reetik_agent_calls_seconds_bucket")).isNotEmpty();
        // and every block outcome is there at zero, so an alert on its rate has a series from the start
        assertThat(samples(text, "reetik_block_attempts_total")).containsExactlyInAnyOrder(
                "reetik_block_attempts_total{application=\"reetik-agent-bridge\",outcome=\"completed\"} 0",
                "reetik_block_attempts_total{application=\"reetik-agent-bridge\",outcome=\"failed\"} 0",
                "reetik_block_attempts_total{application=\"reetik-agent-bridge\",outcome=\"retried\"} 0");
        assertThat(samples(text, "reetik_block_generation_seconds_count")).hasSize(2);
        // and the listener containers' consumers report their lag, one series per client (so per group)
        List<String> lag = samples(text, "kafka_consumer_fetch_manager_records_lag_max");
        System.out.println("Consumer lag series of the bridge:\n  " + String.join("\n  ", lag));
        assertThat(lag).isNotEmpty().allSatisfy(line -> assertThat(line).contains("client_id=\""));
        for (String group : List.of("reetik-agent-bridge-commands", "reetik-agent-bridge-blocks",
                "reetik-agent-bridge-assembly")) {
            assertThat(lag).as("lag of the group %s", group).anyMatch(line -> line.contains(group));
        }
    }

    @Test
    void shouldBeReadyWithItsLedgerLoaded() throws Exception {
        // Given the bridge started: its ledger of what was already done was loaded before the listeners
        URI readiness = prometheus.resolve("/actuator/health/readiness");

        // Then readiness, which includes the ledger, is UP
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
        assertThat(app.getBean(com.reetik.bridge.ledger.BridgeLedger.class).running()).isTrue();

        // and it goes DOWN when the ledger stops (the listeners would then pause on the Kafka error)
        com.reetik.bridge.ledger.BridgeLedger ledger = app.getBean(com.reetik.bridge.ledger.BridgeLedger.class);
        ledger.stop();
        try {
            HttpResponse<String> down = HTTP.send(HttpRequest.newBuilder(readiness).timeout(WAIT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
        } finally {
            ledger.start();
        }
    }

    /** The scrape once {@code ready} holds of it (the consumers start with the containers, after the context). */
    private static String awaitScrape(Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = scrape();
        while (!ready.test(text)) {
            assertThat(System.nanoTime()).as("waiting for the scrape; last one:\n%s", text).isLessThan(deadline);
            Thread.sleep(250);
            text = scrape();
        }
        return text;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(prometheus).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** The sample lines of one metric, with their value ({@code .0} dropped, to compare counts as text). */
    private static List<String> samples(String text, String name) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .map(line -> line.endsWith(".0") ? line.substring(0, line.length() - 2) : line)
                .toList();
    }
}
