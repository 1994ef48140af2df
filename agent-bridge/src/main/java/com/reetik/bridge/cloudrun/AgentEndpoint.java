package com.reetik.bridge.cloudrun;

import com.reetik.contracts.json.Json;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: JSON POSTs to its base URL, tried again with exponential backoff and jitter on 5xx, 429 and
 * connection errors or timeouts (never on another 4xx), behind a circuit breaker of its own.
 */
final class AgentEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(AgentEndpoint.class);
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final URI baseUrl;
    private final HttpClient http;
    private final IdTokenSource tokens;
    private final Duration callTimeout;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    /** The latest error answer, so a refusal by the open circuit can still say why (e.g. quota). */
    private volatile AgentCallFailure lastHttpFailure;

    AgentEndpoint(String name, URI baseUrl, HttpClient http, IdTokenSource tokens, CloudRunProperties settings) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.http = http;
        this.tokens = tokens;
        this.callTimeout = settings.callTimeout();
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(settings.maxRetries() + 1)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(),
                        BACKOFF_MULTIPLIER, JITTER, MAX_BACKOFF))
                .retryOnException(e -> e instanceof AgentCallFailure f && f.transientFailure())
                .build());
        int window = Math.max(settings.circuitMinimumCalls(), 10);
        this.circuitBreaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindow(window, settings.circuitMinimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof AgentCallFailure f && f.transientFailure())
                .build());
        this.circuitBreaker.getEventPublisher().onStateTransition(event -> LOG.warn("cloud-run {} agent: circuit {}",
                name, event.getStateTransition()));
    }

    String name() {
        return name;
    }

    CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    /**
     * POSTs {@code payload} as JSON to {@code baseUrl + path} and returns the body of a 2xx answer.
     *
     * @param idempotencyKey sent as {@code Idempotency-Key} (the same on every retry of this call), or null
     */
    String post(String path, Object payload, String idempotencyKey) throws AgentCallFailure {
        byte[] body = Json.write(payload);
        CheckedSupplier<String> once = () -> attempt(path, body, idempotencyKey);
        CheckedSupplier<String> guarded = Retry.decorateCheckedSupplier(retry,
                CircuitBreaker.decorateCheckedSupplier(circuitBreaker, once));
        try {
            return guarded.get();
        } catch (AgentCallFailure e) {
            throw e;
        } catch (CallNotPermittedException e) {
            AgentCallFailure last = lastHttpFailure;
            throw new AgentCallFailure(AgentCallFailure.Kind.CIRCUIT_OPEN, last == null ? 0 : last.status(),
                    last == null ? null : last.body(),
                    name + " agent unavailable: its circuit breaker is open after repeated failures"
                            + (last == null ? "" : " (latest: " + last.getMessage() + ")"), e);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof Error error && !(e instanceof AssertionError)) {
                throw error;
            }
            throw new AgentCallFailure(AgentCallFailure.Kind.UNREACHABLE, 0, null,
                    name + " agent call failed: " + e, e);
        }
    }

    private String attempt(String path, byte[] body, String idempotencyKey) throws AgentCallFailure {
        URI target = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(callTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        bearer().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cloud-run {} agent: POST {} failed: {}", name, target, e.toString());
            throw new AgentCallFailure(AgentCallFailure.Kind.UNREACHABLE, 0, null,
                    name + " agent unreachable at " + target + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentCallFailure(AgentCallFailure.Kind.UNREACHABLE, 0, null,
                    "interrupted while calling the " + name + " agent", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        LOG.warn("cloud-run {} agent: POST {} answered HTTP {}", name, target, status);
        AgentCallFailure failure = AgentCallFailure.http(status, response.body());
        lastHttpFailure = failure;
        throw failure;
    }

    /** An ID token for https agents only; a plain-http agent (a local stub) gets none. */
    private Optional<String> bearer() throws AgentCallFailure {
        if (!"https".equals(baseUrl.getScheme().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            return tokens.idToken(baseUrl.toString());
        } catch (IOException | RuntimeException e) {
            throw new AgentCallFailure(AgentCallFailure.Kind.AUTH, 0, null,
                    "no Google ID token for the " + name + " agent (" + baseUrl + "): " + e.getMessage(), e);
        }
    }
}
