package com.reetik.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/** The filter in front of a handler that answers 201 to registrations, as the real route would. */
class RateLimitFilterTest {

    private static WebTestClient clientWith(RateLimitProperties limits) {
        return WebTestClient.bindToWebHandler(exchange -> {
                    exchange.getResponse().setStatusCode(HttpStatus.CREATED);
                    return Mono.empty();
                })
                .webFilter(new RateLimitFilter(limits))
                .build();
    }

    @Test
    void shouldLimitRegistrationsFromOneAddressWithRetryAfter() {
        // Given two registrations an hour per address
        WebTestClient http = clientWith(new RateLimitProperties(10, 30, Duration.ofMinutes(15), 2,
                Duration.ofHours(1), 10, List.of()));
        // When a third comes from the same address
        for (int i = 0; i < 2; i++) {
            http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                    .expectStatus().isCreated();
        }
        // Then it is refused with a 429 that says when to come back (about half an hour: one token per 30 min)
        String retryAfter = http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody().jsonPath("$.error.code").isEqualTo("rate_limited")
                .returnResult().getResponseHeaders().getFirst("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 3600L);
    }

    @Test
    void shouldLetTheRightPasswordInOnceTheWindowHasPassed() {
        // Given 3 failed logins allowed per e-mail in 15 min, a clock the test moves, and a login that knows one
        // password
        AtomicLong now = new AtomicLong();
        TimeMeter clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return now.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        WebTestClient http = WebTestClient.bindToWebHandler(exchange -> DataBufferUtils.join(
                        exchange.getRequest().getBody())
                        .map(body -> body.toString(StandardCharsets.UTF_8))
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            exchange.getResponse().setStatusCode(body.contains("right password")
                                    ? HttpStatus.OK : HttpStatus.UNAUTHORIZED);
                            return Mono.<Void>empty();
                        }))
                .webFilter(new RateLimitFilter(new RateLimitProperties(3, 30, Duration.ofMinutes(15), 5,
                        Duration.ofHours(1), 10, List.of()), clock))
                .build();

        // When a guesser fails 3 times
        for (int i = 0; i < 3; i++) {
            login(http, "guess " + i).expectStatus().isUnauthorized();
        }
        // Then the right password is refused too (429, come back later), and still is 4 minutes on
        login(http, "right password").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists("Retry-After");
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        login(http, "right password").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        // And once the window has refilled, the right password logs in
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        login(http, "right password").expectStatus().isOk();
    }

    private static WebTestClient.ResponseSpec login(WebTestClient http, String password) {
        return http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"victim@example.com\",\"password\":\"" + password + "\"}").exchange();
    }

    @Test
    void shouldReadTheEmailOfAJsonLogin() {
        assertThat(RateLimitFilter.emailOf("{\"email\":\" Me@Example.com \",\"password\":\"x\"}".getBytes()))
                .isEqualTo("me@example.com");
        assertThat(RateLimitFilter.emailOf("not json".getBytes())).isNull();
    }
}
