package io.paperwire.support.search;

/** A filter or search this system refuses to run: too long, too many terms. The message says which bound and why. */
public class InvalidFilterException extends RuntimeException {

    public InvalidFilterException(String detail) {
        super(detail);
    }
}
