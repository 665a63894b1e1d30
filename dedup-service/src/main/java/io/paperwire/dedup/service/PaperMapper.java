package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.events.PaperConsolidated;
import java.util.List;

/** Entity to wire event, explicitly: the event is the public contract and must not follow JPA changes by accident. */
final class PaperMapper {

    private PaperMapper() {
    }

    static PaperConsolidated toEvent(PaperEntity p, List<String> sources, List<String> titleAliases) {
        return new PaperConsolidated(p.id.toString(), p.revision, p.lastChange, p.arxivId, p.doi, p.title, p.titleFingerprint,
                titleAliases, p.abstractText, p.authors, p.categories, p.firstSeenAt, p.lastSeenAt, p.sightings, sources, p.upvotes,
                p.score, p.links, p.updatedAt);
    }
}
