package io.paperwire.notify.rest;

import io.paperwire.notify.digest.DigestPlanner;
import io.paperwire.notify.digest.DigestSender;
import io.paperwire.notify.model.Frequency;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import io.paperwire.support.rest.RequiresApiToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/v1/digests/run}: runs a digest period now, for every active subscription, and reports what it did. */
@Path("/api/v1/digests/run")
public class DigestResource {

    /** Optional body: only subscriptions of this frequency. */
    public record RunRequest(String frequency) {
    }

    /** What the run did: digests queued for this period, and what the senders then did with the queue. */
    public record RunResult(int queued, int claimed, int sent, int skipped, int failed, int retried, int resent) {
    }

    private final DigestPlanner planner;
    private final DigestSender sender;

    public DigestResource(DigestPlanner planner, DigestSender sender) {
        this.planner = planner;
        this.sender = sender;
    }

    @POST
    @RequiresApiToken
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RunResult run(RunRequest request) {
        Frequency frequency = null;
        if (request != null && request.frequency() != null) {
            frequency = Frequency.parse(request.frequency()).orElseThrow(() -> new ProblemException(Problem.of("invalid-run",
                    "Invalid digest run", 400, "\"frequency\" must be \"daily\" or \"weekly\"")));
        }
        int queued = planner.plan(true, frequency);
        if (queued < 0) {
            throw new ProblemException(Problem.of("planner-busy", "Digest planning under way", 409,
                    "another replica is planning digests right now; try again in a moment"));
        }
        DigestSender.Pass pass = sender.drain();
        return new RunResult(queued, pass.claimed(), pass.sent(), pass.skipped(), pass.failed(), pass.retried(), pass.resent());
    }
}
