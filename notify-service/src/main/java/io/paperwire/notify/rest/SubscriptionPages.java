package io.paperwire.notify.rest;

import io.paperwire.notify.model.Subscription;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.subscription.ClientRateLimiter;
import io.paperwire.notify.subscription.InvalidSubscriptionException;
import io.paperwire.notify.links.LinkSigner;
import io.paperwire.notify.links.LinkSigner.Purpose;
import io.paperwire.notify.links.Links;
import io.paperwire.notify.subscription.SubscriptionRequest;
import io.paperwire.notify.subscription.SubscriptionRules;
import io.paperwire.notify.subscription.SubscriptionService;
import io.paperwire.support.rest.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The subscriber's pages, server-rendered and usable without JavaScript: subscribe (the form on {@code /}), confirm,
 * preferences and unsubscribe, reached by signed links instead of a login. Unsubscribing works from the page's button
 * and as RFC 8058 one-click: a POST to the very URL of the mail's {@code List-Unsubscribe} header.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SubscriptionPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance message(String heading, String text, boolean error, String manageUrl, String unsubscribeUrl);

        static native TemplateInstance manage(Subscription s, String token, boolean saved, String error, String keywords,
                String excludeKeywords, String authors, String categories, String unsubscribeUrl, String atomUrl, String jsonUrl);

        static native TemplateInstance unsubscribe(String target, String token);

        static native TemplateInstance confirm(String target, String token);

        static native TemplateInstance refused(SiteForm.Shown form);
    }

    private final SubscriptionService subscriptions;
    private final LinkSigner signer;
    private final Links links;
    private final ClientRateLimiter limiter;
    private final ClientAddress clients;

    public SubscriptionPages(SubscriptionService subscriptions, LinkSigner signer, Links links, ClientRateLimiter limiter,
            ClientAddress clients) {
        this.subscriptions = subscriptions;
        this.signer = signer;
        this.links = links;
        this.limiter = limiter;
        this.clients = clients;
    }

    /** The form on {@code /} with every filter; a refusal shows the form again as it was, with the reason. */
    @POST
    @Path("subscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response subscribe(@BeanParam SiteForm form, @Context HttpServerRequest http) {
        Optional<Duration> wait = limiter.acquire(clients.of(http));
        if (wait.isPresent()) {
            return page(429, Templates.message("Too many requests", "Too many subscribe requests from here; try again in "
                    + Math.max(1, wait.get().toMinutes()) + " minutes.", true, null, null));
        }
        try {
            subscriptions.subscribe(form.request());
        } catch (RuntimeException e) {
            Problem problem = NotifyProblems.of(e).orElseThrow(() -> e);
            return page(problem.status(), Templates.refused(form.shown(problem.detail())));
        }
        return page(200, Templates.message("Check your inbox", "We sent a confirmation link to " + form.email.strip()
                + ". Nothing is sent to you until you follow it.", false, null, null));
    }

    /**
     * The link in the confirmation mail opens a page whose button confirms: mail scanners that follow every link (and
     * prefetchers) make GETs, so a GET must not subscribe anybody.
     */
    @GET
    @Path("subscriptions/confirm")
    public Response confirmPage(@QueryParam("token") String token) {
        Optional<Subscription> s = signer.verify(token, Purpose.CONFIRM).flatMap(subscriptions::find);
        if (s.isEmpty()) {
            return invalidLink();
        }
        return page(200, Templates.confirm(s.get().target(), token));
    }

    @POST
    @Path("subscriptions/confirm")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response confirm(@QueryParam("token") String token) {
        Optional<Subscription> s = signer.verify(token, Purpose.CONFIRM).flatMap(subscriptions::confirm);
        if (s.isEmpty()) {
            return invalidLink();
        }
        String text = s.get().status() == SubscriptionStatus.ACTIVE ? "Your subscription is active. The first digest comes at the next send hour."
                : "This subscription is " + s.get().status().value() + ".";
        return page(200, Templates.message("Subscription confirmed", text, false, links.manage(s.get().id()), links.unsubscribe(s.get().id())));
    }

    @GET
    @Path("subscriptions/manage")
    public Response manage(@QueryParam("token") String token) {
        Optional<Subscription> s = signer.verify(token, Purpose.MANAGE).flatMap(subscriptions::find);
        return s.isEmpty() ? invalidLink() : page(200, managePage(s.get(), token, false, null));
    }

    @POST
    @Path("subscriptions/manage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@QueryParam("token") String token, @FormParam("action") String action, @FormParam("keywords") String keywords,
            @FormParam("excludeKeywords") String excludeKeywords, @FormParam("authors") String authors,
            @FormParam("categories") String categories, @FormParam("minScore") String minScore, @FormParam("frequency") String frequency,
            @FormParam("timezone") String timezone, @FormParam("sendHour") String sendHour, @FormParam("maxPapers") String maxPapers) {
        Optional<UUID> id = signer.verify(token, Purpose.MANAGE);
        if (id.isEmpty() || subscriptions.find(id.get()).isEmpty()) {
            return invalidLink();
        }
        if ("pause".equals(action) || "resume".equals(action)) {
            Optional<Subscription> s = subscriptions.pause(id.get(), "pause".equals(action));
            return s.isEmpty() ? invalidLink() : page(200, managePage(s.get(), token, true, null));
        }
        try {
            Subscription s = subscriptions.update(id.get(), new SubscriptionRequest(null, null, SubscriptionRules.split(keywords),
                    SubscriptionRules.split(excludeKeywords), SubscriptionRules.split(authors), SubscriptionRules.split(categories),
                    SiteForm.number(minScore, "minScore"), frequency, timezone, SiteForm.integer(sendHour, "sendHour"), SiteForm.integer(maxPapers, "maxPapers")));
            return page(200, managePage(s, token, true, null));
        } catch (InvalidSubscriptionException e) {
            return page(400, managePage(subscriptions.find(id.get()).orElseThrow(), token, false, e.getMessage()));
        }
    }

    @GET
    @Path("subscriptions/unsubscribe")
    public Response unsubscribePage(@QueryParam("token") String token) {
        Optional<Subscription> s = unsubscribeToken(token).flatMap(subscriptions::find);
        if (s.isEmpty()) {
            return invalidLink();
        }
        return page(200, Templates.unsubscribe(s.get().target(), token));
    }

    /** The page's button and RFC 8058 one-click ({@code List-Unsubscribe=One-Click} in the body) land here alike. */
    @POST
    @Path("subscriptions/unsubscribe")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Response unsubscribe(@QueryParam("token") String token) {
        Optional<UUID> id = unsubscribeToken(token);
        if (id.isEmpty() || !subscriptions.unsubscribe(id.get())) {
            return invalidLink();
        }
        return page(200, Templates.message("Unsubscribed", "You will get no more digests. Subscribing again takes a new confirmation.",
                false, null, null));
    }

    /** The unsubscribe link's own token, or (from the preferences page) the manage token, which may do it too. */
    private Optional<UUID> unsubscribeToken(String token) {
        Optional<UUID> id = signer.verify(token, Purpose.UNSUBSCRIBE);
        return id.isPresent() ? id : signer.verify(token, Purpose.MANAGE);
    }

    private TemplateInstance managePage(Subscription s, String token, boolean saved, String error) {
        return Templates.manage(s, token, saved, error, String.join(", ", s.keywords()), String.join(", ", s.excludeKeywords()),
                String.join(", ", s.authors()), String.join(", ", s.categories()), links.unsubscribe(s.id()), links.feed(s.id(), "atom"),
                links.feed(s.id(), "json"));
    }

    private static Response invalidLink() {
        return page(404, Templates.message("Link not valid", "This link is not valid (it may be incomplete or expired, or the subscription is gone).",
                true, null, null));
    }

    private static Response page(int status, TemplateInstance page) {
        return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
