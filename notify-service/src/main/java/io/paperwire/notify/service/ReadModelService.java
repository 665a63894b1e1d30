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

    /**
     * A paper was absorbed into another: forget it, and count what subscribers were sent of it as sent of the
     * survivor, so that a merge never brings a paper to a subscriber a second time.
     */
    @Transactional
    public void merged(String absorbed, String survivor) {
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
