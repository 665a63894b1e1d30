package io.paperwire.notify.links;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.config.NotifyConfig;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Signed links: each only for its purpose, confirmation links only until they expire, webhook secrets per nonce. */
class LinkSignerTest {

    static LinkSigner at(Instant now) {
        NotifyConfig config = (NotifyConfig) Proxy.newProxyInstance(LinkSignerTest.class.getClassLoader(),
                new Class<?>[] {NotifyConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "linkSecret" -> "a-test-secret-that-is-long-enough-to-sign";
                    case "confirmLinkTtl" -> Duration.ofDays(7);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return new LinkSigner(config, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aConfirmationLinkWorksForSevenDaysAndNoLonger() {
        Instant sent = Instant.parse("2026-12-01T12:00:00Z");
        UUID id = UUID.randomUUID();
        String token = at(sent).token(id, LinkSigner.Purpose.CONFIRM);
        assertThat(at(sent.plus(Duration.ofDays(7)).minusSeconds(1)).verify(token, LinkSigner.Purpose.CONFIRM)).contains(id);
        assertThat(at(sent.plus(Duration.ofDays(7)).plusSeconds(1)).verify(token, LinkSigner.Purpose.CONFIRM)).isEmpty();
        // The expiry is signed: moving it forward breaks the token.
        byte[] raw = Base64.getUrlDecoder().decode(token);
        raw[20]++;
        assertThat(at(sent).verify(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), LinkSigner.Purpose.CONFIRM))
                .isEmpty();
    }

    @Test
    void eachTokenServesOnlyItsPurpose() {
        LinkSigner signer = at(Instant.now());
        UUID id = UUID.randomUUID();
        String unsubscribe = signer.token(id, LinkSigner.Purpose.UNSUBSCRIBE);
        assertThat(signer.verify(unsubscribe, LinkSigner.Purpose.UNSUBSCRIBE)).contains(id);
        assertThat(signer.verify(unsubscribe, LinkSigner.Purpose.MANAGE)).isEmpty();
        assertThat(signer.verify(signer.token(id, LinkSigner.Purpose.FEED), LinkSigner.Purpose.MANAGE)).isEmpty();
    }

    @Test
    void aNewNonceIsANewWebhookSecret() {
        LinkSigner signer = at(Instant.now());
        UUID id = UUID.randomUUID();
        String a = signer.webhookSecret(id, LinkSigner.newNonce());
        String b = signer.webhookSecret(id, LinkSigner.newNonce());
        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(signer.webhookSecret(id, null)).as("subscriptions from before nonces").isNotIn(a, b);
    }
}
