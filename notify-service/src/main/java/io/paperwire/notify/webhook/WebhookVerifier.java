package io.paperwire.notify.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The challenge a webhook must answer before it is used: a signed POST of
 * {@code {"type":"verification","subscriptionId":...,"challenge":"<random>"}}; the receiver proves it controls the URL
 * (and is willing) by answering 2xx with the challenge in its body.
 */
@ApplicationScoped
public class WebhookVerifier {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final WebhookClient client;

    public WebhookVerifier(WebhookClient client) {
        this.client = client;
    }

    /** Sends the challenge signed with {@code secret}; throws unless the receiver echoes it. */
    public void verify(String secret, UUID subscription, String url) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String challenge = HexFormat.of().formatHex(bytes);
        String body = "{\"type\":\"verification\",\"subscriptionId\":\"" + subscription + "\",\"challenge\":\"" + challenge + "\"}";
        WebhookClient.Answer answer;
        try {
            answer = client.post(secret, url, "verification", "verify-" + challenge, body);
        } catch (WebhookTargetRefusedException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted");
        } catch (Exception e) {
            throw failed("the webhook could not be reached: " + e.getMessage());
        }
        if (!answer.ok()) {
            throw failed("the webhook answered the challenge with HTTP " + answer.status());
        }
        if (!answer.body().contains(challenge)) {
            throw failed("the webhook's answer did not contain the challenge");
        }
    }

    private static WebhookVerificationException failed(String detail) {
        return new WebhookVerificationException(detail);
    }
}
