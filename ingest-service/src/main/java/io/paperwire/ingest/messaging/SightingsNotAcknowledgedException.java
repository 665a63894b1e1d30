package io.paperwire.ingest.messaging;

/**
 * Kafka did not acknowledge a document's sightings (the broker is down, restarting or unreachable): nothing of the
 * document is recorded, so the client's retry with the same Idempotency-Key publishes the same event ids again.
 */
public class SightingsNotAcknowledgedException extends RuntimeException {

    public SightingsNotAcknowledgedException(String message, Throwable cause) {
        super(message, cause);
    }
}
