package io.paperwire.ingest.rest;

import io.paperwire.ingest.service.Completeness;
import jakarta.ws.rs.QueryParam;
import io.paperwire.ingest.poller.SourcePoller;
import io.paperwire.ingest.poller.SourceStatus;
import io.paperwire.support.rest.RequiresApiToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/sources}: how each polled source is doing; {@code POST .../{name}/poll}: poll one now. */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private final SourcePoller poller;
    private final Completeness completeness;

    public SourceResource(SourcePoller poller, Completeness completeness) {
        this.poller = poller;
        this.completeness = completeness;
    }

    @GET
    public List<SourceStatus> list() {
        return poller.sources().keySet().stream().sorted().map(this::status).toList();
    }

    /**
     * Completeness of every source that sent documents, polled or posted: per listing day, announced, published,
     * consolidated. {@code refresh=true} recomputes it now instead of showing the last scheduled report.
     */
    @GET
    @Path("/completeness")
    public Completeness.Report completeness(@QueryParam("refresh") boolean refresh) {
        return refresh ? completeness.refresh() : completeness.report();
    }

    @GET
    @Path("/{name}")
    public SourceStatus get(@PathParam("name") String name) {
        return status(name);
    }

    private SourceStatus status(String name) {
        return poller.status(name).withCompleteness(completeness.of(name));
    }

    @POST
    @Path("/{name}/poll")
    @RequiresApiToken
    public SourceStatus pollNow(@PathParam("name") String name) throws InterruptedException {
        return poller.poll(name).withCompleteness(completeness.of(name));
    }
}
