package io.paperwire.support.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The service's write token, compared in constant time. Application-scoped on purpose: REST filters are built
 * at static init, before runtime configuration exists, and a client proxy defers reading the token to first use.
 */
@ApplicationScoped
public class ApiToken {

    private final byte[] expected;

    public ApiToken(ApiConfig config) {
        this.expected = config.token().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    /** True when {@code given} is the configured token; always false when none is configured. */
    public boolean matches(String given) {
        return expected.length > 0 && given != null
                && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }
}
