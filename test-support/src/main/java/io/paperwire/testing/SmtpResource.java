package io.paperwire.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points notify's mailer at the shared real SMTP server; tests read the mail back with {@link TestStack#mail()}. */
public class SmtpResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestMailbox mail = TestStack.mail();
        return Map.of(
                "paperwire.notify.smtp.host", "127.0.0.1",
                "paperwire.notify.smtp.port", String.valueOf(mail.smtpPort()),
                "paperwire.notify.smtp.tls", "false",
                "paperwire.notify.smtp.start-tls", "disabled");
    }

    @Override
    public void stop() {
        // Shared for the JVM's lifetime.
    }
}
