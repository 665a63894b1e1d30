package io.paperwire.notify.webhook;

import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.links.LinkSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.paperwire.support.http.BoundedHttp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts signed JSON to a subscriber's webhook. The signature header is
 * {@code Paperwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the subscription's secret>},
 * so a receiver can check both that the body is ours and that it is fresh. Redirects are never followed and the
 * target is checked against {@link WebhookTargets} right before each request.
 */
@ApplicationScoped
public class WebhookClient {

    public static final String SIGNATURE_HEADER = "Paperwire-Signature";
    public static final String EVENT_HEADER = "Paperwire-Event";
    public static final String DELIVERY_HEADER = "Paperwire-Delivery";
    /** What is read of a receiver's answer: enough for a status page or a challenge, never more. */
    static final int MAX_ANSWER_BYTES = 4096;

    /** What the receiver answered. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final WebhookTargets targets;
    private final LinkSigner signer;
    private final Duration timeout;
    private final Clock clock;

    public WebhookClient(NotifyConfig config, WebhookTargets targets, LinkSigner signer, Clock clock) {
        this.clock = clock;
        this.timeout = config.webhook().timeout();
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        this.targets = targets;
        this.signer = signer;
    }

    /** Posts {@code json} signed with {@code secret}; the answer's status and its first few KB. */
    public Answer post(String secret, String url, String event, String deliveryId, String json) throws IOException, InterruptedException {
        URI uri = targets.check(url);
        long t = clock.instant().getEpochSecond();
        String signature = "t=" + t + ",v1=" + sign(secret, t, json);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Paperwire-Webhook/1")
                .header(SIGNATURE_HEADER, signature)
                .header(EVENT_HEADER, event)
                .header(DELIVERY_HEADER, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        // One deadline for connect, headers and body, and only the first few KB of the answer are ever read: a receiver
        // that streams forever or drips after its headers costs one bounded wait, not the heap or a sender thread.
        HttpResponse<byte[]> response = BoundedHttp.send(http, request, MAX_ANSWER_BYTES, BoundedHttp.Overflow.TRUNCATE, timeout);
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }

    /** The v1 signature: hex HMAC-SHA256 over {@code "<t>.<body>"}. Receivers compute the same and compare. */
    public static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
