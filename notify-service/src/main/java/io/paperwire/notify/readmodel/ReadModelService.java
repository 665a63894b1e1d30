package io.paperwire.notify.readmodel;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.repository.PaperView;
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

    public ReadModelService(PaperViewRepository views) {
        this.views = views;
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

    /**
     * A paper was absorbed into another: forget it, and count what subscribers were sent of it as sent of the
     * survivor, so that a merge never brings a paper to a subscriber a second time.
     */
    private void merged(String absorbed, String survivor) {
        views.deleteById(absorbed);
        var em = views.getEntityManager();
        em.createNativeQuery("""
                        insert into digest_sent (subscription_id, paper_id, period, sent_at)
                        select subscription_id, ?2, period, sent_at from digest_sent where paper_id = ?1
                        on conflict do nothing""").setParameter(1, absorbed).setParameter(2, survivor).executeUpdate();
        em.createNativeQuery("delete from digest_sent where paper_id = ?1").setParameter(1, absorbed).executeUpdate();
    }

    @Transactional
    public List<PaperView> trending(int limit) {
        return views.trending(limit);
    }
}
