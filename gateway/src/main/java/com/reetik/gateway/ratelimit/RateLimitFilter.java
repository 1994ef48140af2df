package com.reetik.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.reetik.contracts.json.Json;
import com.reetik.gateway.auth.AuthenticatedUser;
import com.reetik.gateway.auth.EmailAddresses;
import com.reetik.gateway.web.RoutedPath;
import com.reetik.gateway.web.ApiError;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rate limits with bucket4j token buckets, per gateway instance: failed logins per e-mail and per client address
 * (only failures count: a user who types the right password is never slowed), registrations per client address,
 * and accepted video creations per user (a refused request costs nothing downstream, so it does not count). Over a limit: {@code 429}, {@code error.code} {@code rate_limited}, and
 * {@code Retry-After} in seconds. Buckets live in a bounded cache that forgets idle keys, so a flood of made-up
 * e-mails cannot grow memory without bound.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RateLimitFilter implements WebFilter {

    static final String LOGIN = "/api/auth/login";
    static final String REGISTER = "/api/auth/register";
    static final String VIDEOS = "/api/videos";
    private static final int MAX_KEYS = 100_000;
    /** The largest login body read (as {@code spring.codec.max-in-memory-size} in gateway.yml). */
    private static final int MAX_BODY = 64 * 1024;

    private final RateLimitProperties limits;
    private final ClientAddress clients;
    private final Cache<String, Bucket> loginsByEmail;
    private final Cache<String, Bucket> loginsByAddress;
    private final Cache<String, Bucket> registrationsByAddress;
    private final Cache<String, Bucket> createsByUser;

    private final TimeMeter time;

    @Autowired
    RateLimitFilter(RateLimitProperties limits) {
        this(limits, TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param time what the buckets refill by (a test moves it forward instead of waiting a window) */
    RateLimitFilter(RateLimitProperties limits, TimeMeter time) {
        this.time = time;
        this.limits = limits;
        this.clients = new ClientAddress(limits.trustedProxies());
        this.loginsByEmail = cache(limits.loginWindow());
        this.loginsByAddress = cache(limits.loginWindow());
        this.registrationsByAddress = cache(limits.registrationWindow());
        this.createsByUser = cache(Duration.ofMinutes(1));
    }

    private static Cache<String, Bucket> cache(Duration window) {
        return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(window.toNanos(), TimeUnit.NANOSECONDS)
                .build();
    }

    private Bucket bucket(int capacity, Duration window) {
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .withCustomTimePrecision(time).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!HttpMethod.POST.equals(request.getMethod())) {
            return chain.filter(exchange);
        }
        String path = RoutedPath.of(request);
        return switch (path) {
            case LOGIN -> login(exchange, chain);
            case REGISTER -> register(exchange, chain);
            case VIDEOS -> create(exchange, chain);
            default -> chain.filter(exchange);
        };
    }

    private Mono<Void> register(ServerWebExchange exchange, WebFilterChain chain) {
        String address = clients.of(exchange.getRequest());
        Bucket bucket = registrationsByAddress.get(address,
                key -> bucket(limits.registrationsPerAddress(), limits.registrationWindow()));
        var probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return tooMany(exchange, probe.getNanosToWaitForRefill(),
                    "Too many registrations from this address; try again later.");
        }
        return chain.filter(exchange);
    }

    private Mono<Void> create(ServerWebExchange exchange, WebFilterChain chain) {
        Object user = exchange.getAttribute(AuthenticatedUser.ATTRIBUTE);
        if (!(user instanceof AuthenticatedUser authenticated)) {
            return chain.filter(exchange); // not logged in: the auth filter answered already
        }
        Bucket bucket = createsByUser.get(authenticated.userId(),
                key -> bucket(limits.createsPerUserPerMinute(), Duration.ofMinutes(1)));
        long wait = waitNanos(bucket);
        if (wait > 0) {
            return tooMany(exchange, wait, "Too many videos created in the last minute; try again in a moment.");
        }
        // Only a video that was accepted counts: a refused request (400, 409…) costs nothing downstream.
        return chain.filter(exchange).then(Mono.fromRunnable(() -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            if (status != null && status.is2xxSuccessful()) {
                bucket.tryConsume(1);
            }
        }));
    }

    /**
     * Refused at once when the e-mail or the address has no failure left; otherwise the login runs, and a 401
     * takes one token from both. The body is read here to learn the e-mail, then handed on unchanged.
     */
    private Mono<Void> login(ServerWebExchange exchange, WebFilterChain chain) {
        MediaType type;
        try {
            type = exchange.getRequest().getHeaders().getContentType();
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            // Not a type at all ("garbage"): no login can come of it; the router answers 415 (was a 500 here).
            return chain.filter(exchange);
        }
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            // The exchange keeps the parsed form for the controller: read it, pass the exchange on as it is.
            // A form over the limit of a request body: 413, as for a JSON body (Spring's form reader would drop
            // it silently and the login would answer 401 for credentials the user did send).
            if (exchange.getRequest().getHeaders().getContentLength() > MAX_BODY) {
                return tooLarge(exchange);
            }
            return exchange.getFormData()
                    .flatMap(form -> login(exchange, chain, EmailAddresses.normalize(form.getFirst("username"))));
        }
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorResume(DataBufferLimitException.class, tooBig -> Mono.empty())
                .switchIfEmpty(Mono.defer(() -> tooLarge(exchange)).then(Mono.empty()))
                .flatMap(body -> login(exchange.mutate().request(replay(exchange, body)).build(), chain,
                        emailOf(body)));
    }

    private Mono<Void> login(ServerWebExchange exchange, WebFilterChain chain, String email) {
        String address = clients.of(exchange.getRequest());
        Bucket byAddress = loginsByAddress.get(address,
                key -> bucket(limits.loginFailuresPerAddress(), limits.loginWindow()));
        Bucket byEmail = email == null ? null : loginsByEmail.get(email,
                key -> bucket(limits.loginFailuresPerEmail(), limits.loginWindow()));
        long wait = Math.max(waitNanos(byAddress), byEmail == null ? 0 : waitNanos(byEmail));
        if (wait > 0) {
            return tooMany(exchange, wait, "Too many failed logins; try again later.");
        }
        return chain.filter(exchange).then(Mono.fromRunnable(() -> {
            if (HttpStatus.UNAUTHORIZED.equals(exchange.getResponse().getStatusCode())) {
                byAddress.tryConsume(1);
                if (byEmail != null) {
                    byEmail.tryConsume(1);
                }
            }
        }));
    }

    /** How long until one more failure is allowed (0: now). */
    private static long waitNanos(Bucket bucket) {
        return bucket.getAvailableTokens() >= 1 ? 0 : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    private static ServerHttpRequest replay(ServerWebExchange exchange, byte[] body) {
        return new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
    }

    /** The e-mail of a JSON {@code {email}} body, normalized; null when unreadable (the controller answers 400). */
    static String emailOf(byte[] body) {
        try {
            Object email = body.length == 0 ? null : Json.read(body, Map.class).get("email");
            return EmailAddresses.normalize(email instanceof String text ? text : null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static Mono<Void> tooLarge(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.PAYLOAD_TOO_LARGE);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = Json.write(ApiError.of("payload_too_large", "The request body is too large.", null));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static Mono<Void> tooMany(ServerWebExchange exchange, long waitNanos, String message) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        byte[] body = Json.write(ApiError.of("rate_limited", message + " (retry after " + seconds + " s)", null));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
