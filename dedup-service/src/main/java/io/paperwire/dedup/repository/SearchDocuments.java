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
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into paper_search (paper_id, revision, text_hash, document) "
                    + "select u.id, u.revision, u.text_hash, " + PaperFilter.document("u.title", "u.abstract")
                    + " from unnest(?::uuid[], ?::int8[], ?::int8[], ?::text[], ?::text[]) as u(id, revision, text_hash, title, abstract)"
                    + " on conflict (paper_id) do update set revision = excluded.revision, text_hash = excluded.text_hash,"
                    + " document = excluded.document where paper_search.revision < excluded.revision")) {
                int n = texts.size();
                Object[] ids = new Object[n];
                Object[] revisions = new Object[n];
                Object[] hashes = new Object[n];
                Object[] titles = new Object[n];
                Object[] abstracts = new Object[n];
                for (int i = 0; i < n; i++) {
                    Text t = texts.get(i);
                    ids[i] = t.paperId();
                    revisions[i] = t.revision();
                    hashes[i] = t.textHash();
                    titles[i] = t.title();
                    abstracts[i] = t.abstractText();
                }
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("int8", revisions));
                ps.setArray(3, c.createArrayOf("int8", hashes));
                ps.setArray(4, c.createArrayOf("text", titles));
                ps.setArray(5, c.createArrayOf("text", abstracts));
                ps.executeUpdate();
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
