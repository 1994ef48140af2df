package com.reetik.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How fast one client may knock: per gateway instance (each gateway counts what it sees; behind a load balancer
 * a client spread over n gateways gets up to n times these). Set in {@code gateway.yml}.
 *
 * @param loginFailuresPerEmail    failed logins of one e-mail per {@code loginWindow} before 429
 * @param loginFailuresPerAddress  failed logins from one client address per {@code loginWindow} before 429
 * @param loginWindow              the window of both (15 min)
 * @param registrationsPerAddress  registrations from one client address per {@code registrationWindow}
 * @param registrationWindow       (1 h)
 * @param createsPerUserPerMinute  {@code POST /api/videos} of one user per minute
 * @param trustedProxies           {@code REETIK_TRUSTED_PROXIES}: addresses or CIDR ranges of the proxies whose
 *                                 {@code X-Forwarded-For} is believed (none: the connection's address is the client)
 */
@ConfigurationProperties("reetik.gateway.rate-limits")
public record RateLimitProperties(Integer loginFailuresPerEmail, Integer loginFailuresPerAddress, Duration loginWindow,
                                  Integer registrationsPerAddress, Duration registrationWindow,
                                  Integer createsPerUserPerMinute, List<String> trustedProxies) {

    public RateLimitProperties {
        loginFailuresPerEmail = positive(loginFailuresPerEmail, 10, "login-failures-per-email");
        loginFailuresPerAddress = positive(loginFailuresPerAddress, 30, "login-failures-per-address");
        loginWindow = loginWindow == null ? Duration.ofMinutes(15) : loginWindow;
        registrationsPerAddress = positive(registrationsPerAddress, 10, "registrations-per-address");
        registrationWindow = registrationWindow == null ? Duration.ofHours(1) : registrationWindow;
        createsPerUserPerMinute = positive(createsPerUserPerMinute, 10, "creates-per-user-per-minute");
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (loginWindow.isNegative() || loginWindow.isZero() || registrationWindow.isNegative()
                || registrationWindow.isZero()) {
            throw new IllegalArgumentException("rate-limit windows must be positive");
        }
    }

    private static int positive(Integer value, int defaultValue, String name) {
        int v = value == null ? defaultValue : value;
        if (v <= 0) {
            throw new IllegalArgumentException("reetik.gateway.rate-limits." + name + " must be positive, not " + v);
        }
        return v;
    }
}
