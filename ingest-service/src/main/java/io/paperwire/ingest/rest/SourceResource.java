package io.paperwire.ingest.rest;

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

    public SourceResource(SourcePoller poller) {
        this.poller = poller;
    }

    @GET
    public List<SourceStatus> list() {
        return poller.sources().keySet().stream().sorted().map(poller::status).toList();
    }

    @GET
    @Path("/{name}")
    public SourceStatus get(@PathParam("name") String name) {
        return poller.status(name);
    }

    @POST
    @Path("/{name}/poll")
    @RequiresApiToken
    public SourceStatus pollNow(@PathParam("name") String name) throws InterruptedException {
        return poller.poll(name);
    }
}
