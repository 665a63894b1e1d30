package io.paperwire.notify.rest;

import io.paperwire.notify.config.NotifyConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who is asking, for rate limits. The peer address, unless the peer is one of the configured trusted proxies: then
 * the right-most hop of the forwarding header that is not itself a trusted proxy. Every hop left of that was written
 * by the client and proves nothing; a header from a peer that is not a trusted proxy is ignored altogether.
 */
@ApplicationScoped
public class ClientAddress {

    private final String header;
    private final List<Cidr> trusted;

    public ClientAddress(NotifyConfig config) {
        this.header = config.rateLimit().clientAddressHeader();
        this.trusted = config.rateLimit().trustedProxies().orElse(List.of()).stream().map(Cidr::parse).toList();
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        return of(peer, request.getHeader(header));
    }

    String of(String peer, String forwarded) {
        if (!isTrusted(peer) || forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && (i == 0 || !isTrusted(hop))) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        return trusted.stream().anyMatch(c -> c.contains(address));
    }

    /** An address or a block of them ({@code 10.0.0.0/8}, {@code ::1}). */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String spec) {
            String[] parts = spec.strip().split("/");
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + spec);
            }
            return new Cidr(address, parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8);
        }

        boolean contains(String candidate) {
            byte[] a = literal(candidate);
            if (a == null || a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** The bytes of an IP literal, or null for anything else (never a DNS look-up). */
        private static byte[] literal(String s) {
            String v = s.strip();
            if (v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            if (v.isEmpty() || !(v.contains(":") || v.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
                return null;
            }
            try {
                return InetAddress.getByName(v).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
