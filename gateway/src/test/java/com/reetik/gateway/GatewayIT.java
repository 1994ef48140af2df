package com.reetik.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reetik.contracts.command.CancelVideo;
import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.command.DeleteVideo;
import com.reetik.contracts.command.RetryVideo;
import com.reetik.contracts.command.VideoCommand;
import com.reetik.contracts.event.AssemblyStarted;
import com.reetik.contracts.event.BlockCompleted;
import com.reetik.contracts.event.BlockSubmitted;
import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.event.ScriptGenerated;
import com.reetik.contracts.event.ScriptStarted;
import com.reetik.contracts.event.VideoCompleted;
import com.reetik.contracts.event.VideoEvent;
import com.reetik.contracts.event.VideoRequested;
import com.reetik.contracts.status.StatusMachine;
import com.reetik.contracts.topic.EventPosition;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.BlockState;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.status.VideoSummary;
import com.reetik.contracts.status.ReferenceImage;
import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.topic.TopicInitializer;
import com.reetik.contracts.topic.Topics;
import com.reetik.gateway.auth.JwtTokens;
import com.reetik.kafka.EmbeddedKafkaBroker;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/**
 * The whole gateway on a random port against a real in-process Kafka broker, started the way the
 * standalone launcher starts it. Of the projector only its registrations topology runs here (accounts are decided
 * there); the test plays the rest of its role by writing status views and libraries to their topics (the published
 * contract), and reads the commands the gateway publishes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.extension.ExtendWith(ThreadDumpOnTimeout.class)
class GatewayIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static AccountDecider accounts;
    static ConfigurableApplicationContext app;
    static KafkaProducer<String, byte[]> projector;
    static WebTestClient http;
    static Path dataDir;

    @BeforeAll
    static void startGateway() throws Exception {
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start();
        TopicInitializer.createMissing(broker.bootstrapServers(), 2, (short) 1);
        accounts = AccountDecider.start(broker.bootstrapServers(), "gateway-it-projector", dir.resolve("projector"));
        dataDir = dir.resolve("data");
        // As the standalone launcher does: command-line properties, no JWT secret (a random one is kept on disk).
        app = GatewayApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--reetik.data-dir=" + dataDir,
                "--reetik.instance-id=gateway-it",
                "--reetik.topics.partitions=2",
                "--reetik.gateway.sse-heartbeat=200ms",
                // Streams end after 5 s here (1 h by default), so that the test below sees it.
                "--reetik.gateway.sse-max-lifetime=5s",
                // Every test signs up from 127.0.0.1: registrations are limited by their own test below.
                "--reetik.gateway.rate-limits.registrations-per-address=100000",
                // Several tests make more than 3 videos per user; the quotas have their own test (QuotaIT).
                "--reetik.gateway.quota.max-active-videos=1000",
                "--reetik.gateway.quota.daily-seconds=100000000",
                // A year's retention, swept twice a second: only the retention test writes videos that old.
                "--reetik.gateway.retention.days=365",
                "--reetik.gateway.retention.sweep-interval=500ms",
                // An account's library is read again 2 s after its deletion (90 s by default).
                "--reetik.gateway.account-deletion-follow-up=2s",
                // Password hashes at 1,000 iterations: these tests are not about their cost (600,000 by default).
                "--reetik.gateway.password-iterations=1000",
                "--server.port=0");
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        projector = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());

        await().atMost(WAIT).until(() -> http.get().uri("/actuator/health").exchange()
                .returnResult(String.class).getStatus().is2xxSuccessful());
    }

    @AfterAll
    static void stop() {
        if (projector != null) {
            projector.close(Duration.ofSeconds(5));
        }
        if (app != null) {
            app.close();
        }
        if (accounts != null) {
            accounts.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ----- health and JSON -----------------------------------------------------------------------------

    @Test
    void shouldReportHealthUpWhenReplicaIsReady() {
        // Given the gateway started and its replica loaded (startGateway)
        // When / Then
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void shouldAnswerSnakeCaseJsonLikeKafkaRecords() {
        // Given a user with a just-created video
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"Les volcans d'Islande\"}", null);

        // When the view is read right after the 202
        String json = http.get().uri("/api/videos/{id}", id).headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        // Then it is the synthesized queued view, in the contracts' snake_case
        assertThat(json).contains("\"video_id\"", "\"current_step\"", "\"target_duration\":36")
                .doesNotContain("videoId", "currentStep");
        VideoStatus view = Json.read(json, VideoStatus.class);
        assertThat(view.status()).isEqualTo("queued");
        assertThat(view.version()).isZero();
        assertThat(view.currentStep()).isEqualTo("En attente");
        assertThat(view.request()).isEqualTo(new VideoRequest("Les volcans d'Islande", 36, "informative", "fr", "9:16",
                "none"));
    }

    @Test
    void shouldAnswerSpringsOwnErrorsInTheApiErrorShape() {
        // Given a user
        User user = newUser();

        // When asking for an unknown route, or posting a video as plain text
        // Then 404 / 415 with the API's error body
        http.get().uri("/api/nothing-here").headers(user::auth).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo("not_found");
        http.post().uri("/api/videos").headers(user::auth).contentType(MediaType.TEXT_PLAIN).bodyValue("volcans")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody().jsonPath("$.error.code").isEqualTo("unsupported_media_type");
    }

    // ----- auth -----------------------------------------------------------------------------------------

    @Test
    void shouldRegisterThenLogInWithJsonOrOAuthForm() {
        // Given a new account
        String email = "Alice" + USERS.incrementAndGet() + "@Example.com";
        http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "correct horse"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.access_token").isNotEmpty()
                .jsonPath("$.token_type").isEqualTo("bearer")
                .jsonPath("$.expires_in").isEqualTo(86_400);

        // When logging in at once, by JSON (any case of the e-mail) and by the OAuth2 form
        // Then both give a token that opens the API
        String jsonToken = tokenOf(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email.toLowerCase(), "password", "correct horse")).exchange());
        String formToken = tokenOf(http.post().uri("/api/auth/login")
                .body(BodyInserters.fromFormData("username", email).with("password", "correct horse")).exchange());
        for (String token : List.of(jsonToken, formToken)) {
            http.get().uri("/api/videos").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.videos").isEmpty().jsonPath("$.total").isEqualTo(0);
        }
    }

    @Test
    void shouldRefuseWrongPasswordAndUnknownEmailAlike() {
        // Given an account
        User user = newUser();

        // When logging in with a wrong password, or an unknown e-mail
        // Then both are the same 401
        String wrongPassword = http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email, "password", "wrong password")).exchange()
                .expectStatus().isUnauthorized().expectBody(String.class).returnResult().getResponseBody();
        String unknownEmail = http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "whatever1"))
                .exchange()
                .expectStatus().isUnauthorized().expectBody(String.class).returnResult().getResponseBody();
        assertThat(wrongPassword).isEqualTo(unknownEmail).contains("\"code\":\"unauthorized\"");
    }

    @Test
    void shouldRejectDuplicateRegistration() {
        // Given an account
        User user = newUser();

        // When the same e-mail registers again (in another case)
        // Then 409
        http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email.toUpperCase(), "password", "another password"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("email_taken");
    }

    @Test
    void shouldTreatLookAlikeEmailsAsOneAccountAndRefuseInvisibleCharacters() {
        // Given an account registered with a full-width e-mail (as some keyboards type it)
        String local = "lookalike" + USERS.incrementAndGet();
        String fullWidth = local.codePoints().mapToObj(c -> Character.toString(c + 0xFEE0))
                .collect(java.util.stream.Collectors.joining()) + "@example.com";
        http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", fullWidth, "password", "correct horse")).exchange()
                .expectStatus().isCreated();

        // When the plain spelling registers, and logs in
        // Then it is the same account: 409 for the second registration, the first one's password opens it
        http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", local + "@example.com", "password", "another password")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("email_taken");
        tokenOf(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", local + "@example.com", "password", "correct horse")).exchange());

        // and an e-mail hiding a zero-width space or a control character is not a valid address
        for (String hidden : List.of(local + "\u200B@example.com", local + "\u0007@example.com")) {
            expectInvalid(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", hidden, "password", "long enough")).exchange(), "email");
        }
    }

    @Test
    void shouldAnswer413ToAnOversizedLoginForm() {
        // Given / When a login form far over the 64 KB a request body may hold
        // Then 413 as JSON, not a 500
        http.post().uri("/api/auth/login")
                .body(BodyInserters.fromFormData("username", "big@example.com").with("password", "x".repeat(200_000)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.error.code").isEqualTo("payload_too_large");
    }

    @Test
    void shouldGuardEveryPathTheRouterMatchesPathParametersIncluded() {
        // Given / When the library asked for with a ;parameter in a segment (the router still matches /api/videos)
        // Then 401 without a token, like the plain path
        for (String path : List.of("/api;x/videos", "/api;jsessionid=1/videos;y")) {
            http.get().uri(path).exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.error.code").isEqualTo("unauthorized");
        }
    }

    @Test
    void shouldNameTheFieldOfAnInvalidRegistration() {
        // Given / When / Then: a bad e-mail, a short password, a missing body
        expectInvalid(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "not-an-email", "password", "long enough")).exchange(), "email");
        expectInvalid(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "short@example.com", "password", "1234567")).exchange(), "password");
        http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error.code").isEqualTo("invalid_request");
    }

    @Test
    void shouldRejectMissingToken() {
        // Given no Authorization header / When reading the library / Then 401 as JSON
        http.get().uri("/api/videos").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.error.code").isEqualTo("unauthorized");
    }

    @Test
    void shouldRejectInvalidToken() {
        // Given a token not signed by the gateway / When used / Then 401
        http.get().uri("/api/videos").headers(h -> h.setBearerAuth("eyJhbGciOiJIUzI1NiJ9.e30.bogus")).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.message").isEqualTo("The access token is invalid.");
    }

    @Test
    void shouldRejectExpiredToken() {
        // Given a token signed with the gateway's own secret (kept in {data-dir}/jwt-secret) that expired
        User user = newUser();
        String expired = Jwts.builder().issuer("reetik").audience().add("reetik-api").and()
                .subject(user.userId).claim("email", user.email)
                .issuedAt(Date.from(Instant.now().minusSeconds(7200)))
                .expiration(Date.from(Instant.now().minusSeconds(3600)))
                .signWith(JwtTokens.keyOf("", dataDir.resolve("jwt-secret")), Jwts.SIG.HS256)
                .compact();

        // When it is used / Then 401 saying it expired
        http.get().uri("/api/videos").headers(h -> h.setBearerAuth(expired)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.message").value(m -> assertThat((String) m).contains("expired"));
    }

    @Test
    void shouldRejectATokenOfAnotherIssuerOrAudienceEvenWithTheRightKey() {
        // Given tokens signed with the gateway's own key, but not issued for its API
        User user = newUser();
        javax.crypto.SecretKey key = JwtTokens.keyOf("", dataDir.resolve("jwt-secret"));
        Date later = Date.from(Instant.now().plusSeconds(600));
        String noAudience = Jwts.builder().issuer("reetik").subject(user.userId).expiration(later)
                .signWith(key, Jwts.SIG.HS256).compact();
        String otherIssuer = Jwts.builder().issuer("someone-else").audience().add("reetik-api").and()
                .subject(user.userId).expiration(later).signWith(key, Jwts.SIG.HS256).compact();
        String mediaOnly = Jwts.builder().issuer("reetik").audience().add("reetik-media").and()
                .subject(user.userId).expiration(later).signWith(key, Jwts.SIG.HS256).compact();

        // When they are used, Then each is a 401; the user's real token works
        for (String token : List.of(noAudience, otherIssuer, mediaOnly)) {
            http.get().uri("/api/videos").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isUnauthorized();
        }
        http.get().uri("/api/videos").headers(user::auth).exchange().expectStatus().isOk();
    }

    // ----- create ---------------------------------------------------------------------------------------

    @Test
    void shouldNameTheFieldOfEveryInvalidVideoRequest() {
        // Given a user
        User user = newUser();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{}", "theme"),
                Map.entry("{\"theme\": \"  ab  \"}", "theme"),
                Map.entry("{\"theme\": \"" + "x".repeat(501) + "\"}", "theme"),
                Map.entry("{\"theme\": 42}", "theme"),
                Map.entry("{\"theme\": \"volcans\", \"target_duration\": 7}", "target_duration"),
                Map.entry("{\"theme\": \"volcans\", \"target_duration\": 181}", "target_duration"),
                Map.entry("{\"theme\": \"volcans\", \"target_duration\": \"abc\"}", "target_duration"),
                Map.entry("{\"theme\": \"volcans\", \"target_duration\": 12.5}", "target_duration"),
                Map.entry("{\"theme\": \"volcans\", \"style\": \"boring\"}", "style"),
                Map.entry("{\"theme\": \"volcans\", \"language\": \"de\"}", "language"),
                Map.entry("{\"theme\": \"volcans\", \"aspect_ratio\": \"4:3\"}", "aspect_ratio"),
                Map.entry("{\"theme\": \"volcans\", \"subtitles\": \"yes\"}", "subtitles"),
                Map.entry("{\"theme\": \"volcans\", \"subtitles\": true}", "subtitles"),
                Map.entry("{\"theme\": \"volcans\", \"transition\": \"dissolve\"}", "transition"));

        // When each is posted / Then 400 naming its field
        cases.forEach((body, field) -> expectInvalid(http.post().uri("/api/videos").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), field));

        // And malformed JSON or a body of the wrong shape is a clear 400, never a 5xx
        for (String body : List.of("{\"theme\": ", "[1, 2]", "\"volcans\"")) {
            http.post().uri("/api/videos").headers(user::auth).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.error.code").isEqualTo("invalid_request")
                    .jsonPath("$.error.message").isNotEmpty();
        }
    }

    @Test
    void shouldCheckReferenceImagesAndStoreThemBesideTheVideoBeforeItsCommand() throws Exception {
        // Given a user, a PNG and a JPEG (their first bytes are what is checked, as the agents read them whole)
        User user = newUser();
        byte[] png = new byte[2000];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, png, 0, 8);
        png[1999] = 7;
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
        String pngImage = image("image/png", png);
        String jpegImage = image("image/jpeg", jpeg);

        // When requests with bad images are posted / Then each is a 400 on reference_images saying what is wrong
        Map<String, String> cases = Map.of(
                "[" + pngImage + "," + pngImage + "," + pngImage + "," + pngImage + "]", "at most 3 images, not 4",
                "[{\"mime_type\": \"image/gif\", \"data\": \"R0lGODlh\"}]", "mime_type must be one of image/png, image/jpeg, image/webp",
                "[{\"mime_type\": \"image/png\", \"data\": \"not base64 !\"}]", "data must be the image's bytes in base64",
                "[" + image("image/png", jpeg) + "]", "says image/png but its bytes are image/jpeg",
                "[" + image("image/png", "GIF89a".getBytes()) + "]", "is not an image in PNG, JPEG or WebP",
                "[" + image("image/png", java.util.Arrays.copyOf(png, ReferenceImage.MAX_BYTES + 1)) + "]",
                "each image may be at most 3 MB",
                "\"photo.png\"", "must be a list");
        cases.forEach((images, message) -> http.post().uri("/api/videos").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"theme\": \"volcans\", \"reference_images\": " + images + "}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.field").isEqualTo("reference_images")
                .jsonPath("$.error.message").value(m -> assertThat((String) m).contains(message)));
        // and a body over what three images can take is a 413, not read into memory
        http.post().uri("/api/videos").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"theme\": \"volcans\", \"x\": \"" + "a".repeat(14 * 1024 * 1024) + "\"}").exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.error.code").isEqualTo("payload_too_large")
                .jsonPath("$.error.message").value(m -> assertThat((String) m).contains("at most 3 reference images"));

        // When a video is asked with two good images (the JPEG as a browser's data: URL)
        String id = createVideo(user, "{\"theme\": \"Volcans\", \"target_duration\": 16, \"reference_images\": ["
                + pngImage + ", {\"mime_type\": \"image/jpeg\", \"data\": \"data:image/jpeg;base64,"
                + java.util.Base64.getEncoder().encodeToString(jpeg) + "\"}]}", null);

        // Then they are stored beside the video, and its command names them by type, digest and size
        LocalObjectStore store = new LocalObjectStore(dataDir.resolve("videos"));
        assertThat(Files.readAllBytes(store.localFile(id + "/references/1.png").orElseThrow())).isEqualTo(png);
        assertThat(Files.readAllBytes(store.localFile(id + "/references/2.jpg").orElseThrow())).isEqualTo(jpeg);
        CreateVideo command = (CreateVideo) awaitCommand(id, c -> c instanceof CreateVideo);
        assertThat(command.request().referenceImages()).containsExactly(
                new ReferenceImage("image/png", sha256(png), png.length),
                new ReferenceImage("image/jpeg", sha256(jpeg), jpeg.length));
        // and its owner (only) can look at them again, also with a media token as an <img> would
        http.get().uri("/api/videos/{id}/references/1", id).headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("image/png")
                .expectBody(byte[].class).isEqualTo(png);
        http.get().uri("/api/videos/{id}/references/3", id).headers(user::auth).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.error.code").isEqualTo("reference_not_found");
        http.get().uri("/api/videos/{id}/references/1", id).headers(newUser()::auth).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/videos/{id}/references/2?media_token={t}", id, mediaToken(user)).exchange()
                .expectStatus().isOk().expectBody(byte[].class).isEqualTo(jpeg);
    }

    private static String image(String mimeType, byte[] bytes) {
        return "{\"mime_type\": \"" + mimeType + "\", \"data\": \"" + java.util.Base64.getEncoder().encodeToString(bytes)
                + "\"}";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void shouldAcceptVideoAndPublishCreateCommand() {
        // Given a user
        User user = newUser();

        // When a video is asked for
        http.post().uri("/api/videos").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"theme\": \"  Les aurores boréales \", \"target_duration\": 24, \"style\": \"humorous\","
                        + " \"language\": \"en\", \"aspect_ratio\": \"16:9\", \"subtitles\": \"burned\","
                        + " \"transition\": \"fade\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.video_id").value(id -> assertThat(VideoIds.isWellFormed((String) id)).isTrue())
                .jsonPath("$.status").isEqualTo("queued")
                .jsonPath("$.status_url").value(url -> assertThat((String) url).startsWith("/api/videos/les_aurores_boreales_"))
                .jsonPath("$.events_url").value(url -> assertThat((String) url).endsWith("/events"));

        // Then the CreateVideo command is durably on reetik.video-commands
        String id = latestVideoOf(user);
        CreateVideo command = (CreateVideo) awaitCommand(id, c -> c instanceof CreateVideo);
        assertThat(command.userId()).isEqualTo(user.userId);
        assertThat(command.request()).isEqualTo(new VideoRequest("Les aurores boréales", 24, "humorous", "en", "16:9",
                "burned", "fade"));
        assertThat(command.idempotencyKey()).isNull();
    }

    @Test
    void shouldReturnTheSameVideoForTheSameIdempotencyKey() {
        // Given a user who created a video with an Idempotency-Key
        User user = newUser();
        String body = "{\"theme\": \"Idempotent theme\"}";
        String first = createVideo(user, body, "key-1");

        // When the same request is sent again with the same key
        String second = createVideo(user, body, "key-1");

        // Then the same video is answered and only one command was published
        assertThat(second).isEqualTo(first);
        assertThat(commandsFor(first)).hasSize(1);

        // And another user's same key is another video
        assertThat(createVideo(newUser(), body, "key-1")).isNotEqualTo(first);
    }

    @Test
    void shouldFindAnIdempotencyKeyInTheLibraryAcrossRestarts() {
        // Given a video in the user's library (written by the projector) with an idempotency key this
        // gateway instance never saw (as after a restart)
        User user = newUser();
        VideoStatus view = withKey(view(user, VideoIds.newId("earlier", Instant.now()), 3, "generating_script",
                List.of(), null), "key-from-before");
        writeStatus(view);
        writeSummary(user, VideoSummary.of(view));
        awaitVersion(user, view.videoId(), 3);
        await().atMost(WAIT).until(() -> listOf(user).contains(view.videoId()));

        // When the same request is sent again with that key / Then the same video is answered, with its real status
        String answer = http.post().uri("/api/videos").headers(user::auth).header("Idempotency-Key", "key-from-before")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"theme\": \"a theme\", \"language\": \"en\"}")
                .exchange().expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody();
        assertThat(Json.read(answer, Map.class)).containsEntry("video_id", view.videoId())
                .containsEntry("status", "generating_script");
        assertThat(commandsFor(view.videoId())).isEmpty();
    }

    @Test
    void shouldRefuseAKnownIdempotencyKeyWithAnotherBodyWith422() {
        // Given a video created with an Idempotency-Key
        User user = newUser();
        String first = createVideo(user, "{\"theme\": \"Premier thème\", \"target_duration\": 8}", "key-422");

        // When the same key comes with another body (another duration)
        // Then 422 naming the header, and nothing new is published
        http.post().uri("/api/videos").headers(user::auth).header("Idempotency-Key", "key-422")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"theme\": \"Premier thème\", \"target_duration\": 16}").exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.error.code").isEqualTo("idempotency_key_reused")
                .jsonPath("$.error.field").isEqualTo("Idempotency-Key");
        assertThat(commandsFor(first)).hasSize(1);
    }

    // ----- read and list ----------------------------------------------------------------------------------

    @Test
    void shouldShowNoStoragePathOperationNameOrAgentOutputInViewsListsAndEvents() {
        // Given a completed video whose services' view holds file paths, operation names and an agent id,
        // and a failed one whose error holds the agent's raw output
        User user = newUser();
        String done = VideoIds.newId("secret paths", Instant.now());
        List<BlockState> blocks = List.of(new BlockState(1, "completed", 1, "p1", "n1", 4, "file:///srv/data/c/1.mp4",
                "projects/acme-prod-4711/locations/us-central1/operations/op-1", null));
        VideoStatus completed = new VideoStatus(done, user.userId, 4, "completed", "Terminé", 1, 1, 100, Instant.now(),
                Instant.now(), new VideoRequest("a theme", 8, "informative", "fr", "9:16"), null, "agent-video-acme",
                blocks, "file:///srv/data/" + done + "/final.mp4", 8.0, null);
        String lost = VideoIds.newId("raw output", Instant.now());
        VideoStatus failed = new VideoStatus(lost, user.userId, 2, "failed", "Erreur", 1, 0, 0, Instant.now(),
                Instant.now(), new VideoRequest("a theme", 8, "informative", "fr", "9:16"), null, null, List.of(), null,
                null, new com.reetik.contracts.status.VideoError("assembly_failed", "Erreur lors de l'assemblage",
                "assembly", "ffmpeg exited 1: /srv/data/tmp/concat.txt: Invalid data found"));
        writeStatus(completed);
        writeStatus(failed);
        writeSummary(user, VideoSummary.of(completed));
        awaitVersion(user, done, 4);
        awaitVersion(user, lost, 2);
        await().atMost(WAIT).until(() -> listOf(user).contains(done));

        // When the user reads them, lists them and follows one
        String doneView = http.get().uri("/api/videos/{id}", done).headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        String lostView = http.get().uri("/api/videos/{id}", lost).headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        String list = http.get().uri("/api/videos").headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        follow(user, done, null, events).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

        // Then the file is its API URL, and no path, operation name, agent id or raw output shows anywhere
        assertThat(Json.read(doneView, Map.class)).containsEntry("final_url", "/api/videos/" + done + "/file")
                .containsEntry("agent_video_id", null);
        Map<?, ?> error = (Map<?, ?>) Json.read(lostView, Map.class).get("error");
        assertThat(error.get("code")).isEqualTo("assembly_failed");
        assertThat(error.get("stage")).isEqualTo("assembly");
        assertThat(error.get("detail")).isNull();
        List<String> answers = new ArrayList<>(List.of(doneView, lostView, list));
        events.forEach(e -> answers.add(String.valueOf(e.data())));
        assertThat(answers).noneMatch(a -> a.contains("file://") || a.contains("/srv/data") || a.contains("acme")
                || a.contains("ffmpeg"));
        assertThat(list).contains("/api/videos/" + done + "/file");
    }

    @Test
    void shouldHideAnotherUsersVideo() {
        // Given Alice's video
        User alice = newUser();
        User bob = newUser();
        String id = createVideo(alice, "{\"theme\": \"private theme\"}", null);

        // When Bob asks for it in any way / Then it is a 404, the same as an unknown or malformed id
        String notFound = http.get().uri("/api/videos/{id}", id).headers(bob::auth).exchange()
                .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody();
        assertThat(http.get().uri("/api/videos/{id}", "unknown_20260101_000000_abcdef").headers(bob::auth).exchange()
                .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody()).isEqualTo(notFound);
        assertThat(http.get().uri("/api/videos/{id}", "..%2F..%2Fetc").headers(bob::auth).exchange()
                .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody()).isEqualTo(notFound);
        http.get().uri("/api/videos/{id}/events", id).headers(bob::auth).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/videos/{id}/file", id).headers(bob::auth).exchange().expectStatus().isNotFound();
        http.post().uri("/api/videos/{id}/cancel", id).headers(bob::auth).exchange().expectStatus().isNotFound();
        http.post().uri("/api/videos/{id}/retry", id).headers(bob::auth).exchange().expectStatus().isNotFound();
        // while Alice sees it
        http.get().uri("/api/videos/{id}", id).headers(alice::auth).exchange().expectStatus().isOk();
    }

    @Test
    void shouldListAVideoWithItsViewWhenTheViewIsNewerThanItsSummary() {
        // Given a video whose summary still says failed (version 2) while its view already says completed (version
        // 5): the projector writes each summary from the view one hop later, and a page may read between the two
        User user = newUser();
        String id = VideoIds.newId("retried then completed", Instant.now());
        VideoStatus failed = view(user, id, 2, "failed", List.of(), null);
        writeSummary(user, VideoSummary.of(failed));
        await().atMost(WAIT).until(() -> listOf(user).contains(id));
        writeStatus(view(user, id, 5, "completed", List.of(), null));
        await().atMost(WAIT).until(() -> http.get().uri("/api/videos/{id}", id).headers(user::auth).exchange()
                .returnResult(String.class).getResponseBody().blockFirst().contains("\"completed\""));

        // When the library is read / Then it lists the video as its own page shows it
        http.get().uri("/api/videos").headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.videos[0].video_id").isEqualTo(id)
                .jsonPath("$.videos[0].status").isEqualTo("completed")
                .jsonPath("$.videos[0].version").isEqualTo(5);
    }

    @Test
    void shouldListTheLibraryNewestFirstByPage() {
        // Given a library of three videos
        User user = newUser();
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        List<VideoSummary> videos = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            VideoStatus v = view(user, VideoIds.newId("video " + i, t.plusSeconds(i)), 1, "queued", List.of(), null);
            videos.add(VideoSummary.of(new VideoStatus(v.videoId(), v.userId(), 1, v.status(), v.currentStep(), 0, 0, 0,
                    t.plusSeconds(i), t.plusSeconds(i), v.request(), null, null, List.of(), null, null, null)));
        }
        videos.forEach(summary -> writeSummary(user, summary));
        await().atMost(WAIT).until(() -> listOf(user).size() == 3);

        // When reading the first page of two / Then the two newest, and the total
        http.get().uri("/api/videos?page=0&size=2").headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.videos.length()").isEqualTo(2)
                .jsonPath("$.videos[0].video_id").isEqualTo(videos.get(2).videoId())
                .jsonPath("$.videos[1].video_id").isEqualTo(videos.get(1).videoId())
                .jsonPath("$.page").isEqualTo(0)
                .jsonPath("$.size").isEqualTo(2)
                .jsonPath("$.total").isEqualTo(3);
        http.get().uri("/api/videos?page=1&size=2").headers(user::auth).exchange()
                .expectBody().jsonPath("$.videos[0].video_id").isEqualTo(videos.get(0).videoId());

        // And a bad page or size is a 400 naming it
        expectInvalid(http.get().uri("/api/videos?page=-1").headers(user::auth).exchange(), "page");
        expectInvalid(http.get().uri("/api/videos?page=abc").headers(user::auth).exchange(), "page");
        expectInvalid(http.get().uri("/api/videos?size=0").headers(user::auth).exchange(), "size");
        expectInvalid(http.get().uri("/api/videos?size=101").headers(user::auth).exchange(), "size");
    }

    @Test
    void shouldPageTenThousandVideosOfOneUserNewestFirst() {
        // Given a user with 10,000 videos (480-emoji themes), one summary record each, written in no order of
        // time, and another user's video
        User heavy = newUser();
        User other = newUser();
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        String theme = "\uD83C\uDF0B".repeat(480);
        List<VideoSummary> videos = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Instant created = t.plusSeconds((i * 7_919L) % 10_000 * 13);
            videos.add(new VideoSummary(VideoIds.newId("heavy " + i, created), theme, "cancelled", "Annulé", 0, 0, 0,
                    created, created, null, null, null, 2, 8, "fr"));
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        videos.forEach(v -> sent.add(sendAsync(Topics.VIDEO_SUMMARIES.name(), VideoSummary.key(heavy.userId,
                v.videoId()), Json.write(v))));
        writeSummary(other, VideoSummary.of(view(other, VideoIds.newId("theirs", t), 1, "queued", List.of(), null)));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).untilAsserted(() -> assertThat(total(heavy)).isEqualTo(10_000));

        // When every page of 100 is read
        List<String> listed = new ArrayList<>();
        for (int page = 0; page < 100; page++) {
            Map<String, Object> answer = page(heavy, page, 100);
            assertThat(answer).containsEntry("page", page).containsEntry("size", 100).containsEntry("total", 10_000);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) answer.get("videos");
            assertThat(items).hasSize(100);
            items.forEach(v -> listed.add((String) v.get("video_id")));
        }

        // Then they are the user's videos newest first, each once, and the page after the last is empty
        assertThat(listed).containsExactlyElementsOf(videos.stream().sorted(VideoSummary.NEWEST_FIRST)
                .map(VideoSummary::videoId).toList());
        assertThat((List<?>) page(heavy, 100, 100).get("videos")).isEmpty();
        // and the other user still sees only their own video
        assertThat(total(other)).isEqualTo(1);
    }

    // ----- SSE --------------------------------------------------------------------------------------------

    @Test
    void shouldStreamIncreasingVersionsWithHeartbeatsAndEndAfterCompleted() {
        // Given a created video the projector has seen once
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"streamed theme\"}", null);
        writeStatus(view(user, id, 1, "generating_script", List.of(), null));
        awaitVersion(user, id, 1);

        // When following its events
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = follow(user, id, null, received);

        // Then the current view comes first, then each newer one, with heartbeats between
        await().atMost(WAIT).until(() -> statusEvents(received).size() == 1);
        await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.comment() != null));
        writeStatus(view(user, id, 2, "script_generated", List.of(), null));
        writeStatus(view(user, id, 3, "completed", List.of(), "file:///nowhere/final.mp4"));

        // And the stream ends after completed
        ended.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        List<ServerSentEvent<String>> statuses = statusEvents(received);
        assertThat(statuses).extracting(ServerSentEvent::id).containsExactly("1", "2", "3");
        assertThat(statuses).allSatisfy(e -> assertThat(e.event()).isEqualTo("status"));
        assertThat(Json.read(statuses.get(2).data(), VideoStatus.class).status()).isEqualTo("completed");
    }

    @Test
    void shouldStreamEachChangeFromTheEventsWithoutWaitingForTheProjectorsView() {
        // Given a video whose first event the projector has folded into version 1, saying where that event is
        User user = newUser();
        String id = VideoIds.newId("live theme", Instant.now());
        Instant t = Instant.now();
        VideoEvent requested = new VideoRequested("e0-" + id, id, t, user.userId,
                new VideoRequest("live theme", 36, "informative", "fr", "9:16"), null, t, null);
        RecordMetadata at = sendEvent(requested);
        VideoStatus first = StatusMachine.apply(null, requested).orElseThrow();
        sendView(first, new EventPosition(at.partition(), at.offset()));
        awaitVersion(user, id, 1);
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = follow(user, id, null, received);
        await().atMost(WAIT).until(() -> statusEvents(received).size() == 1);

        // When the bridge's next events are written, and no projector writes their views
        List<VideoEvent> events = List.of(
                new ScriptStarted("e1-" + id, id, t.plusSeconds(1)),
                new ScriptGenerated("e2-" + id, id, t.plusSeconds(2), List.of(new ScriptBlock(1, "p1", "n1", 4),
                        new ScriptBlock(2, "p2", "n2", 4)), null),
                new BlockSubmitted("e3-" + id, id, t.plusSeconds(3), 1, 1, "op-1"),
                new BlockSubmitted("e4-" + id, id, t.plusSeconds(3), 2, 1, "op-2"),
                new BlockCompleted("e5-" + id, id, t.plusSeconds(4), 1, 1, "file:///nowhere/1.mp4", 4),
                new BlockCompleted("e6-" + id, id, t.plusSeconds(5), 2, 1, "file:///nowhere/2.mp4", 4),
                new AssemblyStarted("e7-" + id, id, t.plusSeconds(6)),
                new VideoCompleted("e8-" + id, id, t.plusSeconds(7), "file:///nowhere/final.mp4", 8));
        events.forEach(GatewayIT::sendEvent);

        // Then the stream shows every change the projector will make, in order, and ends after completed
        ended.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        List<VideoStatus> expected = new ArrayList<>(List.of(first));
        for (VideoEvent event : events) {
            StatusMachine.apply(expected.get(expected.size() - 1), event).ifPresent(expected::add);
        }
        List<VideoStatus> streamed = statusEvents(received).stream()
                .map(e -> Json.read(e.data(), VideoStatus.class)).toList();
        assertThat(streamed).extracting(VideoStatus::version)
                .containsExactlyElementsOf(expected.stream().map(VideoStatus::version).toList());
        assertThat(streamed).extracting(VideoStatus::currentStep)
                .containsExactlyElementsOf(expected.stream().map(VideoStatus::currentStep).toList());
        assertThat(streamed.get(streamed.size() - 1).status()).isEqualTo("completed");
        // And a read right after the stream ended answers the same completed view (a client told "completed" can
        // fetch the file at once), though the projector has written nothing since version 1
        String body = http.get().uri("/api/videos/{id}", id).headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        VideoStatus read = Json.read(body, VideoStatus.class);
        assertThat(read.version()).isEqualTo(expected.get(expected.size() - 1).version());
        assertThat(read.status()).isEqualTo("completed");
    }

    @Test
    void shouldResumeAfterLastEventIdWithoutOlderEvents() {
        // Given a video whose current view is version 4
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"resumed theme\"}", null);
        for (int v = 1; v <= 4; v++) {
            writeStatus(view(user, id, v, v < 4 ? "generating_script" : "generating_parallel", List.of(), null));
        }
        awaitVersion(user, id, 4);

        // When a client that saw version 4 reconnects with Last-Event-ID, and another that saw 2
        List<ServerSentEvent<String>> upToDate = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<String>> behind = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> upToDateEnded = follow(user, id, "4", upToDate);
        CompletableFuture<Void> behindEnded = follow(user, id, "2", behind);
        await().atMost(WAIT).until(() -> statusEvents(behind).size() == 1
                && upToDate.stream().anyMatch(e -> e.comment() != null));
        writeStatus(view(user, id, 5, "failed", List.of(), null));

        // Then the first gets only version 5, the second the current 4 then 5; both end after failed
        upToDateEnded.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        behindEnded.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(statusEvents(upToDate)).extracting(ServerSentEvent::id).containsExactly("5");
        assertThat(statusEvents(behind)).extracting(ServerSentEvent::id).containsExactly("4", "5");

        // And a client already past the terminal view gets an empty stream that ends at once
        List<ServerSentEvent<String>> done = new CopyOnWriteArrayList<>();
        follow(user, id, "5", done).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(statusEvents(done)).isEmpty();
    }

    @Test
    void shouldCapTheStreamsOfOneUserAndEndEachAfterItsLifetime() {
        // Given a video still running
        User user = newUser();
        String id = VideoIds.newId("long running", Instant.now());
        writeStatus(view(user, id, 1, "generating_parallel", List.of(), null));
        awaitVersion(user, id, 1);

        // When the user opens 10 streams (the default cap), then an 11th
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            streams.add(follow(user, id, null, new CopyOnWriteArrayList<>()));
        }
        // Then the 11th is refused with 429 too_many_streams
        http.get().uri("/api/videos/{id}/events", id).headers(user::auth).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.error.code").isEqualTo("too_many_streams");

        // And each stream ends by itself after its lifetime (5 s here), the video still running
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
        // after which the user may follow again
        List<ServerSentEvent<String>> again = new CopyOnWriteArrayList<>();
        follow(user, id, null, again);
        await().atMost(WAIT).until(() -> statusEvents(again).size() == 1);
        assertThat(statusEvents(again)).extracting(ServerSentEvent::id).containsExactly("1");
    }

    // ----- metrics ---------------------------------------------------------------------------------------

    @Test
    void shouldExposeAcceptedVideosAndOpenEventStreamsToPrometheus() {
        // Given no event stream open (the other tests' streams have ended) and the videos accepted so far
        await().atMost(WAIT).until(() -> metric(scrape(), "reetik_sse_subscribers") == 0.0);
        double acceptedBefore = metric(scrape(), "reetik_videos_accepted_total");

        // When a video is created and one client follows its events
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"measured theme\"}", null);
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = follow(user, id, null, received);
        await().atMost(WAIT).until(() -> statusEvents(received).size() == 1);

        // Then /actuator/prometheus counts one more accepted video and shows one open stream
        String text = scrape();
        assertThat(metric(text, "reetik_videos_accepted_total")).isEqualTo(acceptedBefore + 1);
        assertThat(metric(text, "reetik_sse_subscribers")).isEqualTo(1.0);
        // and a repeat of a known Idempotency-Key is the same video, not another acceptance
        String keyed = createVideo(user, "{\"theme\": \"measured theme\"}", "metrics-key");
        assertThat(createVideo(user, "{\"theme\": \"measured theme\"}", "metrics-key")).isEqualTo(keyed);
        assertThat(metric(scrape(), "reetik_videos_accepted_total")).isEqualTo(acceptedBefore + 2);
        // and the Kafka clients are measured: the command producer (Boot's Micrometer listener on its
        // factory) and the replica's consumer lag (Kafka Streams metrics bound by the replica)
        assertThat(text).contains("kafka_producer_record_send_total{", "kafka_consumer_fetch_manager_records_lag_max{");

        // And when the stream ends (terminal view) the gauge goes back to 0
        writeStatus(view(user, id, 1, "completed", List.of(), "file:///nowhere/final.mp4"));
        ended.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> metric(scrape(), "reetik_sse_subscribers") == 0.0);
    }

    // ----- file ------------------------------------------------------------------------------------------

    @Test
    void shouldDownloadCompletedVideoWithRangeRequests() throws Exception {
        // Given a created video, still running
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"downloadable\"}", null);
        http.get().uri("/api/videos/{id}/file", id).headers(user::auth).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("not_completed");

        // When it completes with its file in the object store
        byte[] mp4 = new byte[4096];
        for (int i = 0; i < mp4.length; i++) {
            mp4[i] = (byte) i;
        }
        LocalObjectStore store = new LocalObjectStore(dataDir.resolve("videos"));
        Path source = Files.write(dir.resolve(id + ".mp4"), mp4);
        String finalUrl = store.put(ObjectKeys.finalVideo(id), source);
        writeStatus(view(user, id, 1, "completed", List.of(), finalUrl));
        awaitVersion(user, id, 1);

        // Then the whole file is served as video/mp4
        byte[] whole = http.get().uri("/api/videos/{id}/file", id).headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("video/mp4")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(whole).isEqualTo(mp4);

        // And a range is a 206 with Content-Range
        byte[] part = http.get().uri("/api/videos/{id}/file", id).headers(user::auth)
                .header(HttpHeaders.RANGE, "bytes=100-199").exchange()
                .expectStatus().isEqualTo(HttpStatus.PARTIAL_CONTENT)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 100-199/4096")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(part).isEqualTo(Arrays.copyOfRange(mp4, 100, 200));
    }

    // ----- media for the browser: poster, media token, download ------------------------------------------------

    @Test
    void shouldOpenFileAndPosterWithAMediaTokenButNothingElse() throws Exception {
        // Given a completed video with its poster, and a media token of its owner
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"with a poster\"}", null);
        http.get().uri("/api/videos/{id}/poster", id).headers(user::auth).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo("poster_not_found");
        LocalObjectStore store = new LocalObjectStore(dataDir.resolve("videos"));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
        store.put(ObjectKeys.poster(id), Files.write(dir.resolve(id + ".jpg"), jpeg));
        complete(user, id, store);
        String mediaToken = mediaToken(user);

        // When an <img> and a download link use it, without an Authorization header
        // Then the poster is served as a JPEG that browsers check again (an edit makes a new version of it at the same
        // URL) with an ETag naming its version, and the file as an attachment when asked to download
        byte[] served = http.get().uri("/api/videos/{id}/poster?media_token={t}", id, mediaToken).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_JPEG)
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache().cachePrivate())
                .expectHeader().valueEquals(HttpHeaders.ETAG, "\"" + id + "-v1\"")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(served).isEqualTo(jpeg);
        http.get().uri("/api/videos/{id}/file?media_token={t}&download=1", id, mediaToken).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".mp4\"");

        // And the media token opens nothing else: not the API as a bearer token, not the status view
        http.get().uri("/api/videos").headers(h -> h.setBearerAuth(mediaToken)).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/videos/{id}?media_token={t}", id, mediaToken).exchange()
                .expectStatus().isUnauthorized();
        // and another user's media token does not open this video
        User other = newUser();
        String otherToken = mediaToken(other);
        http.get().uri("/api/videos/{id}/poster?media_token={t}", id, otherToken).exchange()
                .expectStatus().isNotFound();
        // and a forged one is refused
        http.get().uri("/api/videos/{id}/poster?media_token={t}", id, mediaToken + "x").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void shouldDeleteAVideoOnlyForItsOwnerAndAnswer404ForItEverywhereAfterwards() throws Exception {
        // Given a completed video, listed in its owner's library
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"to delete\"}", null);
        LocalObjectStore store = new LocalObjectStore(dataDir.resolve("videos"));
        complete(user, id, store);
        writeSummary(user, VideoSummary.of(view(user, id, 1, "completed", List.of(), store.uri(ObjectKeys.finalVideo(id)))));
        await().atMost(WAIT).until(() -> listOf(user).contains(id));

        // When someone else asks to delete it, Then 404 and nothing is published
        http.delete().uri("/api/videos/{id}", id).headers(newUser()::auth).exchange().expectStatus().isNotFound();

        // When its owner deletes it
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> http.delete()
                .uri("/api/videos/{id}", id).headers(user::auth).exchange().returnResult(Void.class).getStatus().value());
        // Then a DeleteVideo is published for the bridge, and only one
        DeleteVideo command = (DeleteVideo) awaitCommand(id, c -> c instanceof DeleteVideo);
        assertThat(command.userId()).isEqualTo(user.userId);
        // and once the projector's tombstones reach the gateway, the answer is 204
        send(Topics.VIDEO_STATUS.name(), id, null);
        send(Topics.VIDEO_SUMMARIES.name(), VideoSummary.key(user.userId, id), null);
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(204);

        // And every route answers 404 for it, and the library no longer lists it
        for (String path : List.of("/api/videos/{id}", "/api/videos/{id}/file", "/api/videos/{id}/poster",
                "/api/videos/{id}/captions.vtt", "/api/videos/{id}/events")) {
            http.get().uri(path, id).headers(user::auth).exchange().expectStatus().isNotFound();
        }
        http.delete().uri("/api/videos/{id}", id).headers(user::auth).exchange().expectStatus().isNotFound();
        http.post().uri("/api/videos/{id}/retry", id).headers(user::auth).exchange().expectStatus().isNotFound();
        assertThat(listOf(user)).doesNotContain(id);
    }

    @Test
    void shouldDeleteAnAccountWithItsVideosOnlyWithItsPassword() throws Exception {
        // Given a user with two videos in their library, and a third just accepted, not in the library yet (its
        // summary is on its way, or another gateway took it)
        User user = newUser();
        String first = createVideo(user, "{\"theme\": \"account video one\"}", null);
        String second = createVideo(user, "{\"theme\": \"account video two\"}", null);
        for (String id : List.of(first, second)) {
            VideoStatus done = view(user, id, 1, "completed", List.of(), null);
            writeStatus(done);
            writeSummary(user, VideoSummary.of(done));
        }
        await().atMost(WAIT).until(() -> listOf(user).containsAll(List.of(first, second)));

        // When they ask without their password, or with a wrong one, Then 400 and 403, and nothing is deleted
        expectInvalid(http.method(HttpMethod.DELETE).uri("/api/account").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(), "password");
        http.method(HttpMethod.DELETE).uri("/api/account").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "not the password")).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.code").isEqualTo("wrong_password");
        assertThat(commandsFor(first)).noneMatch(c -> c instanceof DeleteVideo);

        // When they confirm with their password
        http.method(HttpMethod.DELETE).uri("/api/account").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "a long password")).exchange()
                .expectStatus().isNoContent();

        // Then at once, before the replica shows the deletion (a browser logs in again within a second), their
        // password no longer logs in
        http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email(), "password", "a long password")).exchange()
                .expectStatus().isUnauthorized();
        // and each of their videos gets a DeleteVideo
        for (String id : List.of(first, second)) {
            assertThat(((DeleteVideo) awaitCommand(id, c -> c instanceof DeleteVideo)).userId()).isEqualTo(user.userId);
        }
        // and a video accepted around the deletion, whose summary reaches the library only now, is deleted too
        String late = VideoIds.newId("account video late", Instant.now());
        VideoStatus lateView = view(user, late, 1, "queued", List.of(), null);
        writeStatus(lateView);
        writeSummary(user, VideoSummary.of(lateView));
        assertThat(((DeleteVideo) awaitCommand(late, c -> c instanceof DeleteVideo)).userId()).isEqualTo(user.userId);
        // and their token no longer opens anything, and their password no longer logs in
        http.get().uri("/api/videos").headers(user::auth).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.message").isEqualTo("This account was deleted.");
        http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email(), "password", "a long password")).exchange()
                .expectStatus().isUnauthorized();
        // and the e-mail can be registered again at once, as a new user with an empty library
        String token = tokenOf(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email(), "password", "another long password")).exchange());
        User again = new User(user.email(), null, token);
        assertThat(listOf(again)).isEmpty();
    }

    @Test
    void shouldDeleteFinishedVideosOlderThanTheRetentionAndKeepTheOthers() throws Exception {
        // Given (a retention of 365 days) a video completed 400 days ago, one completed yesterday, and one still
        // running whose last change is 400 days old (a stalled video is the stall check's business)
        User user = newUser();
        Instant old = Instant.now().minus(Duration.ofDays(400));
        Instant recent = Instant.now().minus(Duration.ofDays(1));
        String expired = VideoIds.newId("retention old", Instant.now());
        String kept = VideoIds.newId("retention recent", Instant.now());
        String running = VideoIds.newId("retention running", Instant.now());
        VideoRequest request = new VideoRequest("retention", 8, "informative", "fr", "9:16");
        writeStatus(new VideoStatus(expired, user.userId(), 1, "completed", "Terminé", 2, 2, 100, old, old, request,
                null, null, List.of(), null, 8.0, null));
        writeStatus(new VideoStatus(kept, user.userId(), 1, "completed", "Terminé", 2, 2, 100, recent, recent, request,
                null, null, List.of(), null, 8.0, null));
        writeStatus(new VideoStatus(running, user.userId(), 1, "generating_parallel", "Génération bloc 1/2", 2, 0, 10,
                old, old, request, null, null, List.of(), null, null, null));

        // When the gateway sweeps, Then the old finished video gets a DeleteVideo in its owner's name
        DeleteVideo command = (DeleteVideo) awaitCommand(expired, c -> c instanceof DeleteVideo);
        assertThat(command.userId()).isEqualTo(user.userId());
        // and, two sweeps later, neither the recent nor the running one has one, and the old one only the one
        Thread.sleep(1_200);
        List<VideoCommand> all = new ArrayList<>();
        for (String id : List.of(expired, kept, running)) {
            all.addAll(commandsFor(id));
        }
        assertThat(all).filteredOn(c -> c instanceof DeleteVideo).extracting(VideoCommand::videoId)
                .containsExactly(expired);
    }

    @Test
    void shouldServeTheSubtitlesOfACompletedVideoToItsOwnerAndToATrackWithAMediaToken() throws Exception {
        // Given a video that is not completed yet
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"with subtitles\"}", null);
        http.get().uri("/api/videos/{id}/captions.vtt", id).headers(user::auth).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo("captions_not_found");
        // When it completes with the subtitles the assembler wrote beside it
        LocalObjectStore store = new LocalObjectStore(dataDir.resolve("videos"));
        String vtt = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.000\nL'été « 100 % » géothermique\n";
        String srt = "1\n00:00:00,000 --> 00:00:04,000\nL'été « 100 % » géothermique\n\n";
        store.put(ObjectKeys.captions(id, "vtt"), Files.writeString(dir.resolve(id + ".vtt"), vtt));
        store.put(ObjectKeys.captions(id, "srt"), Files.writeString(dir.resolve(id + ".srt"), srt));
        complete(user, id, store);
        String mediaToken = mediaToken(user);

        // Then a <track> gets the WebVTT with the media token, in UTF-8, accents and all
        String served = http.get().uri("/api/videos/{id}/captions.vtt?media_token={t}", id, mediaToken).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/vtt;charset=UTF-8")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(served).isEqualTo(vtt);
        // and its owner the SubRip file
        http.get().uri("/api/videos/{id}/captions.srt", id).headers(user::auth).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/x-subrip;charset=UTF-8")
                .expectBody(String.class).isEqualTo(srt);
        // and no other format, and no other user, gets anything
        http.get().uri("/api/videos/{id}/captions.txt", id).headers(user::auth).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/videos/{id}/captions.vtt", id).headers(newUser()::auth).exchange()
                .expectStatus().isNotFound();
    }

    /** The video completed: a final file in the store and its completed view, seen by the gateway. */
    private void complete(User user, String id, LocalObjectStore store) throws Exception {
        String finalUrl = store.put(ObjectKeys.finalVideo(id), Files.write(dir.resolve(id + "-final.mp4"), new byte[64]));
        writeStatus(view(user, id, 1, "completed", List.of(), finalUrl));
        awaitVersion(user, id, 1);
    }

    private String mediaToken(User user) {
        return (String) Json.read(http.post().uri("/api/media-token").headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody(), Map.class)
                .get("media_token");
    }

    // ----- rate limits ---------------------------------------------------------------------------------------

    @Test
    void shouldSlowDownFailedLoginsOfOneEmailWithRetryAfter() {
        // Given a user, and someone guessing their password
        User user = newUser();
        for (int i = 0; i < 10; i++) {
            http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", user.email(), "password", "guess number " + i)).exchange()
                    .expectStatus().isUnauthorized();
        }
        // When the 11th try comes, even with the right password (the guesser may have found it)
        var refused = http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", user.email(), "password", "a long password")).exchange();
        // Then it is a 429 that says when to come back, not a token
        String retryAfter = refused.expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody().jsonPath("$.error.code").isEqualTo("rate_limited")
                .returnResult().getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 15L * 60);
        // And another account logs in from the same address as before (its right password never counts)
        User other = newUser();
        for (int i = 0; i < 12; i++) {
            http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", other.email(), "password", "a long password")).exchange()
                    .expectStatus().isOk();
        }
    }

    @Test
    void shouldLimitTheVideosOneUserCreatesPerMinute() {
        // Given a user who has just created 10 videos
        User user = newUser();
        for (int i = 0; i < 10; i++) {
            createVideo(user, "{\"theme\": \"rafale " + i + "\", \"target_duration\": 8}", null);
        }
        // When an 11th comes within the minute, Then it is refused with Retry-After, and nothing is published
        int before = listOf(user).size();
        http.post().uri("/api/videos").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"theme\": \"one too many\", \"target_duration\": 8}").exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.error.code").isEqualTo("rate_limited");
        assertThat(listOf(user)).hasSize(before);
        // And another user still creates
        createVideo(newUser(), "{\"theme\": \"someone else\", \"target_duration\": 8}", null);
    }

    // ----- estimate ------------------------------------------------------------------------------------------

    @Test
    void shouldEstimateBlocksCostAndTimeFromCompletedVideosWithoutPublishing() {
        // Given a user, and no command published for the estimate
        User user = newUser();
        String body = "{\"theme\": \"Les volcans d'Islande\", \"target_duration\": 36}";

        // When the estimate is asked, Then 36 s is 9 blocks of 4 s, free with the local agents
        http.post().uri("/api/videos/estimate").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.blocks").isEqualTo(9)
                .jsonPath("$.block_seconds").isEqualTo(4)
                .jsonPath("$.generated_seconds").isEqualTo(36)
                .jsonPath("$.cost").isEqualTo(0.0)
                .jsonPath("$.currency").isEqualTo("USD");
        // and a bad request names its field, as create does
        expectInvalid(http.post().uri("/api/videos/estimate").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"theme\": \"ok theme\", \"target_duration\": 7}")
                .exchange(), "target_duration");

        // When a video of 3 blocks completes 12 s after it was created (4 s per block)
        String id = VideoIds.newId("estimate", Instant.now());
        Instant created = Instant.parse("2026-01-01T10:00:00Z");
        VideoStatus done = new VideoStatus(id, user.userId(), 1, "completed", "Terminé", 3, 3, 100, created,
                created.plusSeconds(12), new VideoRequest("estimate", 12, "informative", "fr", "9:16"), null, null,
                List.of(), null, 12.0, null);
        writeStatus(done);
        awaitVersion(user, id, 1);

        // Then the estimate of a 9-block video learns from it: about 36 s, its picture copied at the assembly
        await().atMost(WAIT).untilAsserted(() -> http.post().uri("/api/videos/estimate").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.estimated_seconds").isEqualTo(36)
                .jsonPath("$.reencoded_assembly").isEqualTo(false));

        // When a video with crossfades (its picture encoded again) completes: 3 blocks in 30 s
        String faded = VideoIds.newId("estimate", Instant.now());
        writeStatus(new VideoStatus(faded, user.userId(), 1, "completed", "Terminé", 3, 3, 100, created,
                created.plusSeconds(30), new VideoRequest("estimate", 12, "informative", "fr", "9:16", null, "fade"),
                null, null, List.of(), null, 11.0, null));
        awaitVersion(user, faded, 1);

        // Then a request with crossfades is estimated from it, and says its assembly takes longer, while a
        // request with cuts keeps its own estimate
        String fade = "{\"theme\": \"Les volcans d'Islande\", \"target_duration\": 36, \"transition\": \"fade\"}";
        await().atMost(WAIT).untilAsserted(() -> http.post().uri("/api/videos/estimate").headers(user::auth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(fade).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.estimated_seconds").isEqualTo(90)
                .jsonPath("$.reencoded_assembly").isEqualTo(true));
        http.post().uri("/api/videos/estimate").headers(user::auth).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectBody().jsonPath("$.estimated_seconds").isEqualTo(36);
    }

    // ----- the web app and OpenAPI ---------------------------------------------------------------------------

    @Test
    void shouldServeTheWebAppOnEveryPagePathWithCacheHeaders() {
        // When a browser opens the app, or a deep link into it
        for (String page : List.of("/", "/library", "/videos/abc-123")) {
            String html = http.get().uri(page).accept(MediaType.TEXT_HTML).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().cacheControl(org.springframework.http.CacheControl.noCache())
                    .expectBody(String.class).returnResult().getResponseBody();
            // Then it gets the app's page, revalidated at each visit
            assertThat(html).as(page).contains("<div id=\"root\">");
        }
        // And the hashed assets it loads are cached for a year
        String html = http.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(html);
        assertThat(script.find()).as("a script under /assets in %s", html).isTrue();
        http.get().uri(script.group(1)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, ".*max-age=31536000.*immutable.*");
        // And the API never falls back to the page: an unknown API path is a JSON 404
        http.get().uri("/api/no-such-thing").accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON)
                .headers(newUser()::auth).exchange()
                .expectStatus().isNotFound();
        // nor does a missing file
        http.get().uri("/assets/missing-file.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldDescribeTheApiInOpenApi() {
        // When a client generator asks for the API description
        String doc = http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        // Then it names the API and its bearer tokens, and every route of the API is in it
        @SuppressWarnings("unchecked")
        Map<String, Object> openApi = Json.read(doc, Map.class);
        assertThat(openApi.get("info").toString()).contains("Reetik API");
        assertThat(openApi.get("components").toString()).contains("bearer");
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) openApi.get("paths");
        assertThat(paths).containsKeys("/api/auth/register", "/api/auth/login", "/api/videos", "/api/videos/estimate",
                "/api/videos/{id}", "/api/videos/{id}/events", "/api/videos/{id}/file", "/api/videos/{id}/poster",
                "/api/videos/{id}/cancel", "/api/videos/{id}/retry", "/api/media-token");
    }

    // ----- cancel and retry ---------------------------------------------------------------------------------

    @Test
    void shouldCancelRunningVideoAndRefuseAFinishedOne() {
        // Given a just-created video
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"cancel me\"}", null);

        // When it is cancelled / Then 202 and a CancelVideo command
        http.post().uri("/api/videos/{id}/cancel", id).headers(user::auth).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.video_id").isEqualTo(id);
        CancelVideo cancel = (CancelVideo) awaitCommand(id, c -> c instanceof CancelVideo);
        assertThat(cancel.userId()).isEqualTo(user.userId);

        // And once it is cancelled, cancelling again is a 409
        writeStatus(view(user, id, 2, "cancelled", List.of(), null));
        awaitVersion(user, id, 2);
        http.post().uri("/api/videos/{id}/cancel", id).headers(user::auth).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("already_finished");
    }

    @Test
    void shouldRetryFailedVideoWithItsScriptAndUnfinishedBlocks() {
        // Given a video that failed on block 2 of 3
        User user = newUser();
        String id = createVideo(user, "{\"theme\": \"retry me\", \"language\": \"en\"}", null);
        writeStatus(view(user, id, 1, "generating_parallel", List.of(), null));
        awaitVersion(user, id, 1);
        http.post().uri("/api/videos/{id}/retry", id).headers(user::auth).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.error.code").isEqualTo("not_failed");
        List<BlockState> blocks = List.of(
                new BlockState(3, "completed", 1, "p3", "n3", 4, "file:///c/block_3.mp4", null, null),
                new BlockState(1, "completed", 1, "p1", "n1", 4, "file:///c/block_1.mp4", null, null),
                new BlockState(2, "failed", 2, "p2", "n2", 4, null, null, "usage_guidelines"));
        VideoStatus failed = view(user, id, 2, "failed", blocks, null);
        writeStatus(failed);
        awaitVersion(user, id, 2);

        // When it is retried
        http.post().uri("/api/videos/{id}/retry", id).headers(user::auth).exchange().expectStatus().isAccepted();

        // Then the RetryVideo carries the script, the block to generate again and the clips by index
        RetryVideo retry = (RetryVideo) awaitCommand(id, c -> c instanceof RetryVideo);
        assertThat(retry.userId()).isEqualTo(user.userId);
        assertThat(retry.request()).isEqualTo(failed.request());
        assertThat(retry.script()).containsExactly(new ScriptBlock(1, "p1", "n1", 4), new ScriptBlock(2, "p2", "n2", 4),
                new ScriptBlock(3, "p3", "n3", 4));
        assertThat(retry.blocksToRetry()).containsExactly(2);
        assertThat(retry.clipUris()).containsExactly("file:///c/block_1.mp4", null, "file:///c/block_3.mp4");
    }

    @Test
    void shouldRetryFromTheScriptWhenTheScriptStageFailed() {
        // Given a video that failed before it had a script
        User user = newUser();
        String id = VideoIds.newId("no script", Instant.now());
        writeStatus(view(user, id, 2, "failed", List.of(), null));
        awaitVersion(user, id, 2);

        // When it is retried / Then the RetryVideo has no script, so the bridge writes it again
        http.post().uri("/api/videos/{id}/retry", id).headers(user::auth).exchange().expectStatus().isAccepted();
        RetryVideo retry = (RetryVideo) awaitCommand(id, c -> c instanceof RetryVideo);
        assertThat(retry.script()).isEmpty();
        assertThat(retry.blocksToRetry()).isEmpty();
        assertThat(retry.clipUris()).isEmpty();
    }

    // ----- helpers ----------------------------------------------------------------------------------------

    /** The Prometheus text of {@code /actuator/prometheus} (no token needed: Actuator is outside {@code /api}). */
    private static String scrape() {
        return http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of the one sample of {@code name} in a Prometheus text; fails when there is none or several. */
    private static double metric(String text, String name) {
        List<String> samples = text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .toList();
        assertThat(samples).as("samples of %s", name).hasSize(1);
        String sample = samples.get(0);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    record User(String email, String userId, String token) {
        void auth(HttpHeaders headers) {
            headers.setBearerAuth(token);
        }
    }

    private static User newUser() {
        String email = "user" + USERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com";
        String token = tokenOf(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "a long password")).exchange());
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        String userId = (String) Json.read(payload, Map.class).get("sub");
        return new User(email, userId, token);
    }

    private static String tokenOf(WebTestClient.ResponseSpec response) {
        String body = response.expectStatus().is2xxSuccessful().expectBody(String.class).returnResult().getResponseBody();
        return (String) Json.read(body, Map.class).get("access_token");
    }

    private static void expectInvalid(WebTestClient.ResponseSpec response, String field) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.error.code").isEqualTo("invalid_request")
                .jsonPath("$.error.field").isEqualTo(field)
                .jsonPath("$.error.message").isNotEmpty();
    }

    private static String createVideo(User user, String body, String idempotencyKey) {
        String answer = http.post().uri("/api/videos").headers(user::auth)
                .headers(h -> {
                    if (idempotencyKey != null) {
                        h.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody();
        return (String) Json.read(answer, Map.class).get("video_id");
    }

    private static List<String> listOf(User user) {
        String body = http.get().uri("/api/videos?size=100").headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> videos = (List<Map<String, Object>>) Json.read(body, Map.class).get("videos");
        return videos.stream().map(v -> (String) v.get("video_id")).toList();
    }

    private static String latestVideoOf(User user) {
        List<String> ids = listOf(user);
        assertThat(ids).isNotEmpty();
        return ids.get(0);
    }

    private static void awaitVersion(User user, String id, long version) {
        await().atMost(WAIT).until(() -> {
            String body = http.get().uri("/api/videos/{id}", id).headers(user::auth).exchange()
                    .returnResult(String.class).getResponseBody().collectList().block(WAIT).stream()
                    .reduce("", String::concat);
            return body.contains("\"version\":" + version + ",");
        });
    }

    private static CompletableFuture<Void> follow(User user, String id, String lastEventId,
                                                  List<ServerSentEvent<String>> into) {
        Flux<ServerSentEvent<String>> events = http.get().uri("/api/videos/{id}/events", id).headers(user::auth)
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(SSE).getResponseBody();
        return events.doOnNext(into::add).then().toFuture();
    }

    private static List<ServerSentEvent<String>> statusEvents(List<ServerSentEvent<String>> events) {
        return events.stream().filter(e -> e.data() != null).toList();
    }

    private static VideoStatus view(User user, String id, long version, String status, List<BlockState> blocks,
                                    String finalUrl) {
        Instant now = Instant.now();
        VideoRequest request = new VideoRequest("a theme", 36, "informative", "en", "9:16");
        int completed = (int) blocks.stream().filter(BlockState::completed).count();
        return new VideoStatus(id, user.userId, version, status, status, blocks.size(), completed, 0, now, now,
                request, null, null, blocks, finalUrl, null, null);
    }

    private static VideoStatus withKey(VideoStatus v, String key) {
        return new VideoStatus(v.videoId(), v.userId(), v.version(), v.status(), v.currentStep(), v.totalBlocks(),
                v.completedBlocks(), v.progress(), v.createdAt(), v.updatedAt(), v.request(), key, v.agentVideoId(),
                v.blocks(), v.finalUrl(), v.durationS(), v.error());
    }

    private static void writeStatus(VideoStatus view) {
        send(Topics.VIDEO_STATUS.name(), view.videoId(), Json.write(view));
    }

    private static void writeSummary(User user, VideoSummary summary) {
        send(Topics.VIDEO_SUMMARIES.name(), VideoSummary.key(user.userId, summary.videoId()), Json.write(summary));
    }

    private static Map<String, Object> page(User user, int page, int size) {
        String body = http.get().uri("/api/videos?page={page}&size={size}", page, size).headers(user::auth).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = Json.read(body, Map.class);
        return answer;
    }

    private static int total(User user) {
        return (Integer) page(user, 0, 1).get("total");
    }

    private static CompletableFuture<?> sendAsync(String topic, String key, byte[] value) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        projector.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    private static RecordMetadata sendEvent(VideoEvent event) {
        try {
            return projector.send(new ProducerRecord<>(Topics.VIDEO_EVENTS.name(), event.videoId(),
                    Json.write(event))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not write an event", e);
        }
    }

    /** A view as the projector writes it: with the position of the last event folded into it. */
    private static void sendView(VideoStatus view, EventPosition position) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.VIDEO_STATUS.name(), view.videoId(),
                Json.write(view));
        record.headers().add(EventPosition.HEADER, position.bytes());
        try {
            projector.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not write a view", e);
        }
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            projector.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not write to " + topic, e);
        }
    }

    /** Every command for the video now in the topic (the gateway answers once its command is durable). */
    private static List<VideoCommand> commandsFor(String videoId) {
        return TopicRecords.readToEnd(broker.bootstrapServers(), Topics.VIDEO_COMMANDS.name(), WAIT).stream()
                .filter(record -> videoId.equals(record.key()))
                .map(record -> Json.read(record.value(), VideoCommand.class))
                .toList();
    }

    private static VideoCommand awaitCommand(String videoId, Predicate<VideoCommand> wanted) {
        List<VideoCommand> found = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            found.clear();
            commandsFor(videoId).stream().filter(wanted).forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }
}
