package io.paperwire.ingest.rest;

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

/** {@code POST /api/v1/listings}: a listing document in, acknowledged sightings out. */
@Path("/api/v1/listings")
public class ListingResource {

    private final ListingService listings;

    public ListingResource(ListingService listings) {
        this.listings = listings;
    }

    @POST
    @RequiresApiToken
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@QueryParam("source") String source,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        MediaType type = contentType == null ? null : MediaType.valueOf(contentType);
        if (type == null || !type.isCompatible(MediaType.TEXT_PLAIN_TYPE)) {
            throw new ProblemException(Problem.of("unsupported-listing-type", "Unsupported listing type", 415,
                    "Content-Type " + contentType + " is not a listing type this service reads yet; send text/plain "
                            + "(a listing page as text)."));
        }
        ListingResult result = listings.ingestText(source, idempotencyKey, body);
        return Response.accepted(result).build();
    }
}
