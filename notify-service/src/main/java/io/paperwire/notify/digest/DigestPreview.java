package io.paperwire.notify.digest;

import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.mail.MailComposer.DigestPaper;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.repository.DigestCandidates;
import io.paperwire.notify.repository.DigestCandidates.Candidate;
import io.paperwire.notify.subscription.SubscriptionRequest;
import io.paperwire.notify.subscription.SubscriptionRules;
import jakarta.enterprise.context.ApplicationScoped;
import io.paperwire.notify.site.SitePaper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * "What would my digest have held": the papers the filters pick from the last period (a day, or a week), by the same
 * selection a digest makes, before anybody subscribes. Nothing is stored.
 */
@ApplicationScoped
public class DigestPreview {

    /** The filters' digest over the period before now. */
    public record Preview(Frequency frequency, Instant since, List<DigestPaper> papers) {
    }

    /** No subscription has been sent anything yet: the preview looks at every paper of the period. */
    private static final UUID NOBODY = new UUID(0, 0);

    private final DigestCandidates candidates;
    private final NotifyConfig config;
    private final Clock clock;
    private final DigestPapers shown;

    public DigestPreview(DigestCandidates candidates, NotifyConfig config, Clock clock, DigestPapers shown) {
        this.shown = shown;
        this.candidates = candidates;
        this.config = config;
        this.clock = clock;
    }

    /** A preview's papers as the site's cards, with the filters' words marked as the mail marks them. */
    public record Cards(Frequency frequency, List<SitePaper> papers) {
    }

    public Cards cards(SubscriptionRequest filters) {
        Selection s = select(filters);
        return new Cards(s.frequency(), shown.forMail(s.papers()));
    }

    public Preview of(SubscriptionRequest filters) {
        Selection s = select(filters);
        return new Preview(s.frequency(), s.since(), shown.forWebhook(s.papers()));
    }

    private record Selection(Frequency frequency, Instant since, List<Candidate> papers) {
    }

    private Selection select(SubscriptionRequest filters) {
        SubscriptionRules.Normalised f = SubscriptionRules.checkFilters(filters, config.digest().defaultMaxPapers());
        Instant since = clock.instant().minus(f.frequency().period());
        return new Selection(f.frequency(), since, candidates.select(NOBODY, false, since, f.filter(), f.maxPapers()));
    }
}
