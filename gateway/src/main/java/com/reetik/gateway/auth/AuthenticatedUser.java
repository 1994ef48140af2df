package com.reetik.gateway.auth;

/** The caller of an {@code /api} request, put in the exchange attributes by {@link AuthWebFilter}. */
public record AuthenticatedUser(String userId, String email) {

    /** Name of the exchange attribute (use with {@code @RequestAttribute}). */
    public static final String ATTRIBUTE = "reetik.authenticatedUser";
}
