package io.paperwire.local.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.paperwire.events.PaperSighted;
import io.paperwire.local.LocalConfig;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.StackException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consolidate scenario's floor: only the rows the design stores per sighting, written with plain batched JDBC
 * into dedup's own schema, with nothing read, decided or published. It tells how much of the gap to the bare
 * upsert is the design's storage itself (five rows and a search document where the upsert writes one) and how much
 * is dedup: a rate no implementation of the design on the same database can beat.
 */
final class DesignWritesBaseline {

    /** dedup's consumer batch (its {@code max.poll.records}), so the floor commits as often as dedup does. */
    static final int BATCH = 250;
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final LocalConfig config;
    private final PrintStream out;

    DesignWritesBaseline(LocalConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Writes the {@code n} sightings and returns sightings per second. With {@code search}, every paper that has no
     * search document yet gets one, from its stored text, as dedup's {@code indexText} makes it.
     */
    Result run(int n, IntFunction<PaperSighted> sightings, boolean search) {
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(config.postgresPort(), "paperwire_bench", "bench", password);
        String url = Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench");
        try (Connection c = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                "bench", password)) {
            freshSchema(c);
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            List<PaperSighted> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < n; i++) {
                batch.add(sightings.apply(i));
                if (batch.size() == BATCH || i == n - 1) {
                    write(c, batch, search);
                    c.commit();
                    batch.clear();
                }
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            // What it stored, for the report: the proof that the floor did the design's work and not less.
            Map<String, Long> rows = new LinkedHashMap<>();
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                for (String table : List.of("paper", "sighting", "paper_source", "paper_title", "paper_search")) {
                    try (var rs = st.executeQuery("select count(*) from " + table)) {
                        rs.next();
                        rows.put(table, rs.getLong(1));
                    }
                }
                st.execute("drop schema floor cascade");
            }
            return new Result(rate, rows);
        } catch (SQLException | IOException e) {
            throw new StackException("the design-writes baseline failed: " + e.getMessage(), e);
        }
    }

    /** Sightings per second, and the rows each table held at the end. */
    record Result(double rate, Map<String, Long> rows) {
    }

    /** dedup's tables, indexes and constraints, from its own Flyway migrations, in a schema of their own. */
    private void freshSchema(Connection c) throws SQLException, IOException {
        Path dir = config.home().resolve("dedup-service/src/main/resources/db/migration");
        if (!Files.isDirectory(dir)) {
            throw new StackException("dedup's migrations are not at " + dir + ": the baseline builds dedup's schema from them");
        }
        List<Path> migrations;
        try (var files = Files.list(dir)) {
            migrations = files.filter(f -> VERSION.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(DesignWritesBaseline::version)).toList();
        }
        try (Statement st = c.createStatement()) {
            st.execute("drop schema if exists floor cascade");
            st.execute("create schema floor");
            st.execute("set search_path to floor");
            for (Path m : migrations) {
                st.execute(Files.readString(m, StandardCharsets.UTF_8));
            }
        }
        out.println("  design-writes: dedup's schema from " + migrations.size() + " migrations");
    }

    private static int version(Path migration) {
        Matcher m = VERSION.matcher(migration.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    /** A paper as the batch leaves it: keyed by its title fingerprint (the synthetic sightings' only identity). */
    private record Paper(UUID id, PaperSighted first, int sightings, PaperSighted last) {
    }

    /** A per-source count's row key. */
    private record SourceKey(UUID paperId, String source) {
    }

    private static void write(Connection c, List<PaperSighted> batch, boolean search) throws SQLException {
        // Folded per paper and per (paper, source) first: one multi-row statement may not touch a row twice.
        Map<UUID, Paper> papers = new LinkedHashMap<>();
        Map<SourceKey, Integer> perSource = new LinkedHashMap<>();
        List<UUID> paperOf = new ArrayList<>(batch.size());
        for (PaperSighted s : batch) {
            UUID id = UUID.nameUUIDFromBytes(s.titleFingerprint().getBytes(StandardCharsets.UTF_8));
            paperOf.add(id);
            papers.merge(id, new Paper(id, s, 1, s), (a, b) -> new Paper(a.id(), a.first(), a.sightings() + 1, b.last()));
            perSource.merge(new SourceKey(id, s.source()), 1, Integer::sum);
        }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement ps = c.prepareStatement("""
                insert into paper (id, revision, title, title_fingerprint, abstract, authors, categories, first_seen_at,
                                   last_seen_at, sightings, upvotes, score, updated_at, canonical_rank, canonical_observed_at)
                values (?, 1, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, 0, 0, ?, 2, ?)
                on conflict (id) do update set revision = paper.revision + 1, sightings = paper.sightings + excluded.sightings,
                    last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at""")) {
            for (Paper p : papers.values()) {
                ps.setObject(1, p.id());
                ps.setString(2, p.first().title());
                ps.setString(3, p.first().titleFingerprint());
                ps.setString(4, p.first().abstractText());
                ps.setString(5, jsonArray(p.first().authors()));
                ps.setString(6, jsonArray(p.first().categories()));
                ps.setTimestamp(7, Timestamp.from(p.first().observedAt()));
                ps.setTimestamp(8, Timestamp.from(p.last().observedAt()));
                ps.setInt(9, p.sightings());
                ps.setTimestamp(10, now);
                ps.setTimestamp(11, Timestamp.from(p.first().observedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into sighting (event_id, paper_id, source, observed_at, title, raw_identifiers, listing_rank, upvotes, received_at)
                values (?, ?, ?, ?, ?, '[]'::jsonb, ?, ?, ?)""")) {
            for (int i = 0; i < batch.size(); i++) {
                PaperSighted s = batch.get(i);
                ps.setString(1, UUID.randomUUID().toString());
                ps.setObject(2, paperOf.get(i));
                ps.setString(3, s.source());
                ps.setTimestamp(4, Timestamp.from(s.observedAt()));
                ps.setString(5, s.title());
                ps.setObject(6, s.rank());
                ps.setObject(7, s.upvotes());
                ps.setTimestamp(8, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into paper_source as s (paper_id, source, sightings, last_seen_at) values (?, ?, ?, ?)
                on conflict (paper_id, source) do update set sightings = s.sightings + excluded.sightings,
                    last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at)""")) {
            for (Map.Entry<SourceKey, Integer> e : perSource.entrySet()) {
                ps.setObject(1, e.getKey().paperId());
                ps.setString(2, e.getKey().source());
                ps.setInt(3, e.getValue());
                ps.setTimestamp(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into paper_title (paper_id, fingerprint, title, first_seen_at, source) values (?, ?, ?, ?, ?)
                on conflict (paper_id, fingerprint) do nothing""")) {
            for (Paper p : papers.values()) {
                ps.setObject(1, p.id());
                ps.setString(2, p.first().titleFingerprint());
                ps.setString(3, p.first().title());
                ps.setTimestamp(4, Timestamp.from(p.first().observedAt()));
                ps.setString(5, p.first().source());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (search) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into paper_search (paper_id, document)
                    select id, to_tsvector('english', title || ' ' || coalesce(abstract, '')) from paper p
                    where id = any (?) and not exists (select 1 from paper_search s where s.paper_id = p.id)""")) {
                ps.setArray(1, c.createArrayOf("uuid", papers.keySet().toArray()));
                ps.executeUpdate();
            }
        }
    }

    private static String jsonArray(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "").append('"').append(JsonStringEncoder.getInstance().quoteAsString(v)).append('"');
        }
        return b.append(']').toString();
    }
}
