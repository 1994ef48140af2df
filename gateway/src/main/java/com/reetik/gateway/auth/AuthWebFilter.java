package com.reetik.gateway.auth;

import com.reetik.contracts.json.Json;
import com.reetik.gateway.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens on everything under {@code /api} but {@code /api/auth/**}: no, invalid or expired token is
 * a 401 JSON error; a valid one puts the {@link AuthenticatedUser} in the exchange attributes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthWebFilter implements WebFilter {

    private static final String BEARER = "bearer ";

    private final JwtTokens tokens;

    AuthWebFilter(JwtTokens tokens) {
        this.tokens = tokens;
    }

    static boolean guarded(String path) {
        return (path.equals("/api") || path.startsWith("/api/"))
                && !(path.equals("/api/auth") || path.startsWith("/api/auth/"));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!guarded(path) || HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return unauthorized(exchange, "A bearer access token is required (Authorization: Bearer <token>).");
        }
        JwtTokens.Verification verification = tokens.verify(header.substring(BEARER.length()).trim());
        if (verification.user().isEmpty()) {
            return unauthorized(exchange, verification.problem());
        }
        exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, verification.user().get());
        return chain.filter(exchange);
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String message) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        DataBuffer body = response.bufferFactory().wrap(Json.write(ApiError.of("unauthorized", message, null)));
        return response.writeWith(Mono.just(body));
    }
}
