package com.reetik.gateway.auth;

import com.reetik.gateway.web.ApiException;
import java.util.Map;
import java.util.regex.Pattern;

/** An e-mail (normalised by {@link EmailAddresses}) and a password, read from a JSON object or an OAuth2 form. */
record Credentials(String email, String password) {

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 256;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");

    static Credentials of(Map<String, ?> body, String emailField) {
        if (body == null) {
            throw ApiException.badRequest("A JSON body {\"email\", \"password\"} is required.");
        }
        Object email = body.get(emailField);
        if (!(email instanceof String text) || text.isBlank()) {
            throw ApiException.invalid(emailField, emailField + " is required.");
        }
        Object password = body.get("password");
        if (!(password instanceof String secret) || secret.isEmpty()) {
            throw ApiException.invalid("password", "password is required.");
        }
        return new Credentials(EmailAddresses.normalize(text), secret);
    }

    /** The stricter checks of a new account. */
    Credentials validForRegistration() {
        if (email.length() > 254 || !EMAIL.matcher(email).matches() || EmailAddresses.hasInvisibleCharacters(email)) {
            throw ApiException.invalid("email", "email is not a valid e-mail address.");
        }
        if (password.length() < MIN_PASSWORD) {
            throw ApiException.invalid("password", "password must be at least " + MIN_PASSWORD + " characters.");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ApiException.invalid("password", "password must be at most " + MAX_PASSWORD + " characters.");
        }
        return this;
    }
}
