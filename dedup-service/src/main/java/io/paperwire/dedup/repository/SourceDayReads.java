package io.paperwire.dedup.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Papers consolidated per source and listing day, by the contract's ListingKey: completeness' second half. */
@ApplicationScoped
public class SourceDayReads {

    /** How many distinct papers a source listed on a day, as consolidated here. */
    public record SourceDay(String source, LocalDate day, long papers) {
    }

    private final AgroalDataSource db;

    public SourceDayReads(AgroalDataSource db) {
        this.db = db;
    }

    public List<SourceDay> since(LocalDate since) {
        // Distinct keys first, from the index in its own order (an index-only scan), then counted: count(distinct ...)
        // sorted every day's keys again and took 9-17 s of PostgreSQL over 3.5 million sightings of one day (bench
        // run 8's backfill), against 1.7 s this way.
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select listing_date, source, count(*) from (
                    select distinct listing_date, source, listing_key from sighting
                    where listing_date >= ? and listing_date is not null) as k
                group by listing_date, source order by listing_date desc, source limit 10000""")) {
            ps.setDate(1, Date.valueOf(since));
            List<SourceDay> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceDay(rs.getString(2), rs.getDate(1).toLocalDate(), rs.getLong(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the papers per source and day: " + e.getMessage(), e);
        }
    }
}
