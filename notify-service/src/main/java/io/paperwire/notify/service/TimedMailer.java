package io.paperwire.notify.service;

import io.paperwire.notify.config.NotifyConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Sends one mail and waits at most {@code paperwire.notify.mail-timeout} for it. The blocking mailer waits forever,
 * and a send can never finish: a mail server that stops answering, or the Vert.x mail client (4.5) dropping a request
 * made at the instant its pool's last connection closes (it ignores that its endpoint refused the request). Without
 * a deadline one such send held a digest sender, and with it the whole pass, until the service stopped.
 */
@ApplicationScoped
public class TimedMailer {

    /** The mail server did not take the mail in time; whether it arrived is unknown, as with a dropped connection. */
    public static final class MailTimeout extends RuntimeException {
        MailTimeout(Duration timeout) {
            super("the mail server did not take the mail within " + timeout.toSeconds() + " s", null, false, false);
        }
    }

    private final ReactiveMailer mailer;
    private final Duration timeout;

    public TimedMailer(ReactiveMailer mailer, NotifyConfig config) {
        this.mailer = mailer;
        this.timeout = config.mailTimeout();
    }

    /** Sends {@code mail}; throws what the mail client reported, or {@link MailTimeout}. */
    public void send(Mail mail) {
        try {
            mailer.send(mail).await().atMost(timeout);
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw new MailTimeout(timeout);
        }
    }
}
