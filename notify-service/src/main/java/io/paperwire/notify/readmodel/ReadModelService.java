package io.paperwire.notify.readmodel;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.repository.DigestJobs;
import io.paperwire.notify.repository.PaperViewRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps notify-service's own picture of the papers current, and answers what is trending. */
@ApplicationScoped
public class ReadModelService {

    private final PaperViewRepository views;
    private final DigestJobs jobs;

    public ReadModelService(PaperViewRepository views, DigestJobs jobs) {
        this.views = views;
        this.jobs = jobs;
    }

    /** One record of {@code paper.consolidated.v1}: a paper's state, its removal (tombstone), or its merge into another. */
    public record Change(PaperConsolidated state, String removed, String survivor) {
        public static Change state(PaperConsolidated state) {
            return new Change(state, null, null);
        }

        public static Change removal(String paperId) {
            return new Change(null, paperId, null);
        }

        public static Change merge(String absorbed, String survivor) {
            return new Change(null, absorbed, survivor);
        }
    }

    /**
     * Applies a batch of changes in order, in one transaction. States are collected (per paper only the highest
     * revision, which is all an upsert that never goes back would keep anyway) and written in one JDBC batch; a
     * removal or merge first writes the states collected before it, so each paper's changes keep their order.
     */
    @Transactional
    public void applyAll(List<Change> changes) {
        Map<String, PaperConsolidated> states = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.state() != null) {
                states.merge(c.state().paperId(), c.state(), (a, b) -> b.revision() > a.revision() ? b : a);
                continue;
            }
            views.upsertAll(states.values());
            states.clear();
            if (c.survivor() != null) {
                merged(c.removed(), c.survivor());
            } else {
                views.deleteById(c.removed());
            }
        }
        views.upsertAll(states.values());
    }

    /** A paper was absorbed into another: forget it, and count what was sent of it as sent of the survivor. */
    private void merged(String absorbed, String survivor) {
        views.deleteById(absorbed);
        jobs.carrySentOver(absorbed, survivor);
    }

    /** The papers trending now, best first, as the pages show them. */
    @Transactional
    public List<TrendingPaper> trending(int limit) {
        return views.trending(limit).stream().map(TrendingPaper::of).toList();
    }
}
