package io.paperwire.notify.webhook;

import io.paperwire.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keeps webhooks from reaching inside the network (SSRF): a target must be https (http only where allowed), and every
 * address its host resolves to must be public: no loopback, private, link-local (169.254.169.254, the cloud metadata
 * service), unique-local, carrier-grade NAT, multicast or unspecified address, unless private targets are allowed.
 * The check runs on the resolved addresses, so a public name pointing at 127.0.0.1 is refused too; it runs again
 * before every delivery, and deliveries never follow redirects.
 */
@ApplicationScoped
public class WebhookTargets {

    private final boolean allowPrivate;
    private final boolean allowHttp;

    public WebhookTargets(NotifyConfig config) {
        this.allowPrivate = config.webhook().allowPrivateTargets();
        this.allowHttp = config.webhook().allowHttp();
    }

    /** The target as a URI, or a refusal saying why. */
    public URI check(String url) {
        return check(url, allowPrivate, allowHttp);
    }

    static URI check(String url, boolean allowPrivate, boolean allowHttp) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw refused("\"webhookUrl\" is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw refused("\"webhookUrl\" must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw refused("\"webhookUrl\" must have a host and no user info or fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw refused("the host of \"webhookUrl\" does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw refused("\"webhookUrl\" resolves to " + a.getHostAddress()
                            + ", a loopback, private or link-local address; webhooks only go to public addresses");
                }
            }
        }
        return uri;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && first != 127 && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    && !(first == 169 && second == 254) && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    && !(first == 198 && (second == 18 || second == 19)) && first < 224;
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
                return false;
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address: judge that one
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static WebhookTargetRefusedException refused(String detail) {
        return new WebhookTargetRefusedException(detail);
    }
}
