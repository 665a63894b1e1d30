package io.paperwire.notify.mail;

import io.paperwire.notify.links.Links;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.site.SitePaper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the mails a subscriber gets, HTML and text from Qute templates (the HTML ones escape every title, abstract
 * and author, so a title holding {@code <script>} arrives as text). A digest's HTML is laid out in tables with inline
 * styles, as mail clients need, with a dark scheme for those that read a style sheet; its text twin says the same. Digests carry the RFC 8058 one-click unsubscribe
 * headers and a Message-ID fixed per (subscription, period).
 */
@ApplicationScoped
public class MailComposer {

    /**
     * One paper as a webhook's digest (and the preview API) gives it: the fields of DESIGN.md's webhook body, and the
     * paper's page on the site and the reason for its place.
     */
    public record DigestPaper(String paperId, String title, String url, String authors, String snippet, String arxivId, int upvotes,
            int sightings, String pageUrl, String reason) {
    }

    private final Template confirmHtml;
    private final Template confirmTxt;
    private final Template manageHtml;
    private final Template manageTxt;
    private final Template digestHtml;
    private final Template digestTxt;
    private final Links links;

    public MailComposer(@Location("mail/confirm.html") Template confirmHtml, @Location("mail/confirm.txt") Template confirmTxt,
            @Location("mail/manage.html") Template manageHtml, @Location("mail/manage.txt") Template manageTxt,
            @Location("mail/digest.html") Template digestHtml, @Location("mail/digest.txt") Template digestTxt, Links links) {
        this.confirmHtml = confirmHtml;
        this.confirmTxt = confirmTxt;
        this.manageHtml = manageHtml;
        this.manageTxt = manageTxt;
        this.digestHtml = digestHtml;
        this.digestTxt = digestTxt;
        this.links = links;
    }

    public OutgoingMail confirmation(UUID id, String email, Frequency frequency) {
        String url = links.confirm(id);
        return new OutgoingMail(email, "Confirm your Paperwire subscription",
                confirmHtml.data("email", email).data("frequency", frequency).data("confirmUrl", url).render(),
                confirmTxt.data("email", email).data("frequency", frequency).data("confirmUrl", url).render());
    }

    /** For an address that is already subscribed: how to manage it (never a change made on a stranger's request). */
    public OutgoingMail alreadySubscribed(UUID id, String email) {
        return new OutgoingMail(email, "Your Paperwire subscription",
                manageHtml.data("email", email).data("manageUrl", links.manage(id)).data("unsubscribeUrl", links.unsubscribe(id))
                        .render(),
                manageTxt.data("email", email).data("manageUrl", links.manage(id)).data("unsubscribeUrl", links.unsubscribe(id))
                        .render());
    }

    public OutgoingMail digest(UUID id, String email, Frequency frequency, String period, List<SitePaper> papers) {
        String subject = papers.isEmpty() ? "Paperwire: nothing new for " + period
                : "Paperwire digest " + period + ": " + papers.size() + (papers.size() == 1 ? " paper" : " papers");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + links.unsubscribe(id) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("Message-ID", messageId(id, period));
        return new OutgoingMail(email, subject, render(digestHtml, id, frequency, period, papers),
                render(digestTxt, id, frequency, period, papers), headers);
    }

    /** The same (subscription, period) always has the same Message-ID, so a receiver can tell a repeat. */
    public static String messageId(UUID id, String period) {
        return "<digest." + id + "." + period + "@paperwire>";
    }

    private String render(Template t, UUID id, Frequency frequency, String period, List<SitePaper> papers) {
        return t.data("papers", papers).data("baseUrl", links.home().replaceAll("/$", "")).data("frequency", frequency).data("period", period).data("manageUrl", links.manage(id))
                .data("unsubscribeUrl", links.unsubscribe(id)).data("feedUrl", links.feed(id, "atom")).render();
    }
}
