package io.paperwire.ingest.rest;

import io.paperwire.ingest.poller.UnknownSourceException;
import io.paperwire.ingest.service.IdempotencyKeyReusedException;
import io.paperwire.ingest.service.InvalidSourceNameException;
import io.paperwire.ingest.service.UnsupportedListingTypeException;
import io.paperwire.ingest.service.UnusableListingException;
import io.paperwire.support.kafka.NotAcknowledgedException;
import io.paperwire.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where ingest's domain refusals and outages become HTTP answers (RFC 9457 problems). */
public class IngestProblems {

    @ServerExceptionMapper
    public Response unsupported(UnsupportedListingTypeException e) {
        return Problem.of("unsupported-listing-type", "Unsupported listing type", 415, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotencyKeyReusedException e) {
        return Problem.of("idempotency-key-reused", "Idempotency-Key reused", 422, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidSource(InvalidSourceNameException e) {
        return Problem.of("invalid-source", "Invalid source name", 400, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unusable(UnusableListingException e) {
        Problem problem = switch (e.why()) {
            case TOO_LARGE -> Problem.of("listing-too-large", "Listing too large", 413, e.getMessage());
            case UNPARSEABLE -> Problem.of("unparseable-listing", "Listing cannot be parsed", 400, e.getMessage());
            case UNREADABLE -> Problem.of("unreadable-listing", "Listing cannot be read", 400, e.getMessage());
        };
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response unknownSource(UnknownSourceException e) {
        return Problem.of("source-not-found", "Source not found", 404, e.getMessage()).toResponse();
    }

    /**
     * Kafka did not take the sightings: a 503 the client can retry, not a 500 that reads as a bug. Nothing of the
     * document is recorded, so a retry publishes the same event ids again (a posted listing: with the same
     * Idempotency-Key, if it had one; a poll: the next poll) and dedup counts them once.
     */
    @ServerExceptionMapper
    public Response notAcknowledged(NotAcknowledgedException e) {
        return Response.fromResponse(Problem.of("sightings-not-acknowledged", "Sightings not acknowledged", 503, e.getMessage()
                        + ". Nothing of the document is recorded; try again (a listing with the same Idempotency-Key): nothing "
                        + "is published twice.").toResponse())
                .header("Retry-After", "5").build();
    }
}
