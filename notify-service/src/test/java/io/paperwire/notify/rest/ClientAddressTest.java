package io.paperwire.notify.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.config.NotifyConfig;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client address a rate limit counts: a forwarding header helps only from a trusted proxy, read from the right. */
class ClientAddressTest {

    static ClientAddress with(List<String> trusted) {
        NotifyConfig.RateLimit limits = (NotifyConfig.RateLimit) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {NotifyConfig.RateLimit.class}, (p, m, a) -> switch (m.getName()) {
                    case "clientAddressHeader" -> "X-Forwarded-For";
                    case "trustedProxies" -> Optional.of(trusted);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        NotifyConfig config = (NotifyConfig) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {NotifyConfig.class}, (p, m, a) -> {
                    if (m.getName().equals("rateLimit")) {
                        return limits;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return new ClientAddress(config);
    }

    @Test
    void aHeaderFromAnUntrustedPeerIsIgnored() {
        ClientAddress clients = with(List.of());
        assertThat(clients.of("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(with(List.of("10.0.0.0/8")).of("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        ClientAddress clients = with(List.of("10.0.0.0/8", "::1"));
        // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
        assertThat(clients.of("10.1.2.3", "1.2.3.4, 198.51.100.9")).isEqualTo("198.51.100.9");
        assertThat(clients.of("10.1.2.3", "1.2.3.4, 198.51.100.9, 10.9.9.9")).as("two proxies").isEqualTo("198.51.100.9");
        assertThat(clients.of("::1", "198.51.100.9")).isEqualTo("198.51.100.9");
        assertThat(clients.of("10.1.2.3", null)).isEqualTo("10.1.2.3");
        assertThat(clients.of("10.1.2.3", "10.0.0.1, 10.0.0.2")).as("all trusted: the left-most").isEqualTo("10.0.0.1");
    }
}
