package com.reetik.bridge.cloudrun;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the Google ID tokens sent to the agents come from ({@code Authorization: Bearer <token>}).
 * The adapter asks only for https agents; an empty answer means "call without a token".
 */
@FunctionalInterface
public interface IdTokenSource {

    /** No token, ever: for agents that allow unauthenticated calls, and for tests. */
    IdTokenSource NONE = audience -> Optional.empty();

    /**
     * A token whose audience is {@code audience} (the agent's base URL), or empty when no credentials can make one.
     *
     * @throws IOException when credentials exist but the token cannot be obtained
     */
    Optional<String> idToken(String audience) throws IOException;
}
