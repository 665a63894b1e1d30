package io.paperwire.support.kafka;

/** Kafka did not acknowledge records in time, or refused one; the cause says which (a refusal carries Kafka's own). */
public class NotAcknowledgedException extends RuntimeException {

    public NotAcknowledgedException(String message, Throwable cause) {
        super(message, cause);
    }
}
