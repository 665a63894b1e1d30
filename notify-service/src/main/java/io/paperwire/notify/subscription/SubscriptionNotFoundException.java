package io.paperwire.notify.subscription;

/** No subscription answers to this id or link (never existed, or deleted). */
public class SubscriptionNotFoundException extends RuntimeException {

    public SubscriptionNotFoundException(String detail) {
        super(detail);
    }
}
