package io.paperwire.notify.service;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.repository.PaperView;
import io.paperwire.notify.repository.PaperViewRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Keeps notify-service's own picture of the papers current, and answers what is trending. */
@ApplicationScoped
public class ReadModelService {

    private final PaperViewRepository views;

    public ReadModelService(PaperViewRepository views) {
        this.views = views;
    }

    /** Applies a consolidated state; an older or repeated revision changes nothing. */
    @Transactional
    public boolean apply(PaperConsolidated state) {
        return views.upsert(state);
    }

    /** Forgets a paper that was merged into another (its survivor arrives as a state of its own). */
    @Transactional
    public void remove(String paperId) {
        views.deleteById(paperId);
    }

    @Transactional
    public List<PaperView> trending(int limit) {
        return views.trending(limit);
    }
}
