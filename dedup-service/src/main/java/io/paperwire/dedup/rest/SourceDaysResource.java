package io.paperwire.dedup.rest;

import io.paperwire.dedup.repository.SourceDayReads;
import io.paperwire.support.rest.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /api/v1/sources/days?since=YYYY-MM-DD}: distinct papers consolidated per source and listing day, for
 * ingest's completeness report (what each source announced, what ingest published, what dedup holds). At most 31 days.
 */
@Path("/api/v1/sources/days")
@Produces(MediaType.APPLICATION_JSON)
public class SourceDaysResource {

    static final int MAX_DAYS = 31;

    private final SourceDayReads reads;

    public SourceDaysResource(SourceDayReads reads) {
        this.reads = reads;
    }

    @GET
    public List<SourceDayReads.SourceDay> days(@QueryParam("since") String since) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from;
        try {
            from = since == null || since.isBlank() ? today.minusDays(6) : LocalDate.parse(since.strip());
        } catch (DateTimeParseException e) {
            throw new WebApplicationException(Problem.of("invalid-date", "Invalid date", 400,
                    "since must be a date such as " + today + ", not '" + since + "'").toResponse());
        }
        if (from.isBefore(today.minusDays(MAX_DAYS)) || from.isAfter(today.plusDays(1))) {
            throw new WebApplicationException(Problem.of("invalid-date", "Invalid date", 400,
                    "since must be within the last " + MAX_DAYS + " days (from " + today.minusDays(MAX_DAYS) + ")").toResponse());
        }
        return reads.since(from);
    }
}
