package io.paperwire.notify.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.PaperConsolidated;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.util.List;

/** The read model's writes (monotonic by revision) and reads (trending first). */
@ApplicationScoped
public class PaperViewRepository implements PanacheRepositoryBase<PaperView, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Stores {@code p} unless a state with the same or a higher revision is already there; returns whether it did.
     * One statement, so concurrent replicas and redeliveries cannot interleave a read and a write.
     */
    public boolean upsert(PaperConsolidated p) {
        int rows = getEntityManager().createNativeQuery("""
                insert into paper_view (paper_id, revision, arxiv_id, title, abstract, authors, categories, score,
                                        upvotes, sightings, first_seen_at, last_seen_at, changed_at)
                values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), cast(?7 as jsonb), ?8, ?9, ?10, ?11, ?12, now())
                on conflict (paper_id) do update set
                    revision = excluded.revision, arxiv_id = excluded.arxiv_id, title = excluded.title,
                    abstract = excluded.abstract, authors = excluded.authors, categories = excluded.categories,
                    score = excluded.score, upvotes = excluded.upvotes, sightings = excluded.sightings,
                    first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, changed_at = now()
                where paper_view.revision < excluded.revision
                """)
                .setParameter(1, p.paperId())
                .setParameter(2, p.revision())
                .setParameter(3, p.arxivId())
                .setParameter(4, p.title())
                .setParameter(5, p.abstractText())
                .setParameter(6, json(p.authors()))
                .setParameter(7, json(p.categories()))
                .setParameter(8, p.score())
                .setParameter(9, p.upvotes())
                .setParameter(10, p.sightings())
                .setParameter(11, Timestamp.from(p.firstSeenAt()))
                .setParameter(12, Timestamp.from(p.lastSeenAt()))
                .executeUpdate();
        return rows == 1;
    }

    public List<PaperView> trending(int limit) {
        return findAll(Sort.by("score", Sort.Direction.Descending).and("lastSeenAt", Sort.Direction.Descending)
                .and("paperId")).page(Page.ofSize(limit)).list();
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
