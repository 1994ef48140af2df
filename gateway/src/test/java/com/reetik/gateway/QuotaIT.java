package com.reetik.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 10: per-user quotas with their defaults (3 videos in flight, 600 s a day), counted from Kafka, so they hold
 * on a gateway that never saw the videos (another instance, or one restarted with a new replica). A real broker,
 * the projector's registrations topology, gateways started as the standalone launcher starts them; the test writes
 * the summaries the projector would write.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuotaIT {

    private static final String SECRET = "quota-it-secret-of-more-than-32-bytes-0123456789";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static AccountDecider decider;
    static KafkaProducer<String, byte[]> projector;
    static final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static String first;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 3, (short) 1);
        decider = AccountDecider.start(broker.bootstrapServers(), "quota-it-projector", dir.resolve("projector"));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        projector = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        first = startGateway("first");
    }

    @AfterAll
    static void stop() {
        gateways.forEach(ConfigurableApplicationContext::close);
        if (projector != null) {
            projector.close(Duration.ofSeconds(5));
        }
        if (decider != null) {
            decider.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAcceptThreeOfABurstOfThirtyAndRefuseTheRestWithUserQuotaAndRetryAfter() throws Exception {
        // Given a new user
        User user = register(first);

        // When 30 videos of 8 s are asked for at once
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 30)
                .mapToObj(i -> client.sendAsync(createRequest(first, user, "Rafale " + i, 8, "fr"),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // Then 3 are accepted and 27 refused: 429 user_quota with Retry-After, in French, naming the limit
        List<HttpResponse<String>> accepted = answers.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 202).toList();
        List<HttpResponse<String>> refused = answers.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 429).toList();
        assertThat(accepted).hasSize(3);
        assertThat(refused).hasSize(27);
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.body()).contains("\"code\":\"user_quota\"", "maximum 3");
            assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        });
        // and only the 3 accepted were published
        assertThat(createCommandsOf(user)).hasSize(3);
        // and the quota says so
        Map<String, Object> quota = quota(first, user);
        assertThat(quota.get("active_videos")).isEqualTo(Map.of("used", 3, "limit", 3, "left", 0));
        assertThat(quota.get("daily_seconds")).isEqualTo(Map.of("used", 24, "limit", 600, "left", 576));
    }

    @Test
    void shouldCountVideosKnownOnlyFromKafkaOnAnotherGatewayAndAfterARestart() throws Exception {
        // Given a user whose 3 videos in flight were made elsewhere: only their summaries are in Kafka
        User user = register(first);
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            writeSummary(user, summary(VideoIds.newId("ailleurs " + i, now), "generating_parallel", now, 8));
        }

        // When a gateway started after them (a new replica, as after a restart) and this one are asked for one more
        String second = startGateway("second");
        await("the first gateway's replica shows the 3 videos").atMost(Duration.ofSeconds(30))
                .until(() -> quota(first, user).get("active_videos").equals(Map.of("used", 3, "limit", 3, "left", 0)));

        // Then both refuse it, in English for an English request
        for (String gateway : List.of(first, second)) {
            HttpResponse<String> answer = client.send(createRequest(gateway, user, "One more", 8, "en"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("at %s: %s", gateway, answer.body()).isEqualTo(429);
            assertThat(answer.body()).contains("\"code\":\"user_quota\"", "You already have 3 videos in progress");
        }
        assertThat(createCommandsOf(user)).isEmpty();
    }

    @Test
    void shouldRefuseWhatWouldPassTheDailySecondsAndSayWhenTheyComeBack() throws Exception {
        // Given a user who asked for 590 s today, all finished
        User user = register(first);
        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            writeSummary(user, summary(VideoIds.newId("jour " + i, now), "completed", now, 118));
        }
        await("the replica shows the day's seconds").atMost(Duration.ofSeconds(30))
                .until(() -> ((Map<?, ?>) quota(first, user).get("daily_seconds")).get("used").equals(590));

        // When a 36 s video is asked for / Then 429 user_quota, Retry-After until midnight UTC
        HttpResponse<String> refused = client.send(createRequest(first, user, "Trop long", 36, "fr"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"user_quota\"", "Limite quotidienne", "600 s");
        long untilMidnight = Duration.between(Instant.now(),
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds();
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(untilMidnight - 60, untilMidnight + 60);
        // and an 8 s one still fits (598 of 600)
        HttpResponse<String> fits = client.send(createRequest(first, user, "Court", 8, "fr"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(202);
    }

    // ----- helpers -------------------------------------------------------------------------------------------

    record User(String userId, String token) {
    }

    private static String startGateway(String name) {
        ConfigurableApplicationContext app = GatewayApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--reetik.data-dir=" + dir.resolve("gateway-" + name),
                "--reetik.instance-id=quota-it-" + name,
                "--reetik.topics.partitions=3",
                "--reetik.gateway.jwt-secret-key=" + SECRET,
                // The burst comes from one address: the create rate limit is not what this test is about.
                "--reetik.gateway.rate-limits.creates-per-user-per-minute=1000",
                // Password hashes at 1,000 iterations: these tests are not about their cost (600,000 by default).
                "--reetik.gateway.password-iterations=1000",
                "--server.port=0");
        gateways.add(app);
        String base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
        await("gateway " + name + " ready").atMost(Duration.ofSeconds(60)).until(() -> client.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return base;
    }

    private static User register(String gateway) throws Exception {
        String email = "quota-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(gateway + "/api/auth/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                        Map.of("email", email, "password", "correct horse"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        String token = (String) Json.read(answer.body(), Map.class).get("access_token");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return new User((String) Json.read(payload, Map.class).get("sub"), token);
    }

    private static HttpRequest createRequest(String gateway, User user, String theme, int seconds, String language) {
        return HttpRequest.newBuilder(URI.create(gateway + "/api/videos"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + user.token())
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                        Map.of("theme", theme, "target_duration", seconds, "language", language))))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> quota(String gateway, User user) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(gateway + "/api/quota"))
                .header("Authorization", "Bearer " + user.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.read(answer.body(), Map.class);
    }

    private static VideoSummary summary(String videoId, String status, Instant at, int seconds) {
        return new VideoSummary(videoId, "theme", status, status, 0, 2, 0, at, at, null, null, null, 1, seconds, "fr");
    }

    private static void writeSummary(User user, VideoSummary summary) throws Exception {
        projector.send(new ProducerRecord<>(Topics.VIDEO_SUMMARIES.name(), VideoSummary.key(user.userId(),
                summary.videoId()), Json.write(summary))).get(10, TimeUnit.SECONDS);
    }

    /** The CreateVideo commands of this user now in reetik.video-commands. */
    private static List<CreateVideo> createCommandsOf(User user) {
        return TopicRecords.readToEnd(broker.bootstrapServers(), Topics.VIDEO_COMMANDS.name(), Duration.ofSeconds(30))
                .stream()
                .map(record -> Json.read(record.value(), VideoCommand.class))
                .filter(command -> command instanceof CreateVideo create && user.userId().equals(create.userId()))
                .map(CreateVideo.class::cast)
                .toList();
    }
}
