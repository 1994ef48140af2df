package com.reetik.gateway.auth;

/** The OAuth2-style answer of register and login (snake_case on the wire). */
record TokenResponse(String accessToken, String tokenType, long expiresIn) {

    static TokenResponse bearer(String token, long expiresInSeconds) {
        return new TokenResponse(token, "bearer", expiresInSeconds);
    }
}
