package io.paperwire.notify.links;

import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.links.LinkSigner.Purpose;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The absolute, signed links a subscriber gets: confirm, preferences, unsubscribe (also the one-click URL), feeds. */
@ApplicationScoped
public class Links {

    private final String base;
    private final LinkSigner signer;

    public Links(NotifyConfig config, LinkSigner signer) {
        this.base = config.baseUrl().replaceAll("/+$", "");
        this.signer = signer;
    }

    /** The site's own page of a paper: every paper has one, with or without an arXiv id. */
    public String paper(String paperId) {
        return base + "/papers/" + paperId;
    }

    /** The site's home page and its trending feeds. */
    public String home() {
        return base + "/";
    }

    public String trendingFeed(String format) {
        return base + "/feeds/trending." + format;
    }

    public String confirm(UUID id) {
        return base + "/subscriptions/confirm?token=" + signer.token(id, Purpose.CONFIRM);
    }

    public String manage(UUID id) {
        return base + "/subscriptions/manage?token=" + signer.token(id, Purpose.MANAGE);
    }

    /** The manage link for programs (a webhook's owner): GET, PUT and DELETE on it, POST to /secret and /resume. */
    public String manageApi(UUID id) {
        return base + "/api/v1/subscriptions/manage?token=" + signer.token(id, Purpose.MANAGE);
    }

    /**
     * The unsubscribe link, also in every digest's {@code List-Unsubscribe}: its token can only unsubscribe, so a mail
     * forwarded or read by a link scanner hands nobody the preferences.
     */
    public String unsubscribe(UUID id) {
        return base + "/subscriptions/unsubscribe?token=" + signer.token(id, Purpose.UNSUBSCRIBE);
    }

    public String feed(UUID id, String format) {
        return base + "/feeds/" + signer.token(id, Purpose.FEED) + "." + format;
    }
}
