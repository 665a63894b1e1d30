package io.paperwire.ingest.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The queue and cache of titles to resolve to arXiv ids ({@code title_resolution}), one row per title fingerprint.
 * A title is claimed by one resolver at a time ({@code skip locked}) and held for a while, so replicas never ask about
 * the same title at once and a resolver that dies mid-question leaves it due again.
 */
@ApplicationScoped
public class TitleResolutions {

    /** What a row holds. */
    public record Resolution(String fingerprint, String title, String state, int attempts, int failures, Instant nextAttemptAt,
            String arxivId, String lastError) {
    }

    private final AgroalDataSource db;

    public TitleResolutions(AgroalDataSource db) {
        this.db = db;
    }

    /** Queues titles (fingerprint to title) not seen before; a title already queued, resolved or given up is left as it is. */
    public void enqueue(Map<String, String> titles, Instant now) {
        if (titles.isEmpty()) {
            return;
        }
        update("""
                insert into title_resolution (fingerprint, title, next_attempt_at, updated_at)
                select f, t, ?, ? from unnest(?::text[], ?::text[]) as n(f, t)
                on conflict (fingerprint) do nothing""", c -> new Object[] {ts(now), ts(now),
                        c.createArrayOf("text", titles.keySet().toArray()), c.createArrayOf("text", titles.values().toArray())});
    }

    /** The title due longest, held until {@code holdUntil} for this resolver; empty when none is due. */
    public Optional<Resolution> claimDue(Instant now, Instant holdUntil) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                update title_resolution set next_attempt_at = ?, updated_at = ?
                where fingerprint = (select fingerprint from title_resolution
                                     where state in ('pending', 'unmatched') and next_attempt_at <= ?
                                     order by next_attempt_at, fingerprint limit 1 for update skip locked)
                returning fingerprint, title, state, attempts, failures, next_attempt_at, arxiv_id, last_error""")) {
            ps.setObject(1, ts(holdUntil));
            ps.setObject(2, ts(now));
            ps.setObject(3, ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim a title to resolve: " + e.getMessage(), e);
        }
    }

    // Each outcome is written only under the claim it answers (the title still held until the same instant, and not
    // settled): a resolver slower than its hold, whose title another replica claimed or settled meanwhile, writes nothing
    // over the newer answer.

    /** arXiv has exactly one paper of this title. Returns whether the claim still held. */
    public boolean resolved(Resolution claimed, String arxivId, Instant now) {
        return update("update title_resolution set state = 'resolved', arxiv_id = ?, attempts = attempts + 1, last_error = null,"
                + " updated_at = ? where fingerprint = ? and next_attempt_at = ? and state in ('pending', 'unmatched')",
                c -> new Object[] {arxivId, ts(now), claimed.fingerprint(), ts(claimed.nextAttemptAt())});
    }

    /** arXiv knows no paper of this title (yet): asked again at {@code next}, or never when {@code giveUp}. */
    public boolean unmatched(Resolution claimed, boolean giveUp, Instant next, Instant now) {
        return update("update title_resolution set state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = null,"
                + " updated_at = ? where fingerprint = ? and next_attempt_at = ? and state in ('pending', 'unmatched')", c -> new Object[] {giveUp ? "given-up" : "unmatched",
                        ts(next), ts(now), claimed.fingerprint(), ts(claimed.nextAttemptAt())});
    }

    /** Several arXiv papers share the title, or it has no words to ask about: never asked again, the reason kept. */
    public boolean settled(Resolution claimed, String state, String why, Instant now) {
        return update("update title_resolution set state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?"
                + " where fingerprint = ? and next_attempt_at = ? and state in ('pending', 'unmatched')",
                c -> new Object[] {state, why, ts(now), claimed.fingerprint(), ts(claimed.nextAttemptAt())});
    }

    /**
     * The question could not be asked (arXiv down, throttling, an answer that is not arXiv's): the title is due again at
     * {@code next}, or given up when {@code giveUp}; the failure is counted, not the attempt.
     */
    public boolean failed(Resolution claimed, String error, boolean giveUp, Instant next, Instant now) {
        return update("update title_resolution set state = case when ? then 'given-up' else state end, failures = failures + 1,"
                + " next_attempt_at = ?, last_error = ?, updated_at = ? where fingerprint = ? and next_attempt_at = ? and state in ('pending', 'unmatched')",
                c -> new Object[] {giveUp, ts(next), error.length() > 500 ? error.substring(0, 500) : error, ts(now), claimed.fingerprint(),
                        ts(claimed.nextAttemptAt())});
    }

    public Optional<Resolution> find(String fingerprint) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select fingerprint, title, state, attempts, failures, next_attempt_at, arxiv_id, last_error from title_resolution"
                        + " where fingerprint = ?")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a title resolution: " + e.getMessage(), e);
        }
    }

    private interface Params {
        Object[] of(Connection c) throws SQLException;
    }

    private boolean update(String sql, Params params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Object[] p = params.of(c);
            for (int i = 0; i < p.length; i++) {
                ps.setObject(i + 1, p[i]);
            }
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write title resolutions: " + e.getMessage(), e);
        }
    }

    private static Resolution row(ResultSet rs) throws SQLException {
        return new Resolution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7), rs.getString(8));
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
