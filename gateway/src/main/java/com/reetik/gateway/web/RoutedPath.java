package com.reetik.gateway.web;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The path as Spring's router matches it: each segment decoded and without its {@code ;parameters}. The filters
 * decide on this path, not on the raw one, so that they and the router always agree: {@code /api;x/videos} is
 * routed to {@code /api/videos}, so it must be guarded (401 without a token) and rate-limited like it.
 */
public final class RoutedPath {

    private RoutedPath() {
    }

    public static String of(ServerHttpRequest request) {
        StringBuilder path = new StringBuilder();
        for (PathContainer.Element element : request.getPath().pathWithinApplication().elements()) {
            path.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : element.value());
        }
        return path.isEmpty() ? "/" : path.toString();
    }
}
