package com.reetik.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
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
    void shouldReadTheEmailOfAJsonLogin() {
        assertThat(RateLimitFilter.emailOf("{\"email\":\" Me@Example.com \",\"password\":\"x\"}".getBytes()))
                .isEqualTo("me@example.com");
        assertThat(RateLimitFilter.emailOf("not json".getBytes())).isNull();
    }
}
