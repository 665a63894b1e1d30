package io.paperwire.dedup.rest;

import io.paperwire.dedup.service.InvalidPaperQueryException;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.search.InvalidFilterException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where dedup's domain refusals become HTTP answers (RFC 9457 problems). */
public class DedupProblems {

    @ServerExceptionMapper
    public Response invalidFilter(InvalidFilterException e) {
        return Problem.of("invalid-filter", "Invalid search", 400, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidPaperQueryException e) {
        return switch (e.part()) {
            case SORT -> Problem.of("invalid-sort", "Invalid sort", 400, e.getMessage()).toResponse();
            case CURSOR -> Problem.of("invalid-cursor", "Invalid cursor", 400, e.getMessage()).toResponse();
        };
    }
}
