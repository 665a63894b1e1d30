package io.paperwire.notify.links;

import io.paperwire.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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
 * derived the same way, so they need no storage either. Confirmation tokens also carry their expiry (signed with the
 * rest): a confirmation mail found in an old mailbox cannot start a subscription.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class LinkSigner {

    /** What a link may do; part of the signed bytes. */
    public enum Purpose {
        CONFIRM((byte) 1), MANAGE((byte) 2), FEED((byte) 3), UNSUBSCRIBE((byte) 4);

        final byte code;

        Purpose(byte code) {
            this.code = code;
        }
    }

    private static final int MAC_BYTES = 16;
    private static final int EXPIRY_BYTES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;
    private final Duration confirmTtl;
    private final Clock clock;

    public LinkSigner(NotifyConfig config, Clock clock) {
        this.confirmTtl = config.confirmLinkTtl();
        this.clock = clock;
        String secret = config.linkSecret();
        if (secret.length() < 32) {
            throw new IllegalStateException("paperwire.notify.link-secret (PAPERWIRE_LINK_SECRET) must have at least 32 characters");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String token(UUID subscription, Purpose purpose) {
        int signed = signedLength(purpose);
        ByteBuffer b = ByteBuffer.allocate(signed + MAC_BYTES);
        b.putLong(subscription.getMostSignificantBits()).putLong(subscription.getLeastSignificantBits()).put(purpose.code);
        if (purpose == Purpose.CONFIRM) {
            b.putLong(clock.instant().plus(confirmTtl).getEpochSecond());
        }
        b.put(mac(Arrays.copyOf(b.array(), signed)), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static int signedLength(Purpose purpose) {
        return 17 + (purpose == Purpose.CONFIRM ? EXPIRY_BYTES : 0);
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
        int signed = signedLength(purpose);
        if (raw.length != signed + MAC_BYTES || raw[16] != purpose.code) {
            return Optional.empty();
        }
        byte[] expected = Arrays.copyOf(mac(Arrays.copyOf(raw, signed)), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, signed, raw.length))) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        UUID id = new UUID(b.getLong(), b.getLong());
        if (purpose == Purpose.CONFIRM && clock.instant().getEpochSecond() > b.getLong(17)) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    /**
     * The secret a webhook subscription's deliveries are signed with (shown to its owner once, at subscription and at
     * each rotation): derived from the id and the subscription's random nonce, so a new nonce is a new secret.
     * Subscriptions from before nonces existed have none and keep the secret derived from the id alone.
     */
    public String webhookSecret(UUID subscription, String nonce) {
        String input = nonce == null ? "webhook:" + subscription : "webhook:" + subscription + ":" + nonce;
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh random nonce for {@link #webhookSecret(UUID, String)}. */
    public static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
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
