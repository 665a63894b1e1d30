package io.paperwire.notify.subscription;

/** The webhook URL already has a live subscription; only its owner's manage link changes it. */
public class WebhookAlreadyRegisteredException extends RuntimeException {

    public WebhookAlreadyRegisteredException(String detail) {
        super(detail);
    }
}
