package io.paperwire.notify.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paperwire.notify.digest.DigestPreview;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.Subscription;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.subscription.ClientRateLimiter;
import io.paperwire.notify.links.LinkSigner;
import io.paperwire.notify.links.Links;
import io.paperwire.notify.subscription.SubscriptionNotFoundException;
import io.paperwire.notify.subscription.SubscriptionRequest;
import io.paperwire.notify.subscription.SubscriptionService;
import io.paperwire.support.rest.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
    private final LinkSigner signer;
    private final Links links;
    private final DigestPreview previews;

    public SubscriptionResource(SubscriptionService subscriptions, ClientRateLimiter limiter, ClientAddress clients, LinkSigner signer,
            Links links, DigestPreview previews) {
        this.previews = previews;
        this.subscriptions = subscriptions;
        this.limiter = limiter;
        this.clients = clients;
        this.signer = signer;
        this.links = links;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response subscribe(SubscriptionRequest request, @Context HttpServerRequest http) {
        Optional<Response> limited = limited(http);
        if (limited.isPresent()) {
            return limited.get();
        }
        SubscriptionService.Subscribed done = subscriptions.subscribe(request);
        if (done.webhookSecret() == null) {
            return Response.status(202).entity(new SubscribeAnswer(done.status(), null, null, null, null, null))
                    .type(MediaType.APPLICATION_JSON).build();
        }
        // Shown once: the secret never again, and the manage link only to the webhook itself (manage-link below).
        return Response.status(201).entity(new SubscribeAnswer(done.status(), done.id().toString(), done.webhookSecret(),
                SIGNATURE_HEADER, links.manageApi(done.id()), links.manage(done.id()))).type(MediaType.APPLICATION_JSON).build();
    }

    private static final String SIGNATURE_HEADER = "Paperwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>";

    /** The answer to a subscribe request: for an address only its status; for a webhook its secret and manage links. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscribeAnswer(String status, String id, String secret, String signatureHeader, String manageUrl,
            String managePage) {
    }

    /** The answer to asking for a manage link again: the same whether or not the URL is registered. */
    public record ManageLinkAnswer(String status) {
    }

    /** A webhook's new signing secret. */
    public record RotatedSecret(String secret) {
    }

    /**
     * {@code POST /api/v1/subscriptions/preview}: what a digest with these filters would have held over the last
     * period, before subscribing (the body is a subscription's, its address or URL not needed). Rate-limited like
     * subscribing, in a bucket of its own: each preview is a query over the period's papers.
     */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response preview(SubscriptionRequest request, @Context HttpServerRequest http) {
        Optional<Response> limited = limiter.acquirePreview(clients.of(http)).map(SubscriptionResource::tooMany);
        if (limited.isPresent()) {
            return limited.get();
        }
        return Response.ok(previews.of(request)).type(MediaType.APPLICATION_JSON).build();
    }

    /** Who asks for a webhook's manage link again. */
    public record ManageLinkRequest(String webhookUrl) {
    }

    /**
     * {@code POST /api/v1/subscriptions/manage-link}: sends a webhook's manage link to the webhook itself (a signed
     * {@code manage-link} event). Always 202, whether or not the URL is registered; rate-limited like subscribing.
     */
    @POST
    @Path("manage-link")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response manageLink(ManageLinkRequest request, @Context HttpServerRequest http) {
        Optional<Response> limited = limited(http);
        if (limited.isPresent()) {
            return limited.get();
        }
        subscriptions.sendWebhookManageLink(request == null ? null : request.webhookUrl());
        return Response.accepted(new ManageLinkAnswer("sent-if-registered")).type(MediaType.APPLICATION_JSON).build();
    }

    /** A subscription as its owner sees it through the manage link. */
    public record Managed(String id, SubscriptionKind kind, String target, SubscriptionStatus status, String statusReason,
            List<String> keywords, List<String> excludeKeywords, List<String> authors, List<String> categories, double minScore,
            Frequency frequency, String timezone, int sendHour, int maxPapers, int webhookFailures) {

        static Managed of(Subscription s) {
            return new Managed(s.id().toString(), s.kind(), s.target(), s.status(), s.statusReason(), s.keywords(),
                    s.excludeKeywords(), s.authors(), s.categories(), s.minScore(), s.frequency(), s.timezone(), s.sendHour(),
                    s.maxPapers(), s.webhookFailures());
        }
    }

    @GET
    @Path("manage")
    @Produces(MediaType.APPLICATION_JSON)
    public Managed show(@QueryParam("token") String token) {
        return Managed.of(subscriptions.find(owned(token)).orElseThrow(SubscriptionResource::unknown));
    }

    /** Changes the filters and schedule; the address or URL itself never changes. */
    @PUT
    @Path("manage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Managed change(@QueryParam("token") String token, SubscriptionRequest request) {
        UUID id = owned(token);
        subscriptions.find(id).orElseThrow(SubscriptionResource::unknown);
        return Managed.of(subscriptions.update(id, request == null ? new SubscriptionRequest(null, null, null, null, null, null, null,
                null, null, null, null) : request));
    }

    @DELETE
    @Path("manage")
    public Response delete(@QueryParam("token") String token) {
        if (!subscriptions.unsubscribe(owned(token))) {
            throw unknown();
        }
        return Response.noContent().build();
    }

    /** A new signing secret for a webhook; the old one stops signing at once. */
    @POST
    @Path("manage/secret")
    @Produces(MediaType.APPLICATION_JSON)
    public RotatedSecret rotate(@QueryParam("token") String token) {
        return new RotatedSecret(subscriptions.rotateWebhookSecret(owned(token)).orElseThrow(SubscriptionResource::unknown));
    }

    /** Takes a webhook that was switched off after failing back into service, once it answers a new challenge. */
    @POST
    @Path("manage/resume")
    @Produces(MediaType.APPLICATION_JSON)
    public Managed resume(@QueryParam("token") String token) {
        return Managed.of(subscriptions.resumeWebhook(owned(token)).orElseThrow(SubscriptionResource::unknown));
    }

    private UUID owned(String token) {
        return signer.verify(token, LinkSigner.Purpose.MANAGE).orElseThrow(SubscriptionResource::unknown);
    }

    private static SubscriptionNotFoundException unknown() {
        return new SubscriptionNotFoundException("the manage token is not valid, or the subscription is gone");
    }

    /** A 429 when this client has used up its allowance of subscribe-like requests. */
    private Optional<Response> limited(HttpServerRequest http) {
        return limiter.acquire(clients.of(http)).map(SubscriptionResource::tooMany);
    }

    static Response tooMany(Duration wait) {
        return Response.fromResponse(Problem.of("rate-limited", "Too many subscribe requests", 429,
                        "too many subscribe requests from this client; try again in " + wait.toMinutes() + " minutes").toResponse())
                .header("Retry-After", wait.toSeconds()).build();
    }
}
