package com.reetik.gateway.auth;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/media-token}: a short-lived token for the caller's media URLs
 * ({@code /api/videos/{id}/file?media_token=…}, {@code …/poster?media_token=…}), which a browser's
 * {@code <video>}, {@code <img>} and download links need because they cannot send an {@code Authorization} header.
 */
@RestController
class MediaTokenController {

    /** The answer: the token and how many seconds it stays valid. */
    record MediaToken(String mediaToken, long expiresIn) {
    }

    private final JwtTokens tokens;

    MediaTokenController(JwtTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/api/media-token")
    MediaToken mediaToken(@RequestAttribute(AuthenticatedUser.ATTRIBUTE) AuthenticatedUser user) {
        return new MediaToken(tokens.issueMedia(user.userId(), user.email()), tokens.mediaLifetime().toSeconds());
    }
}
