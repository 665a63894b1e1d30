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
    public record Resolution(String fingerprint, String title, String state, int attempts, Instant nextAttemptAt, String arxivId,
            String lastError) {
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
                returning fingerprint, title, state, attempts, next_attempt_at, arxiv_id, last_error""")) {
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

    public void resolved(String fingerprint, String arxivId, Instant now) {
        update("update title_resolution set state = 'resolved', arxiv_id = ?, attempts = attempts + 1, last_error = null, updated_at = ?"
                + " where fingerprint = ?", c -> new Object[] {arxivId, ts(now), fingerprint});
    }

    /** arXiv knows no paper of this title (yet): asked again at {@code next}, or never when {@code giveUp}. */
    public void unmatched(String fingerprint, boolean giveUp, Instant next, Instant now) {
        update("update title_resolution set state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = null, updated_at = ?"
                + " where fingerprint = ?", c -> new Object[] {giveUp ? "given-up" : "unmatched", ts(next), ts(now), fingerprint});
    }

    /** The question could not be asked (arXiv down, throttling): the title is due again at {@code next}, nothing counted. */
    public void failed(String fingerprint, String error, Instant next, Instant now) {
        update("update title_resolution set next_attempt_at = ?, last_error = ?, updated_at = ? where fingerprint = ?",
                c -> new Object[] {ts(next), error.length() > 500 ? error.substring(0, 500) : error, ts(now), fingerprint});
    }

    public Optional<Resolution> find(String fingerprint) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select fingerprint, title, state, attempts, next_attempt_at, arxiv_id, last_error from title_resolution where fingerprint = ?")) {
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

    private void update(String sql, Params params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Object[] p = params.of(c);
            for (int i = 0; i < p.length; i++) {
                ps.setObject(i + 1, p[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write title resolutions: " + e.getMessage(), e);
        }
    }

    private static Resolution row(ResultSet rs) throws SQLException {
        return new Resolution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7));
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
