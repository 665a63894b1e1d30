package io.paperwire.notify.digest;

import io.paperwire.notify.links.Links;
import io.paperwire.notify.mail.MailComposer.DigestPaper;
import io.paperwire.notify.repository.DigestCandidates.Candidate;
import io.paperwire.notify.site.SitePaper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** A digest's papers as each channel shows them: cards in a mail (as on the site), the webhook body's fields. */
@ApplicationScoped
public class DigestPapers {

    private final Links links;

    public DigestPapers(Links links) {
        this.links = links;
    }

    public List<SitePaper> forMail(List<Candidate> papers) {
        return papers.stream().map(c -> SitePaper.of(c.paper())).toList();
    }

    public List<DigestPaper> forWebhook(List<Candidate> papers) {
        return papers.stream().map(this::forWebhook).toList();
    }

    /** DESIGN.md's webhook paper: the first five authors, the abstract's first 400 characters, its page and its reason. */
    DigestPaper forWebhook(Candidate c) {
        String url = c.arxivId() != null ? "https://arxiv.org/abs/" + c.arxivId() : null;
        String authors = c.authors().size() > 5 ? String.join(", ", c.authors().subList(0, 5)) + " et al."
                : String.join(", ", c.authors());
        String snippet = c.abstractText() == null ? null
                : c.abstractText().length() > 400 ? c.abstractText().substring(0, 400).strip() + "…" : c.abstractText();
        return new DigestPaper(c.paperId(), c.title(), url, authors, snippet, c.arxivId(), c.upvotes(), c.sightings(),
                links.paper(c.paperId()), SitePaper.of(c.paper()).reason());
    }
}
