package io.paperwire.ingest.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each source announced and what ingest published, per listing day ({@code source_day}, {@code source_day_paper}):
 * the first half of completeness (dedup's papers per source and day are the second).
 */
@ApplicationScoped
public class SourceDays {

    /** One document's facts about one day: the papers it listed, those published, and entries no parser could read. */
    public record DocumentDay(Set<String> listed, Set<String> published, int unreadable) {
    }

    /** A source's day as recorded: announced = listed papers + unreadable entries; ingested = published papers. */
    public record Day(String source, LocalDate day, int announced, int ingested, int rejected, Instant updatedAt) {
    }

    private final AgroalDataSource db;

    public SourceDays(AgroalDataSource db) {
        this.db = db;
    }

    /** Records a document's days; called in the transaction that records the document. */
    public void record(String source, Map<LocalDate, DocumentDay> days, Instant now) {
        if (days.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection();
             PreparedStatement day = c.prepareStatement("""
                     insert into source_day (source, day, unreadable, updated_at) values (?, ?, ?, ?)
                     on conflict (source, day) do update set unreadable = greatest(source_day.unreadable, excluded.unreadable),
                         updated_at = excluded.updated_at""");
             PreparedStatement papers = c.prepareStatement("""
                     insert into source_day_paper (source, day, paper, published)
                     select ?, ?, p, p = any(?::text[]) from unnest(?::text[]) as n(p)
                     on conflict (source, day, paper) do update set published = source_day_paper.published or excluded.published""")) {
            for (Map.Entry<LocalDate, DocumentDay> e : days.entrySet()) {
                day.setString(1, source);
                day.setDate(2, Date.valueOf(e.getKey()));
                day.setInt(3, e.getValue().unreadable());
                day.setTimestamp(4, Timestamp.from(now));
                day.addBatch();
                papers.setString(1, source);
                papers.setDate(2, Date.valueOf(e.getKey()));
                // Sorted: two documents of one source and day upsert their rows in the same order, so they never deadlock.
                papers.setArray(3, c.createArrayOf("text", e.getValue().published().toArray()));
                papers.setArray(4, c.createArrayOf("text", new java.util.TreeSet<>(e.getValue().listed()).toArray()));
                papers.addBatch();
            }
            day.executeBatch();
            papers.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the listing days of " + source + ": " + e.getMessage(), e);
        }
    }

    /** Every source's days from {@code since} on, newest first. */
    public List<Day> since(LocalDate since) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.source, d.day, d.unreadable, d.updated_at, count(p.paper), count(p.paper) filter (where p.published)
                from source_day d left join source_day_paper p on p.source = d.source and p.day = d.day
                where d.day >= ? group by d.source, d.day, d.unreadable, d.updated_at
                order by d.day desc, d.source limit 10000""")) {
            ps.setDate(1, Date.valueOf(since));
            List<Day> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int announced = rs.getInt(5) + rs.getInt(3);
                    int ingested = rs.getInt(6);
                    out.add(new Day(rs.getString(1), rs.getDate(2).toLocalDate(), announced, ingested, announced - ingested,
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the listing days: " + e.getMessage(), e);
        }
    }

    /** Per polled source, the records its last completed harvest announced and did not deliver (source_state). */
    public Map<String, Long> harvestShortfalls() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select name, greatest(0, last_harvest_announced - last_harvest_walked) from source_state
                where last_harvest_announced is not null""")) {
            Map<String, Long> out = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the sources' harvests: " + e.getMessage(), e);
        }
    }
}
