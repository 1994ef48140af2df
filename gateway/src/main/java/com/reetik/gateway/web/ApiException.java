package com.reetik.gateway.web;

import org.springframework.http.HttpStatus;

/** A request answered with an {@link ApiError}: bad input, not found, conflict… */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;
    private final Long retryAfterSeconds;

    public ApiException(HttpStatus status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    private ApiException(HttpStatus status, String code, String message, String field, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with {@code Retry-After}: the request may succeed after that many seconds. */
    public static ApiException tooMany(String code, String message, long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, code, message, null, Math.max(1, retryAfterSeconds));
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message, field);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message, null);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(HttpStatus.CONFLICT, code, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message, null);
    }

    public static ApiException unavailable(String code, String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, message, null);
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code Retry-After} to answer with, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiError toError() {
        return ApiError.of(code, getMessage(), field);
    }
}
