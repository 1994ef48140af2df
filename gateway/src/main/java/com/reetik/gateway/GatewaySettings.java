package com.reetik.gateway;

import com.reetik.contracts.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings, under {@code reetik.gateway}, bound from {@code gateway.yml} where each is the
 * seed's environment name.
 *
 * @param jwtSecretKey          {@code JWT_SECRET_KEY}; blank: a random secret kept in {@code {dataDir}/jwt-secret}
 * @param corsOrigins           {@code CORS_ORIGINS}, a JSON list such as {@code ["http://localhost:5173"]}; empty: no CORS
 * @param dataDir               {@code REETIK_DATA_DIR} (this gateway's local state): the replica under {@code gateway-replica/}
 * @param instanceId            {@code REETIK_INSTANCE_ID}; each instance keeps a replica of its own
 * @param tokenLifetime         how long an access token is valid
 * @param sseHeartbeat          how often an idle event stream gets a heartbeat comment
 */
@ConfigurationProperties("reetik.gateway")
public record GatewaySettings(String jwtSecretKey, String corsOrigins, Path dataDir,
                              String instanceId, Duration tokenLifetime, Duration sseHeartbeat) {

    public GatewaySettings {
        dataDir = dataDir == null ? Path.of("reetik-data") : dataDir;
        instanceId = instanceId == null || instanceId.isBlank() ? "gateway-1" : instanceId.trim();
        if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("REETIK_INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-': " + instanceId);
        }
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(24) : tokenLifetime;
        sseHeartbeat = sseHeartbeat == null ? Duration.ofSeconds(15) : sseHeartbeat;
        if (tokenLifetime.isNegative() || tokenLifetime.isZero() || sseHeartbeat.isNegative() || sseHeartbeat.isZero()) {
            throw new IllegalArgumentException("token-lifetime and sse-heartbeat must be positive");
        }
    }

    public Path replicaDir() {
        return dataDir.resolve("gateway-replica").resolve(instanceId);
    }

    public Path jwtSecretFile() {
        return dataDir.resolve("jwt-secret");
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
