package com.reetik.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.account.UserAccount;
import com.reetik.contracts.json.Json;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 9, case 7: two registrations of one e-mail at once must leave one owner, and every replica must agree on
 * it, a live one and one rebuilt from {@code reetik.users} after compaction. A real broker, the projector's
 * registrations topology, and gateways started the way the standalone launcher starts them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OneOwnerPerEmailIT {

    private static final int REGISTRATIONS = 8;
    private static final String EMAIL = "race@example.com";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static AccountDecider decider;
    static final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startBrokerAndProjector() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 3, (short) 1);
        decider = AccountDecider.start(broker.bootstrapServers(), "one-owner-it-projector", dir.resolve("projector"));
    }

    @AfterAll
    static void stopEverything() {
        gateways.forEach(ConfigurableApplicationContext::close);
        if (decider != null) {
            decider.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldKeepOneOwnerPerEmailOnEveryReplica() throws Exception {
        // Given a gateway, and 8 registrations of one e-mail sent to it at once, each with its own password
        String live = startGateway("live");
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, REGISTRATIONS)
                .mapToObj(i -> client.sendAsync(post(live, "/api/auth/register", EMAIL, password(i)),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // Then exactly one is 201 with a token, the others 409 email_taken naming the e-mail
        List<Integer> created = IntStream.range(0, REGISTRATIONS).filter(i -> answers.get(i).join().statusCode() == 201)
                .boxed().toList();
        assertThat(created).as("registrations answered 201").hasSize(1);
        int winner = created.get(0);
        String ownerId = userIdOf(answers.get(winner).join());
        for (int i = 0; i < REGISTRATIONS; i++) {
            if (i != winner) {
                HttpResponse<String> refused = answers.get(i).join();
                assertThat(refused.statusCode()).as("registration %d", i).isEqualTo(409);
                assertThat(refused.body()).contains("\"code\":\"email_taken\"", "\"field\":\"email\"");
            }
        }

        // And reetik.users holds one account for the e-mail, the winner's: whatever compaction keeps is that one
        List<UserAccount> accounts = accountsOf(EMAIL);
        assertThat(accounts).as("accounts of %s on %s", EMAIL, Topics.USERS.name()).hasSize(1);
        assertThat(accounts.get(0).userId()).isEqualTo(ownerId);

        // When a gateway with a replica rebuilt from nothing (new data dir, new replica) starts on the same topics
        String rebuilt = startGateway("rebuilt");

        // Then both log in the winner with the winner's password, as the same user, and nobody else
        for (String gateway : List.of(live, rebuilt)) {
            HttpResponse<String> login = send(post(gateway, "/api/auth/login", EMAIL, password(winner)));
            assertThat(login.statusCode()).as("winner's login at %s", gateway).isEqualTo(200);
            assertThat(userIdOf(login)).isEqualTo(ownerId);
            for (int i = 0; i < REGISTRATIONS; i++) {
                if (i != winner) {
                    assertThat(send(post(gateway, "/api/auth/login", EMAIL, password(i))).statusCode())
                            .as("login with loser %d's password at %s", i, gateway).isEqualTo(401);
                }
            }
        }
    }

    @Test
    void shouldMakeAnOldPasswordHashAgainAtTheNextLogin() throws Exception {
        // Given an account registered when hashes took 1,000 iterations
        String email = "old-hash@example.com";
        String gateway = startGateway("upgrade", 600_000);
        UserAccount old = new UserAccount("u-old-hash", email, pbkdf2("an old password", 1_000),
                java.time.Instant.parse("2020-01-01T00:00:00Z"));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                "bootstrap.servers", broker.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.REGISTRATIONS.name(), email,
                    Json.write(old))).get(30, TimeUnit.SECONDS);
        }

        // When its owner logs in
        await("old account visible").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                send(post(gateway, "/api/auth/login", email, "an old password")).statusCode()).isEqualTo(200));

        // Then its hash is made again with today's 600,000 iterations (the default), same user and creation date
        await("hash upgraded").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<UserAccount> accounts = accountsOf(email);
            UserAccount now = accounts.get(accounts.size() - 1);
            assertThat(now.passwordHash()).startsWith("pbkdf2_sha256$600000$");
            assertThat(now.userId()).isEqualTo(old.userId());
            assertThat(now.createdAt()).isEqualTo(old.createdAt());
        });
        // and the password still logs in as the same user (the replica holds the new hash), a wrong one does not
        await("login with the new hash").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> login = send(post(gateway, "/api/auth/login", email, "an old password"));
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(userIdOf(login)).isEqualTo(old.userId());
        });
        assertThat(send(post(gateway, "/api/auth/login", email, "not the password")).statusCode()).isEqualTo(401);
    }

    /** A hash in the stored format {@code pbkdf2_sha256$iterations$salt$hash}, made with {@code iterations}. */
    private static String pbkdf2(String password, int iterations) throws Exception {
        byte[] salt = "sixteen byte salt".substring(0, 16).getBytes(StandardCharsets.UTF_8);
        byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        return "pbkdf2_sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static String password(int i) {
        return "password number " + i;
    }

    /** A gateway of its own, its password hashes at 1,000 iterations: these tests are not about their cost. */
    private static String startGateway(String name) {
        return startGateway(name, 1_000);
    }

    /** A gateway of its own (instance id, data dir, so its own replica state), as the standalone launcher runs it. */
    private static String startGateway(String name, int passwordIterations) {
        ConfigurableApplicationContext app = GatewayApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--reetik.data-dir=" + dir.resolve("gateway-" + name),
                "--reetik.instance-id=one-owner-it-" + name,
                "--reetik.topics.partitions=3",
                "--reetik.gateway.password-iterations=" + passwordIterations,
                "--server.port=0");
        gateways.add(app);
        String base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
        await("gateway " + name + " ready").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(get(base + "/actuator/health")).isEqualTo(200));
        return base;
    }

    private static int get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest post(String base, String path, String email, String password) {
        String body = Json.writeString(Map.of("email", email, "password", password));
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The user id ({@code sub}) of the token in a 200/201 answer. */
    private static String userIdOf(HttpResponse<String> answer) {
        String token = (String) Json.read(answer.body(), Map.class).get("access_token");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return (String) Json.read(payload, Map.class).get("sub");
    }

    /** Every committed account of {@code email} on reetik.users, in order, read from the start to the end. */
    private static List<UserAccount> accountsOf(String email) {
        return TopicRecords.readToEnd(broker.bootstrapServers(), Topics.USERS.name(), Duration.ofSeconds(30)).stream()
                .filter(record -> email.equals(record.key()) && record.value() != null)
                .map(record -> Json.read(record.value(), UserAccount.class))
                .toList();
    }
}
