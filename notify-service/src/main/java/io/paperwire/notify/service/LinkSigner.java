package io.paperwire.notify.service;

import io.paperwire.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subscriber links without logins and without stored tokens: a token is the subscription id, what it is for, and an
 * HMAC-SHA256 of both under the service's secret (128 bits kept), base64url. Nobody can forge one for another id or
 * turn a feed link into an unsubscribe link, and nothing secret sits in the database. Webhook signing secrets are
 * derived the same way, so they need no storage either.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class LinkSigner {

    /** What a link may do; part of the signed bytes. */
    public enum Purpose {
        CONFIRM((byte) 1), MANAGE((byte) 2), FEED((byte) 3);

        final byte code;

        Purpose(byte code) {
            this.code = code;
        }
    }

    private static final int MAC_BYTES = 16;
    private final byte[] key;

    public LinkSigner(NotifyConfig config) {
        String secret = config.linkSecret();
        if (secret.length() < 32) {
            throw new IllegalStateException("paperwire.notify.link-secret (PAPERWIRE_LINK_SECRET) must have at least 32 characters");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String token(UUID subscription, Purpose purpose) {
        ByteBuffer b = ByteBuffer.allocate(17 + MAC_BYTES);
        b.putLong(subscription.getMostSignificantBits()).putLong(subscription.getLeastSignificantBits()).put(purpose.code);
        b.put(mac(Arrays.copyOf(b.array(), 17)), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The subscription a token was made for, if it is genuine and made for {@code purpose}. */
    public Optional<UUID> verify(String token, Purpose purpose) {
        if (token == null || token.length() > 64) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != 17 + MAC_BYTES || raw[16] != purpose.code) {
            return Optional.empty();
        }
        byte[] expected = Arrays.copyOf(mac(Arrays.copyOf(raw, 17)), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, 17, raw.length))) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        return Optional.of(new UUID(b.getLong(), b.getLong()));
    }

    /** The secret a webhook subscription's deliveries are signed with (shown to its owner once, at subscription). */
    public String webhookSecret(UUID subscription) {
        return "whsec_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac(("webhook:" + subscription).getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
