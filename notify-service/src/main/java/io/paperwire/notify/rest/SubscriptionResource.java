package io.paperwire.notify.rest;

import io.paperwire.notify.service.ClientRateLimiter;
import io.paperwire.notify.service.SubscriptionRequest;
import io.paperwire.notify.service.SubscriptionService;
import io.paperwire.support.rest.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/subscriptions}: public like the subscribe form (double opt-in is the guard), rate-limited per
 * client. An email subscription answers 202 and a confirmation mail; a webhook subscription answers 201 once its
 * challenge was answered, with the secret its deliveries are signed with.
 */
@Path("/api/v1/subscriptions")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final ClientRateLimiter limiter;
    private final ClientAddress clients;

    public SubscriptionResource(SubscriptionService subscriptions, ClientRateLimiter limiter, ClientAddress clients) {
        this.subscriptions = subscriptions;
        this.limiter = limiter;
        this.clients = clients;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response subscribe(SubscriptionRequest request, @Context HttpServerRequest http) {
        Optional<Duration> wait = limiter.acquire(clients.of(http));
        if (wait.isPresent()) {
            return tooMany(wait.get());
        }
        SubscriptionService.Subscribed done = subscriptions.subscribe(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", done.status());
        if (done.id() != null) {
            body.put("id", done.id().toString());
        }
        if (done.webhookSecret() != null) {
            body.put("secret", done.webhookSecret());
            body.put("signatureHeader", "Paperwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>");
        }
        return Response.status(done.webhookSecret() != null ? 201 : 202).entity(body).type(MediaType.APPLICATION_JSON).build();
    }

    static Response tooMany(Duration wait) {
        return Response.fromResponse(Problem.of("rate-limited", "Too many subscribe requests", 429,
                        "too many subscribe requests from this client; try again in " + wait.toMinutes() + " minutes").toResponse())
                .header("Retry-After", wait.toSeconds()).build();
    }
}
