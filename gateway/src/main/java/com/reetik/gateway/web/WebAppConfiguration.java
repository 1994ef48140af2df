package com.reetik.gateway.web;

import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web app (the {@code web} module's Vite bundle, on the classpath under {@code static/}): its hashed
 * {@code /assets/**} files are cached for a year (their names change with their content), everything else,
 * {@code index.html} first, is revalidated at each visit so a new release shows at once. Any other page path
 * ({@code /videos/{id}}, {@code /library}, …) answers {@code index.html}, so deep links and reloads work: the
 * app's router takes over in the browser. The API, Actuator and OpenAPI paths never fall back.
 * (Spring Boot's own static mapping is off, {@code spring.web.resources.add-mappings: false}, so these two
 * mappings are the only ones and their headers are not mixed with its defaults.)
 */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration implements WebFluxConfigurer {

    static final String LOCATION = "classpath:/static/";
    static final Resource INDEX = new ClassPathResource("static/index.html");
    private static final List<String> NOT_THE_APP = List.of("/api", "/actuator", "/v3", "/assets");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache());
    }

    /** {@code index.html} for every page of the app (a GET for HTML of a path without a file extension). */
    @Bean
    RouterFunction<ServerResponse> webAppPages() {
        RequestPredicate page = RequestPredicates.GET("/**")
                .and(RequestPredicates.accept(MediaType.TEXT_HTML))
                .and(request -> isPage(request.path()));
        boolean bundled = INDEX.exists(); // the jar does not change while it runs: look once, not per page
        return RouterFunctions.route(page, request -> bundled
                ? ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache())
                        .bodyValue(INDEX)
                : ServerResponse.notFound().build());
    }

    /**
     * A 416 from the static files (a {@code Range} the file cannot satisfy, or not a range at all) says
     * {@code Content-Length: 0}: Spring's resource handler keeps the file's length on its empty 416, and a client
     * then waits for bytes that never come (GatewayFuzzIT: {@code GET /index.html} with {@code Range: !}).
     */
    @Bean
    org.springframework.web.server.WebFilter emptyRangeNotSatisfiable() {
        return (exchange, chain) -> {
            // the API's own ranged answers (a video's file) set their lengths themselves
            if (exchange.getRequest().getPath().value().startsWith("/api/")
                    || exchange.getRequest().getHeaders().getFirst(org.springframework.http.HttpHeaders.RANGE) == null) {
                return chain.filter(exchange);
            }
            exchange.getResponse().beforeCommit(() -> {
                if (exchange.getResponse().getStatusCode() != null
                        && exchange.getResponse().getStatusCode().value() == 416) {
                    exchange.getResponse().getHeaders().setContentLength(0);
                }
                return reactor.core.publisher.Mono.empty();
            });
            return chain.filter(exchange);
        };
    }

    static boolean isPage(String path) {
        for (String prefix : NOT_THE_APP) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return false;
            }
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.contains(".");
    }
}
