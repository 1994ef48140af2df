package com.reetik.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressTest {

    private static MockServerHttpRequest from(String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/auth/login")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        for (String header : forwardedFor) {
            request.header("X-Forwarded-For", header);
        }
        return request.build();
    }

    @Test
    void shouldIgnoreForwardedForFromAPeerThatIsNotATrustedProxy() {
        // Given no trusted proxy, When a client writes its own X-Forwarded-For, Then its connection's address counts
        ClientAddress clients = new ClientAddress(List.of());
        assertThat(clients.of(from("203.0.113.7", "198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldTakeTheRightmostUntrustedHopBehindTrustedProxies() {
        // Given the load balancers of 10.0.0.0/8
        ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8"));
        // When a client spoofs a first hop and two proxies append theirs
        String client = clients.of(from("10.1.2.3", "1.2.3.4, 203.0.113.7, 10.9.9.9"));
        // Then the spoofed value is not believed: the address the first trusted proxy saw is the client
        assertThat(client).isEqualTo("203.0.113.7");
        // and a request that reached a proxy with no header is the proxy's peer itself
        assertThat(clients.of(from("10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    void shouldMatchIpv6RangesAndSingleAddresses() {
        ClientAddress clients = new ClientAddress(List.of("fd00::/8", "192.0.2.10"));
        assertThat(clients.isTrusted("fd12:3456::1")).isTrue();
        assertThat(clients.isTrusted("fe80::1")).isFalse();
        assertThat(clients.isTrusted("192.0.2.10")).isTrue();
        assertThat(clients.isTrusted("192.0.2.11")).isFalse();
        assertThat(clients.isTrusted("proxy.example.com")).as("never a DNS lookup").isFalse();
    }

    @Test
    void shouldRefuseAMalformedTrustedProxy() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/40")))
                .hasMessageContaining("REETIK_TRUSTED_PROXIES");
        assertThatThrownBy(() -> new ClientAddress(List.of("lb.internal")))
                .hasMessageContaining("REETIK_TRUSTED_PROXIES");
    }
}
