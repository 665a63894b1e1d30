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
import java.util.UUID;

/** The read side of the catalogue: {@code GET /api/v1/papers} and {@code GET /api/v1/papers/{id}}. */
@Path("/api/v1/papers")
@Produces(MediaType.APPLICATION_JSON)
public class PaperResource {

    private final PaperQueries queries;

    public PaperResource(PaperQueries queries) {
        this.queries = queries;
    }

    /** Papers, {@code sort=trending} (default) or {@code recent}, optionally matching {@code q} (full text). */
    @GET
    public PaperQueries.PaperPage list(@QueryParam("sort") String sort, @QueryParam("q") String q,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(200) int limit, @QueryParam("cursor") String cursor) {
        return queries.list(sort, q, limit, cursor);
    }

    @GET
    @Path("/{id}")
    public PaperQueries.PaperDetail get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
        return queries.detail(uuid).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("paper-not-found", "Paper not found", 404, "No paper has id '" + id + "'."));
    }
}
