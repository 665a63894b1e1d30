package io.paperwire.notify.service;

import io.vertx.ext.mail.SMTPException;

/** Tells a permanent SMTP refusal (5xx: no such mailbox, rejected) from a transient one (4xx, connection trouble). */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static boolean isPermanent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPException smtp) {
                return smtp.isPermanent();
            }
        }
        return false;
    }
}
