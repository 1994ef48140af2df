package com.reetik.gateway.web;

import com.reetik.gateway.replica.ReplicaNotReadyException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Turns every failure into an {@link ApiError}, with an explicit JSON content type (so an SSE request
 * that fails still gets a JSON error). Bad input is a 4xx, never a 5xx.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    static final String RETRY_AFTER_SECONDS = "2";

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        return answer.body(e.toError());
    }

    @ExceptionHandler(ReplicaNotReadyException.class)
    ResponseEntity<ApiError> notReady(ReplicaNotReadyException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of("not_ready", "The gateway is still loading video statuses; retry in a moment.", null));
    }

    /** Malformed JSON, a body of the wrong shape, a missing body. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ApiError> input(ServerWebInputException e) {
        String message = e.getMostSpecificCause() instanceof DecodingException || e.getCause() instanceof DecodingException
                ? "The request body is not valid JSON (or not a JSON object)."
                : e.getReason() == null ? "The request is not valid." : e.getReason();
        return json(HttpStatus.BAD_REQUEST, ApiError.of("invalid_request", message, null));
    }

    /** Spring's own: unknown route, wrong method, unsupported media type… */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ApiError> status(ResponseStatusException e) {
        HttpStatusCode status = e.getStatusCode();
        String code = status instanceof HttpStatus known ? known.name().toLowerCase(Locale.ROOT) : "error";
        String message = e.getReason() == null ? (status instanceof HttpStatus known ? known.getReasonPhrase() : "Error")
                : e.getReason();
        return json(status, ApiError.of(code, message, null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return json(HttpStatus.INTERNAL_SERVER_ERROR,
                ApiError.of("internal_error", "Something went wrong on our side. Please try again.", null));
    }

    private static ResponseEntity<ApiError> json(HttpStatusCode status, ApiError error) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error);
    }
}
