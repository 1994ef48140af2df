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
import com.reetik.gateway.web.RoutedPath;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens on everything under {@code /api} but {@code /api/auth/**}: no, invalid or expired token is
 * a 401 JSON error; a valid one puts the {@link AuthenticatedUser} in the exchange attributes. A video's file and
 * poster also open with a {@code ?media_token=} (see {@link JwtTokens#issueMedia}), for media elements and links.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthWebFilter implements WebFilter {

    private static final String BEARER = "bearer ";
    static final String MEDIA_TOKEN = "media_token";
    /** The only routes a media token opens: a video's file, its poster, its subtitles and reference images, read-only. */
    private static final Pattern MEDIA_PATH =
            Pattern.compile("/api/videos/[^/]+/(file|poster|captions\\.(vtt|srt)|references/[0-9]+)");

    private final JwtTokens tokens;
    private final DeletedAccounts deleted;

    AuthWebFilter(JwtTokens tokens, DeletedAccounts deleted) {
        this.tokens = tokens;
        this.deleted = deleted;
    }

    static boolean guarded(String path) {
        return (path.equals("/api") || path.startsWith("/api/"))
                && !(path.equals("/api/auth") || path.startsWith("/api/auth/"));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = RoutedPath.of(exchange.getRequest());
        if (!guarded(path) || HttpMethod.OPTIONS.equals(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String mediaToken = exchange.getRequest().getQueryParams().getFirst(MEDIA_TOKEN);
        JwtTokens.Verification verification;
        String refusal;
        if (header == null && mediaToken != null && HttpMethod.GET.equals(exchange.getRequest().getMethod())
                && MEDIA_PATH.matcher(path).matches()) {
            verification = tokens.verifyMedia(mediaToken.trim());
            refusal = "The media token is invalid or has expired; reload the page.";
        } else if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return unauthorized(exchange, "A bearer access token is required (Authorization: Bearer <token>).");
        } else {
            verification = tokens.verify(header.substring(BEARER.length()).trim());
            refusal = verification.problem();
        }
        if (verification.user().isEmpty()) {
            return unauthorized(exchange, refusal);
        }
        AuthenticatedUser user = verification.user().get();
        if (deleted.deletedHere(user.userId())) {
            return unauthorized(exchange, DeletedAccounts.REFUSAL);
        }
        if (!deleted.mayHaveBeenDeleted(verification.issuedAt())) {
            exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, user);
            return chain.filter(exchange);
        }
        // A replica read (an account deleted through another gateway): off the event loop.
        return reactor.core.publisher.Mono.fromCallable(() -> deleted.accountGone(user))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(gone -> {
                    if (gone) {
                        return unauthorized(exchange, DeletedAccounts.REFUSAL);
                    }
                    exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, user);
                    return chain.filter(exchange);
                });
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
