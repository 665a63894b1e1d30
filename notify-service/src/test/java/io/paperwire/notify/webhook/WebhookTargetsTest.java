package io.paperwire.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSRF: the addresses a webhook may never reach, judged after DNS resolution. */
class WebhookTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data/",
            "https://localhost/hook", "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://192.168.1.10/hook",
            "https://172.16.5.4/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook", "https://[fd00::1]/hook",
            "https://[fe80::1]/hook"})
    void privateLoopbackAndLinkLocalTargetsAreRefused(String url) {
        assertThatThrownBy(() -> WebhookTargets.check(url, false, false)).isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageContaining("public addresses");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://203.0.113.9/hook", "ftp://203.0.113.9/hook", "https://user:pw@203.0.113.9/hook", "not a url",
            "https://no-such-host.invalid/hook"})
    void otherBadTargetsAreRefused(String url) {
        assertThatThrownBy(() -> WebhookTargets.check(url, false, false)).isInstanceOf(WebhookTargetRefusedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.9", "2606:4700:4700::1111"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(WebhookTargets.isPublic(InetAddress.getByName(address))).isTrue();
        assertThat(WebhookTargets.check("https://" + (address.contains(":") ? "[" + address + "]" : address) + "/hook", false, false)
                .getHost()).isNotNull();
    }
}
