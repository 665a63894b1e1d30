package io.paperwire.ingest.rest;

import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.service.ListingResult;
import io.paperwire.ingest.service.ListingService;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import io.paperwire.support.rest.RequiresApiToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/v1/listings}: a listing document in, acknowledged sightings out. The body's type picks the
 * parser: a listing page as text, Hugging Face daily papers JSON, arXiv API or feed Atom, arXiv RSS, OAI-PMH XML.
 */
@Path("/api/v1/listings")
public class ListingResource {

    private final ListingService listings;
    private final IngestConfig config;

    public ListingResource(ListingService listings, IngestConfig config) {
        this.listings = listings;
        this.config = config;
    }

    @POST
    @RequiresApiToken
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@QueryParam("source") String source,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        long max = config.maxDocumentSize().asLongValue();
        if (body.length > max) {
            throw new ProblemException(Problem.of("listing-too-large", "Listing too large", 413,
                    "The document has " + body.length + " bytes; this service accepts at most " + max
                            + " (paperwire.ingest.max-document-size). Split it, or page through the source."));
        }
        ListingResult result = listings.ingest(source, contentType, idempotencyKey, body);
        return Response.accepted(result).build();
    }
}
