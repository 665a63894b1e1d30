package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.events.Link;
import io.paperwire.events.PaperConsolidated.ChangeType;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.SightingLimits;
import java.util.List;

/** Entity to wire event, explicitly: the event is the public contract and must not follow JPA changes by accident. */
final class PaperMapper {

    private PaperMapper() {
    }

    /**
     * The published state. Aliases and sources are capped here (the catalogue keeps them all, and the papers API shows
     * them all): a paper listed under endless titles or by endless sources must not outgrow the topic's record limit.
     */
    static PaperConsolidated toEvent(PaperEntity p, List<String> sources, List<String> titleAliases) {
        return new PaperConsolidated(p.id.toString(), p.revision, ChangeType.valueOf(p.lastChange), p.arxivId, p.doi, p.title,
                p.titleFingerprint, first(titleAliases, SightingLimits.STATE_TITLE_ALIASES), p.abstractText, p.authors, p.categories,
                p.firstSeenAt, p.lastSeenAt, p.sightings, first(sources, SightingLimits.STATE_SOURCES), p.upvotes, p.score,
                p.links.stream().map(l -> new Link(l.rel(), l.href())).toList(), p.updatedAt);
    }

    private static <T> List<T> first(List<T> values, int max) {
        return values.size() <= max ? values : values.subList(0, max);
    }
}
