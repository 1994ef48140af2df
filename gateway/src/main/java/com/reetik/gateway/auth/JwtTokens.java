package com.reetik.gateway.auth;

import com.reetik.gateway.GatewaySettings;
import com.reetik.platform.ReetikProperties;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Access tokens: JWT HS256 with {@code iss} = reetik, {@code aud} = reetik-api, {@code sub} = user id, an
 * {@code email} claim and an expiry (media tokens: {@code aud} = reetik-media; each is refused where the other
 * is expected). The key is
 * {@code JWT_SECRET_KEY} (stretched with SHA-256 when shorter than 256 bits), or, when it is blank, a
 * random secret kept in {@code {dataDir}/jwt-secret} so tokens survive restarts.
 */
@Component
public class JwtTokens {

    private static final Logger log = LoggerFactory.getLogger(JwtTokens.class);
    private static final int MIN_KEY_BYTES = 32;
    static final Duration MEDIA_LIFETIME = Duration.ofHours(1);
    static final String SEED_PLACEHOLDER = "your-secret-key";
    /** Who signs the tokens ({@code iss}) and what they open ({@code aud}): the API, or a video's media only. */
    static final String ISSUER = "reetik";
    static final String API_AUDIENCE = "reetik-api";
    static final String MEDIA_AUDIENCE = "reetik-media";

    private final SecretKey key;
    private final Clock clock;
    private final Duration lifetime;
    private final JwtParser parser;

    JwtTokens(GatewaySettings settings, ReetikProperties reetik, Clock clock) {
        checkSecret(settings.jwtSecretKey(), settings.allowWeakSecret());
        this.key = keyOf(settings.jwtSecretKey(), GatewaySettings.jwtSecretFile(reetik));
        this.clock = clock;
        this.lifetime = settings.tokenLifetime();
        this.parser = Jwts.parser().verifyWith(key).clock(() -> Date.from(clock.instant()))
                .requireIssuer(ISSUER).build();
    }

    /**
     * A configured key must be a real secret: at least 32 bytes and not the seed's placeholder. Outside standalone
     * anything less stops the start with how to make one (tokens signed with a guessable key can be forged by
     * anyone). Blank is fine: a random key is kept in the data directory (one gateway only: several gateways of a
     * deployment must share one {@code JWT_SECRET_KEY}).
     */
    static void checkSecret(String configured, boolean allowWeak) {
        if (configured == null || configured.isBlank()) {
            return;
        }
        String problem = configured.trim().equals(SEED_PLACEHOLDER) ? "is the placeholder of the setup notes"
                : configured.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES
                ? "is shorter than " + MIN_KEY_BYTES + " bytes" : null;
        if (problem == null) {
            return;
        }
        String message = "JWT_SECRET_KEY " + problem + ": anyone could forge access tokens. Make one with "
                + "`openssl rand -base64 48` and give the same value to every gateway (or leave it unset on a "
                + "single gateway: a random key is then kept in its data directory).";
        if (!allowWeak) {
            throw new IllegalStateException(message);
        }
        log.warn("{} Accepted in standalone only.", message);
    }

    /** The HS256 key of a configured secret, or of the secret file (created when missing). */
    public static SecretKey keyOf(String configured, Path secretFile) {
        if (configured != null && !configured.isBlank()) {
            byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
            return Keys.hmacShaKeyFor(bytes.length >= MIN_KEY_BYTES ? bytes : sha256(bytes));
        }
        return Keys.hmacShaKeyFor(Base64.getDecoder().decode(readOrCreateSecret(secretFile)));
    }

    private static String readOrCreateSecret(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[MIN_KEY_BYTES];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(file.toAbsolutePath().getParent());
                try {
                    Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    restrictToOwner(file);
                    log.info("JWT_SECRET_KEY not set: created a random token secret in {}", file);
                } catch (FileAlreadyExistsException raced) {
                    // another instance sharing the data directory wrote it first: use theirs
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT secret " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file keeps the folder's permissions
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(String userId, String email) {
        return sign(userId, email, API_AUDIENCE, lifetime);
    }

    /** One signed token: issuer, audience, user, e-mail, issued now, valid for {@code life}. */
    private String sign(String userId, String email, String audience, Duration life) {
        Instant now = clock.instant();
        return Jwts.builder()
                .issuer(ISSUER)
                .audience().add(audience).and()
                .subject(userId)
                .claim("email", email)
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(life)))
                .signWith(key, Jwts.SIG.HS256)
                .compact();
    }

    /**
     * A media token: what {@code <video src>}, {@code <img src>} and download links carry as
     * {@code ?media_token=} because such elements cannot send an {@code Authorization} header. It only opens a
     * video's file and poster (see {@link AuthWebFilter}), lives at most {@link #MEDIA_LIFETIME}, and is never
     * accepted as an access token, so a URL that leaks from a log or a history cannot drive the API.
     */
    public String issueMedia(String userId, String email) {
        return sign(userId, email, MEDIA_AUDIENCE, mediaLifetime());
    }

    /** At most {@link #MEDIA_LIFETIME}, and never longer than an access token. */
    public Duration mediaLifetime() {
        return lifetime.compareTo(MEDIA_LIFETIME) < 0 ? lifetime : MEDIA_LIFETIME;
    }

    /** The token's user, or empty with the reason in {@code problem} when it is invalid or expired. */
    Verification verify(String token) {
        return verify(token, false);
    }

    /** A media token's user (see {@link #issueMedia}). */
    Verification verifyMedia(String token) {
        return verify(token, true);
    }

    private Verification verify(String token, boolean media) {
        try {
            Claims claims = parser.parseSignedClaims(token).getPayload();
            java.util.Set<String> audience = claims.getAudience() == null ? java.util.Set.of() : claims.getAudience();
            if (claims.getSubject() == null || claims.getExpiration() == null
                    || !audience.contains(media ? MEDIA_AUDIENCE : API_AUDIENCE)) {
                return new Verification(Optional.empty(), "The access token is invalid.");
            }
            return new Verification(Optional.of(new AuthenticatedUser(claims.getSubject(),
                    claims.get("email", String.class))), null,
                    claims.getIssuedAt() == null ? null : claims.getIssuedAt().toInstant());
        } catch (ExpiredJwtException e) {
            return new Verification(Optional.empty(), "The access token has expired; log in again.");
        } catch (JwtException | IllegalArgumentException e) {
            return new Verification(Optional.empty(), "The access token is invalid.");
        }
    }

    /** @param issuedAt when a valid token was issued (null for an invalid one) */
    record Verification(Optional<AuthenticatedUser> user, String problem, java.time.Instant issuedAt) {

        Verification(Optional<AuthenticatedUser> user, String problem) {
            this(user, problem, null);
        }
    }
}
