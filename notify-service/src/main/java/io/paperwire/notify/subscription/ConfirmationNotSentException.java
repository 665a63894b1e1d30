package io.paperwire.notify.subscription;

/**
 * The confirmation mail could not be sent. Permanent when the mail server refused the address itself (retrying the
 * same address cannot help); otherwise the server was unavailable and a later try may work.
 */
public class ConfirmationNotSentException extends RuntimeException {

    private final boolean permanent;

    public ConfirmationNotSentException(String detail, boolean permanent, Throwable cause) {
        super(detail, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
