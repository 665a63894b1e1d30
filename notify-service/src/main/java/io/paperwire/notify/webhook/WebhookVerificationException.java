package io.paperwire.notify.webhook;

/** The webhook did not prove it controls its URL: unreachable, an error answer, or no echo of the challenge. */
public class WebhookVerificationException extends RuntimeException {

    public WebhookVerificationException(String detail) {
        super(detail);
    }
}
