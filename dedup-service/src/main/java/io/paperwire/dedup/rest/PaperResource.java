package io.paperwire.dedup.rest;

import io.paperwire.dedup.service.PaperQueries;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/** The read side of the catalogue: {@code GET /api/v1/papers} and {@code GET /api/v1/papers/{id}}. */
@Path("/api/v1/papers")
@Produces(MediaType.APPLICATION_JSON)
public class PaperResource {

    private final PaperQueries queries;

    public PaperResource(PaperQueries queries) {
        this.queries = queries;
    }

    /**
     * Papers matching {@code q} (the filter language: words, "phrases", or, -word, author:, category:), by
     * {@code sort=relevance} (the default with words to search), {@code trending} (otherwise) or {@code recent}.
     */
    @GET
    public PaperQueries.PaperPage list(@QueryParam("sort") String sort, @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit, @QueryParam("cursor") String cursor) {
        return queries.list(sort, q, limit, cursor);
    }

    /** One paper with its history; an id that was merged into another answers 301 to the survivor. */
    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
        Optional<PaperQueries.PaperDetail> detail = queries.detail(uuid);
        if (detail.isPresent()) {
            return Response.ok(detail.get()).build();
        }
        UUID survivor = queries.mergedInto(uuid).orElseThrow(() -> notFound(id));
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/api/v1/papers/" + survivor)).build();
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("paper-not-found", "Paper not found", 404, "No paper has id '" + id + "'."));
    }
}
