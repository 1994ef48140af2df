package com.reetik.gateway;

import com.reetik.contracts.json.Json;
import com.reetik.platform.ReetikProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings, under {@code reetik.gateway}, bound from {@code gateway.yml} where each is the
 * seed's environment name. Where the gateway keeps its local state (the replica, a generated JWT secret) comes
 * from the shared {@code reetik.data-dir} and {@code reetik.instance-id} (ReetikProperties).
 *
 * @param jwtSecretKey          {@code JWT_SECRET_KEY}; blank: a random secret kept in {@code {dataDir}/jwt-secret}
 * @param corsOrigins           {@code CORS_ORIGINS}, a JSON list such as {@code ["http://localhost:5173"]}; empty: no CORS
 * @param tokenLifetime         how long an access token is valid
 * @param sseHeartbeat          how often an idle event stream gets a heartbeat comment
 * @param sseStreamsPerUser     {@code REETIK_SSE_STREAMS_PER_USER} (10): event streams one user may hold open on this
 *                              gateway; one more is a 429 {@code too_many_streams}
 * @param sseMaxLifetime        {@code REETIK_SSE_MAX_LIFETIME} (1h): a stream ends after this long and the client
 *                              resumes with {@code Last-Event-ID} (no stream, or token, lives for ever)
 * @param allowWeakSecret       accept a {@code JWT_SECRET_KEY} shorter than 32 bytes or the seed's placeholder (only
 *                              standalone sets it: one machine, one gateway); elsewhere such a key stops the start
 * @param passwordIterations    {@code REETIK_PASSWORD_ITERATIONS} (600,000, OWASP's count for PBKDF2-HMAC-SHA256):
 *                              the iterations of new password hashes; at least 1,000; lower only in tests
 * @param accountDeletionFollowUp how long after an account's deletion its library is read again, for videos accepted
 *                              around it (90 s: past a young token's grace and the replica's lag)
 */
@ConfigurationProperties("reetik.gateway")
public record GatewaySettings(String jwtSecretKey, String corsOrigins, Duration tokenLifetime,
                              Duration sseHeartbeat, boolean allowWeakSecret, Integer sseStreamsPerUser,
                              Duration sseMaxLifetime, Integer passwordIterations, Duration accountDeletionFollowUp) {

    public GatewaySettings {
        accountDeletionFollowUp = accountDeletionFollowUp == null ? Duration.ofSeconds(90) : accountDeletionFollowUp;
        passwordIterations = passwordIterations == null ? 600_000 : passwordIterations;
        sseStreamsPerUser = sseStreamsPerUser == null ? 10 : sseStreamsPerUser;
        sseMaxLifetime = sseMaxLifetime == null ? Duration.ofHours(1) : sseMaxLifetime;
        if (sseStreamsPerUser < 1 || sseMaxLifetime.isNegative() || sseMaxLifetime.isZero()) {
            throw new IllegalArgumentException("sse-streams-per-user and sse-max-lifetime must be positive");
        }
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(24) : tokenLifetime;
        sseHeartbeat = sseHeartbeat == null ? Duration.ofSeconds(15) : sseHeartbeat;
        if (tokenLifetime.isNegative() || tokenLifetime.isZero() || sseHeartbeat.isNegative() || sseHeartbeat.isZero()) {
            throw new IllegalArgumentException("token-lifetime and sse-heartbeat must be positive");
        }
    }

    /** Where this instance keeps its replica of the views: {@code {data-dir}/gateway-replica/{instance-id}}. */
    public static Path replicaDir(ReetikProperties reetik) {
        return reetik.dataDir().resolve("gateway-replica").resolve(reetik.instanceId());
    }

    /** Where a generated JWT secret is kept when {@code JWT_SECRET_KEY} is not set. */
    public static Path jwtSecretFile(ReetikProperties reetik) {
        return reetik.dataDir().resolve("jwt-secret");
    }

    /** The allowed origins: a JSON list (as the seed's CORS_ORIGINS), or, leniently, comma-separated. */
    public List<String> corsOriginList() {
        if (corsOrigins == null || corsOrigins.isBlank()) {
            return List.of();
        }
        String text = corsOrigins.trim();
        if (text.startsWith("[")) {
            return Arrays.stream(Json.read(text, String[].class)).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
