package com.reetik.bridge.cloudrun;

/** Why one call to an agent failed, before it is classified as an {@code AgentException}. */
final class AgentCallFailure extends Exception {

    enum Kind {
        /** The agent answered with an error status (5xx and 429 are retried first). */
        HTTP_ERROR,
        /** No answer: connection refused or reset, or the call timed out. */
        UNREACHABLE,
        /** The agent's circuit breaker is open: the call was not made. */
        CIRCUIT_OPEN,
        /** No ID token could be obtained for the agent. */
        AUTH
    }

    private final Kind kind;
    private final int status;
    private final String body;

    AgentCallFailure(Kind kind, int status, String body, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.body = body;
    }

    static AgentCallFailure http(int status, String body) {
        return new AgentCallFailure(Kind.HTTP_ERROR, status, body, "HTTP " + status + ": " + AgentErrors.shorten(body),
                null);
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }

    /** Worth another attempt: 5xx, 429, or no answer at all. */
    boolean transientFailure() {
        return kind == Kind.UNREACHABLE || (kind == Kind.HTTP_ERROR && (status >= 500 || status == 429));
    }
}
