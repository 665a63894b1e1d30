package io.paperwire.notify.rest;

import io.paperwire.notify.subscription.ConfirmationNotSentException;
import io.paperwire.notify.subscription.InvalidSubscriptionException;
import io.paperwire.notify.subscription.SubscriptionNotFoundException;
import io.paperwire.notify.subscription.WebhookAlreadyRegisteredException;
import io.paperwire.notify.webhook.WebhookTargetRefusedException;
import io.paperwire.notify.webhook.WebhookVerificationException;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.search.InvalidFilterException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where notify's domain refusals become HTTP answers (RFC 9457 problems): the API's through the
 * mappers, the pages' through {@link #of(RuntimeException)}.
 */
public class NotifyProblems {

    /** The problem a domain refusal reads as, or empty for an exception that is not one (a bug, an outage). */
    static Optional<Problem> of(RuntimeException e) {
        if (e instanceof InvalidSubscriptionException) {
            return Optional.of(Problem.of("invalid-subscription", "Invalid subscription", 400, e.getMessage()));
        }
        if (e instanceof InvalidFilterException) {
            return Optional.of(Problem.of("invalid-filter", "Invalid filter", 400, e.getMessage()));
        }
        if (e instanceof WebhookTargetRefusedException) {
            return Optional.of(Problem.of("webhook-target-refused", "Webhook target refused", 400, e.getMessage()));
        }
        if (e instanceof WebhookVerificationException) {
            return Optional.of(Problem.of("webhook-verification-failed", "Webhook verification failed", 422, e.getMessage()));
        }
        if (e instanceof WebhookAlreadyRegisteredException) {
            return Optional.of(Problem.of("webhook-already-registered", "Webhook already registered", 409, e.getMessage()));
        }
        if (e instanceof SubscriptionNotFoundException) {
            return Optional.of(Problem.of("unknown-subscription", "Subscription not found", 404, e.getMessage()));
        }
        if (e instanceof ConfirmationNotSentException c) {
            return Optional.of(c.permanent()
                    ? Problem.of("mail-refused", "The address does not take mail", 422,
                            "the mail server refused the confirmation mail for this address; check the spelling")
                    : Problem.of("mail-unavailable", "Mail could not be sent", 503,
                            "the confirmation mail could not be sent just now; try again in a few minutes"));
        }
        return Optional.empty();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidSubscriptionException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response invalidFilter(InvalidFilterException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response targetRefused(WebhookTargetRefusedException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response notVerified(WebhookVerificationException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response alreadyRegistered(WebhookAlreadyRegisteredException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response notFound(SubscriptionNotFoundException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response confirmationNotSent(ConfirmationNotSentException e) {
        Response r = answer(e);
        return r.getStatus() == 503 ? Response.fromResponse(r).header("Retry-After", "300").build() : r;
    }

    private static Response answer(RuntimeException e) {
        return of(e).orElseThrow(() -> new IllegalStateException("no problem for " + e.getClass().getName(), e)).toResponse();
    }
}
