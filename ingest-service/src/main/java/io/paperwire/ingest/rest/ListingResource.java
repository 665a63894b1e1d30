package io.paperwire.ingest.rest;

import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.service.ListingResult;
import io.paperwire.ingest.service.ListingService;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import io.paperwire.support.rest.RequiresApiToken;
import java.io.IOException;
import java.io.InputStream;
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
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            InputStream body) throws IOException {
        // Streamed, not buffered by the HTTP layer: a declared or actual length over the limit is refused having read
        // at most the limit, whatever the client sends.
        long max = config.maxDocumentSize().asLongValue();
        if (contentLength != null && contentLength > max) {
            throw tooLarge(contentLength + " bytes", max);
        }
        byte[] document = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (document.length > max) {
            throw tooLarge("more than " + max + " bytes", max);
        }
        ListingResult result = listings.ingest(source, contentType, idempotencyKey, document);
        return Response.accepted(result).build();
    }

    private static ProblemException tooLarge(String size, long max) {
        return new ProblemException(Problem.of("listing-too-large", "Listing too large", 413, "The document has " + size
                + "; this service accepts at most " + max + " (paperwire.ingest.max-document-size). Split it, or page "
                + "through the source."));
    }
}
