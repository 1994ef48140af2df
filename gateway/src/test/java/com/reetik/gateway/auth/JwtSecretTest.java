package com.reetik.gateway.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JwtSecretTest {

    @Test
    void shouldRefuseTheSeedsPlaceholderAndShortKeysOutsideStandalone() {
        assertThatThrownBy(() -> JwtTokens.checkSecret("your-secret-key", false))
                .hasMessageContaining("placeholder").hasMessageContaining("openssl rand");
        assertThatThrownBy(() -> JwtTokens.checkSecret("short-but-not-empty", false))
                .hasMessageContaining("shorter than 32 bytes");
    }

    @Test
    void shouldAcceptALongKeyABlankOneOrAWeakOneInStandalone() {
        assertThatCode(() -> JwtTokens.checkSecret("x".repeat(32), false)).doesNotThrowAnyException();
        assertThatCode(() -> JwtTokens.checkSecret("", false)).doesNotThrowAnyException();
        assertThatCode(() -> JwtTokens.checkSecret(null, false)).doesNotThrowAnyException();
        assertThatCode(() -> JwtTokens.checkSecret("your-secret-key", true)).doesNotThrowAnyException();
    }
}
