package io.paperwire.notify.rest;

import io.paperwire.notify.config.NotifyConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** Who is asking, for rate limits: the peer address, or the first hop of a header a trusted proxy sets. */
@ApplicationScoped
public class ClientAddress {

    private final String header;

    public ClientAddress(NotifyConfig config) {
        this.header = config.rateLimit().clientAddressHeader().orElse(null);
    }

    public String of(HttpServerRequest request) {
        if (header != null) {
            String forwarded = request.getHeader(header);
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].strip();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
