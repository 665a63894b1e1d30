package io.paperwire.notify.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.support.search.PaperFilter;
import io.paperwire.support.search.TextHash;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Collection;
import org.hibernate.Session;
import java.util.List;

/** The read model's writes (monotonic by revision) and reads (trending first). */
@ApplicationScoped
public class PaperViewRepository implements PanacheRepositoryBase<PaperView, String> {

    private final ObjectMapper json;

    public PaperViewRepository(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Stores each state unless a state with the same or a higher revision is already there, with its search document,
     * which is made again only when the title or abstract changed. One statement per state,
     * so concurrent replicas and redeliveries cannot interleave a read and a write; all of them in one JDBC batch
     * (one round trip). At most one state per paper: callers keep each paper's highest revision.
     *
     * <p>The statement is planned for its own values every time, in this transaction only ({@code SET LOCAL}): the
     * generic plan PostgreSQL settles on after five executions keeps the look-up of the stored document a sequential
     * scan if it was made while {@code paper_view} was nearly empty, until the table is analyzed again (3-4x slower
     * upserts on a fresh stack). Planning every statement of the session instead made the digest path pay too.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void upsertAll(Collection<PaperConsolidated> states) {
        if (states.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (Statement local = c.createStatement()) {
                local.execute("set local plan_cache_mode = force_custom_plan");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into paper_view (paper_id, revision, arxiv_id, title, abstract, authors, categories, score,
                                            upvotes, sightings, first_seen_at, last_seen_at, doi, title_aliases, sources, links,
                                            changed_at, text_hash, document)
                    values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?, ?, cast(? as jsonb),
                            cast(? as jsonb), cast(? as jsonb), now(), ?,
                            coalesce((select cur.document from paper_view cur where cur.paper_id = ? and cur.text_hash = ?), """
                    + PaperFilter.document("?", "?") + """
                    ))
                    on conflict (paper_id) do update set
                        revision = excluded.revision, arxiv_id = excluded.arxiv_id, title = excluded.title,
                        abstract = excluded.abstract, authors = excluded.authors, categories = excluded.categories,
                        score = excluded.score, upvotes = excluded.upvotes, sightings = excluded.sightings,
                        first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, doi = excluded.doi,
                        title_aliases = excluded.title_aliases, sources = excluded.sources, links = excluded.links,
                        changed_at = now(), text_hash = excluded.text_hash, document = excluded.document
                    where paper_view.revision < excluded.revision""")) {
                for (PaperConsolidated p : states) {
                    ps.setString(1, p.paperId());
                    ps.setLong(2, p.revision());
                    ps.setString(3, p.arxivId());
                    ps.setString(4, p.title());
                    ps.setString(5, p.abstractText());
                    ps.setString(6, toJson(p.authors()));
                    ps.setString(7, toJson(p.categories()));
                    ps.setDouble(8, p.score());
                    ps.setInt(9, p.upvotes());
                    ps.setInt(10, p.sightings());
                    ps.setTimestamp(11, Timestamp.from(p.firstSeenAt()));
                    ps.setTimestamp(12, Timestamp.from(p.lastSeenAt()));
                    ps.setString(13, p.doi());
                    ps.setString(14, toJson(p.titleAliases()));
                    ps.setString(15, toJson(p.sources().stream().sorted().toList()));
                    ps.setString(16, toJson(p.links()));
                    // The document is made only when the text differs from the one the stored document was made from
                    // (COALESCE evaluates the expression only then); the stored document is the same text's otherwise.
                    long hash = TextHash.of(p.title(), p.abstractText());
                    ps.setLong(17, hash);
                    ps.setString(18, p.paperId());
                    ps.setLong(19, hash);
                    ps.setString(20, p.title());
                    ps.setString(21, p.abstractText());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    public List<PaperView> trending(int limit) {
        return findAll(Sort.by("score", Sort.Direction.Descending).and("lastSeenAt", Sort.Direction.Descending)
                .and("paperId")).page(Page.ofSize(limit)).list();
    }

    private String toJson(Object values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
