package io.paperwire.support.rest;

import io.paperwire.support.db.SqlStates;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every error a resource lets escape into RFC 9457 problem details, never an HTML page or a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String slug = status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return Problem.of(slug, status.getReasonPhrase(), status.getStatusCode(), e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Problem.of("invalid-request", "Invalid request", 400, detail).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (isUnavailable(e)) {
            // Not a bug: the database is down or restarting. The client should come back, and the log need not shout.
            LOG.warnf("answering 503: %s", e.getMessage());
            return Response.fromResponse(Problem.of("service-unavailable", "Service unavailable", 503,
                    "The database this service needs is not answering; try again in a few seconds.").toResponse())
                    .header("Retry-After", "5").build();
        }
        LOG.error("unhandled error", e);
        return Problem.of("internal-error", "Internal error", 500,
                "The request failed on our side; it has been logged.").toResponse();
    }

    /**
     * Whether {@code e} comes from a database that is not answering: a connection failure (SQLSTATE class 08), an
     * administrator's or crash shutdown (57P), a server out of resources (53), or no pooled connection in time.
     */
    static boolean isUnavailable(Throwable e) {
        if (SqlStates.anyOfClass(e, "08", "57P", "53")) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() == null && String.valueOf(sql.getMessage()).contains("acquisition timeout")) {
                return true;
            }
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
