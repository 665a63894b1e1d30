package io.paperwire.dedup.repository;

import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The search projection's table, {@code paper_search}: one English full-text document per paper, with the revision
 * and the hash of the text it was made from. Written only by {@code SearchProjection}, read by the papers API.
 */
@ApplicationScoped
public class SearchDocuments {

    /** The text of one published state, as the projection indexes it. */
    public record Text(UUID paperId, long revision, long textHash, String title, String abstractText) {
    }

    /** What is stored for a paper: the revision its document was made from and that text's hash. */
    public record Stored(long revision, long textHash) {
    }

    private final EntityManager em;

    public SearchDocuments(EntityManager em) {
        this.em = em;
    }

    public Map<UUID, Stored> stored(Collection<UUID> paperIds) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            Map<UUID, Stored> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select paper_id, revision, text_hash from paper_search where paper_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getObject(1, UUID.class), new Stored(rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Makes the documents of these texts, in one statement; a stored document of a later revision is kept (a state
     * read again from the topic never replaces a newer one).
     */
    public void write(List<Text> texts) {
        if (texts.isEmpty()) {
            return;
        }
        // A JDBC batch the driver rewrites into multi-row inserts: each text goes as a parameter of its own, where an
        // array parameter had the driver escape every character of every abstract into one array literal.
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into paper_search (paper_id, revision, text_hash, document) "
                    + "values (?, ?, ?, " + PaperFilter.document("?", "?") + ")"
                    + " on conflict (paper_id) do update set revision = excluded.revision, text_hash = excluded.text_hash,"
                    + " document = excluded.document where paper_search.revision < excluded.revision")) {
                for (Text t : texts) {
                    ps.setObject(1, t.paperId());
                    ps.setLong(2, t.revision());
                    ps.setLong(3, t.textHash());
                    ps.setString(4, t.title());
                    ps.setString(5, t.abstractText());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Forgets the documents of papers merged into others. */
    public void delete(Collection<UUID> paperIds) {
        if (paperIds.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from paper_search where paper_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                ps.executeUpdate();
            }
        });
    }
}
