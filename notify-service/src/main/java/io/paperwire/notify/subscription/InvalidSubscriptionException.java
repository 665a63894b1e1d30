package io.paperwire.notify.subscription;

/** A subscription request or preference change breaks a rule; the message says which field and why. */
public class InvalidSubscriptionException extends RuntimeException {

    public InvalidSubscriptionException(String detail) {
        super(detail);
    }
}
