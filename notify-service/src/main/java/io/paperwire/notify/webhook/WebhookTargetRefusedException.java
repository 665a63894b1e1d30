package io.paperwire.notify.webhook;

/** A webhook URL that Paperwire will not call: not https, no host, or a private, loopback or link-local address. */
public class WebhookTargetRefusedException extends RuntimeException {

    public WebhookTargetRefusedException(String detail) {
        super(detail);
    }
}
