package io.paperwire.dedup.messaging;

/** A record on the sightings topic that is not a usable event; its message becomes the dead-letter reason. */
public class InvalidSightingException extends RuntimeException {

    public InvalidSightingException(String message, Throwable cause) {
        super(message, cause);
    }
}
