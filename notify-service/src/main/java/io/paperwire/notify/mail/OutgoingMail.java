package io.paperwire.notify.mail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One mail as Paperwire composes it, before any MIME encoding: the composer decides what a mail says, the
 * {@link SmtpMailer} alone how it travels.
 *
 * @param headers extra headers in order (List-Unsubscribe, a fixed Message-ID), copied and unmodifiable
 */
public record OutgoingMail(String to, String subject, String html, String text, Map<String, String> headers) {

    public OutgoingMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public OutgoingMail(String to, String subject, String html, String text) {
        this(to, subject, html, text, Map.of());
    }
}
