package com.reetik.bridge.agent;

import com.reetik.contracts.status.ErrorCode;

/** An agent call that failed, classified: its error code, whether another attempt may succeed, and what it said. */
public class AgentException extends Exception {

    private final ErrorCode code;
    private final boolean retryable;

    public AgentException(ErrorCode code, boolean retryable, String detail) {
        super(detail);
        this.code = code;
        this.retryable = retryable;
    }

    public AgentException(ErrorCode code, boolean retryable, String detail, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
