package com.reetik.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void shouldHashWithTheConfiguredIterationsAndAskToUpgradeFewer() {
        // Given a hasher set to 2,000 iterations (600,000 by default)
        PasswordHasher hasher = new PasswordHasher(2_000);

        // When a password is hashed / Then the count is in the stored hash, and the hash matches only its password
        String stored = hasher.hash("correct horse");
        assertThat(stored).startsWith("pbkdf2_sha256$2000$");
        assertThat(hasher.matches("correct horse", stored)).isTrue();
        assertThat(hasher.matches("wrong horse", stored)).isFalse();
        // and a hash made with fewer iterations still matches, and is to be made again
        String older = new PasswordHasher(1_000).hash("correct horse");
        assertThat(hasher.matches("correct horse", older)).isTrue();
        assertThat(hasher.needsUpgrade(older)).isTrue();
        assertThat(hasher.needsUpgrade(stored)).isFalse();
    }

    @Test
    void shouldRefuseACountThatIsNoLongerAPasswordHash() {
        assertThatThrownBy(() -> new PasswordHasher(999))
                .hasMessage("REETIK_PASSWORD_ITERATIONS must be at least 1000 (600000 by default), not 999");
    }
}
