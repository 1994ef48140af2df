package com.reetik.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.springframework.stereotype.Component;

/**
 * Salted PBKDF2WithHmacSHA256 hashes, stored as {@code pbkdf2_sha256$iterations$salt$hash} (Base64), so
 * the iteration count can rise later without breaking stored accounts. CPU-heavy: call off the event loop.
 * New hashes use {@code reetik.gateway.password-iterations} ({@value #ITERATIONS}, OWASP's count, by default; the
 * test suites lower it, as their subject is not the cost of a hash).
 */
@Component
class PasswordHasher {

    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** OWASP's count for PBKDF2-HMAC-SHA256 (2023), the default. */
    static final int ITERATIONS = 600_000;
    /** Below this a setting is refused: not a password hash any more. */
    static final int MIN_ITERATIONS = 1_000;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PasswordHasher.class);
    private static final String PREFIX = "pbkdf2_sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random = new SecureRandom();
    private final int iterations;
    private final String dummyHash;

    @org.springframework.beans.factory.annotation.Autowired
    PasswordHasher(com.reetik.gateway.GatewaySettings settings) {
        this(settings.passwordIterations());
    }

    PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("REETIK_PASSWORD_ITERATIONS must be at least " + MIN_ITERATIONS
                    + " (" + ITERATIONS + " by default), not " + iterations);
        }
        if (iterations < ITERATIONS) {
            log.warn("REETIK_PASSWORD_ITERATIONS={} is below OWASP's {} for PBKDF2-HMAC-SHA256: for tests only",
                    iterations, ITERATIONS);
        }
        this.iterations = iterations;
        this.dummyHash = hash("not-a-password-of-anyone");
    }

    /** The iterations of the hashes made now. */
    int iterations() {
        return iterations;
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    boolean matches(String password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a stored hash that {@link #matches} should be made again at today's cost: one made with fewer
     * iterations than {@link #iterations} (OWASP's count for PBKDF2-HMAC-SHA256 rose over the years).
     */
    boolean needsUpgrade(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        try {
            return parts.length == 4 && PREFIX.equals(parts[0]) && Integer.parseInt(parts[1]) < iterations;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Spends the same time as a real check, so an unknown e-mail cannot be told from a wrong password. */
    void burnTime(String password) {
        matches(password, dummyHash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
