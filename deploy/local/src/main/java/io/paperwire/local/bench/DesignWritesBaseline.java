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
import java.time.Instant;
import io.paperwire.support.db.BinaryCopy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consolidate scenario's floor: only the rows the design stores per sighting, written plainly (binary COPY for new
 * rows, one update over arrays for the rest) into dedup's own schema, with nothing read, decided or published. It
 * tells how much of the gap to the bare upsert is the design's storage itself (a sighting, a paper row with its
 * per-source counts and a title where the upsert writes one row) and how much is dedup: a rate no implementation of
 * the design on the same database can beat. The search projection's documents are measured the same way, apart.
 */
final class DesignWritesBaseline {

    /** dedup's consumer batch (its {@code max.poll.records}), so the floor commits as often as dedup does. */
    static final int BATCH = 250;
    /** The search projection's batch (its {@code max.poll.records}). */
    static final int SEARCH_BATCH = 100;
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private final LocalConfig config;
    private final PrintStream out;

    DesignWritesBaseline(LocalConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** What a run writes: the consolidation's rows, or the search projection's documents alone. */
    enum Work { CATALOGUE, SEARCH_DOCUMENTS }

    /**
     * Writes the {@code n} sightings' rows (or, for {@link Work#SEARCH_DOCUMENTS}, the documents of their distinct papers,
     * in the projection's batches) and returns sightings per second: for the documents, the sightings whose papers were
     * made searchable per second, so both compare with consolidation's rate.
     */
    Result run(int n, IntFunction<PaperSighted> sightings, Work work) {
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(config.postgresPort(), "paperwire_bench", "bench", password);
        String url = Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench");
        try (Connection c = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                "bench", password)) {
            freshSchema(c);
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            Map<UUID, int[]> stored = new HashMap<>();
            List<String> sourceNames = new ArrayList<>();
            Set<String> indexed = new HashSet<>();
            int batchSize = work == Work.CATALOGUE ? BATCH : SEARCH_BATCH;
            List<PaperSighted> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < n; i++) {
                PaperSighted s = sightings.apply(i);
                if (work == Work.CATALOGUE || indexed.add(s.titleFingerprint())) {
                    batch.add(s);
                }
                if (batch.size() == batchSize || (i == n - 1 && !batch.isEmpty())) {
                    if (work == Work.CATALOGUE) {
                        write(c, batch, stored, sourceNames);
                    } else {
                        writeDocuments(c, batch);
                    }
                    c.commit();
                    batch.clear();
                }
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            // What it stored, for the report: the proof that the floor did the design's work and not less.
            Map<String, Long> rows = new LinkedHashMap<>();
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                for (String table : List.of("paper", "sighting", "paper_title", "paper_search")) {
                    try (var rs = st.executeQuery("select count(*) from " + table)) {
                        rs.next();
                        rows.put(table, rs.getLong(1));
                    }
                }
                try (var rs = st.executeQuery("select coalesce(sum((c->>'sightings')::int), 0) from paper, jsonb_array_elements(source_counts) c")) {
                    rs.next();
                    rows.put("source_counts_sightings", rs.getLong(1));
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
    private record Paper(UUID id, PaperSighted first, int sightings, PaperSighted last, Map<String, Integer> perSource) {
    }

    /**
     * One batch of the consolidation's rows as the redesigned catalogue stores them (issue 21): new papers, their
     * titles and every sighting appended with binary COPY; the papers seen before rewritten by one update over arrays
     * (their counters, times and per-source counts, which live on the paper row). The ids stored so far are known here
     * without asking: nothing is read.
     */
    private static void write(Connection c, List<PaperSighted> batch, Map<UUID, int[]> stored, List<String> sourceNames)
            throws SQLException {
        Map<UUID, Paper> papers = new LinkedHashMap<>();
        List<UUID> paperOf = new ArrayList<>(batch.size());
        for (PaperSighted s : batch) {
            UUID id = UUID.nameUUIDFromBytes(s.titleFingerprint().getBytes(StandardCharsets.UTF_8));
            paperOf.add(id);
            papers.merge(id, new Paper(id, s, 1, s, new java.util.TreeMap<>(Map.of(s.source(), 1))), (a, b) -> {
                Map<String, Integer> per = new java.util.TreeMap<>(a.perSource());
                per.merge(b.first().source(), 1, Integer::sum);
                return new Paper(a.id(), a.first(), a.sightings() + 1, b.last(), per);
            });
        }
        Instant now = Instant.now();
        BinaryCopy newPapers = new BinaryCopy("paper", "id", "revision", "title", "title_fingerprint", "abstract", "authors",
                "categories", "first_seen_at", "last_seen_at", "sightings", "upvotes", "score", "updated_at", "canonical_rank",
                "canonical_observed_at", "source_counts");
        BinaryCopy titles = new BinaryCopy("paper_title", "paper_id", "fingerprint", "title", "first_seen_at", "source");
        List<Object> ids = new ArrayList<>();
        List<Object> sightings = new ArrayList<>();
        List<Object> lastSeen = new ArrayList<>();
        List<Object> countsJson = new ArrayList<>();
        for (Paper p : papers.values()) {
            // Counts per source number (sourceNames): a million papers' counts as maps did not fit the launcher's heap.
            int[] before = stored.get(p.id());
            boolean isNew = before == null;
            for (String source : p.perSource().keySet()) {
                if (!sourceNames.contains(source)) {
                    sourceNames.add(source);
                }
            }
            int[] counts = Arrays.copyOf(isNew ? new int[0] : before, sourceNames.size());
            p.perSource().forEach((source, k) -> counts[sourceNames.indexOf(source)] += k);
            stored.put(p.id(), counts);
            Map<String, Integer> per = new java.util.TreeMap<>();
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] > 0) {
                    per.put(sourceNames.get(k), counts[k]);
                }
            }
            String sourceCounts = sourceCounts(per, p.last().observedAt());
            if (isNew) {
                PaperSighted f = p.first();
                newPapers.row().uuid(p.id()).int8(1).text(f.title()).text(f.titleFingerprint()).text(f.abstractText())
                        .jsonb(jsonArray(f.authors())).jsonb(jsonArray(f.categories())).timestamptz(f.observedAt())
                        .timestamptz(p.last().observedAt()).int4(p.sightings()).int4(0).float8(0).timestamptz(now).int4(2)
                        .timestamptz(f.observedAt()).jsonb(sourceCounts);
                titles.row().uuid(p.id()).text(f.titleFingerprint()).text(f.title()).timestamptz(f.observedAt()).text(f.source());
            } else {
                ids.add(p.id());
                sightings.add(p.sightings());
                lastSeen.add(p.last().observedAt().toString());
                countsJson.add(sourceCounts);
            }
        }
        newPapers.copyTo(c);
        if (!ids.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    update paper p set revision = p.revision + 1, sightings = p.sightings + u.sightings,
                        last_seen_at = greatest(p.last_seen_at, u.last_seen_at), updated_at = now(), source_counts = u.source_counts::jsonb
                    from unnest(?::uuid[], ?::int4[], ?::timestamptz[], ?::text[]) as u(id, sightings, last_seen_at, source_counts)
                    where p.id = u.id""")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                ps.setArray(2, c.createArrayOf("int4", sightings.toArray()));
                ps.setArray(3, c.createArrayOf("timestamptz", lastSeen.toArray()));
                ps.setArray(4, c.createArrayOf("text", countsJson.toArray()));
                ps.executeUpdate();
            }
        }
        titles.copyTo(c);
        BinaryCopy rows = new BinaryCopy("sighting", "event_id", "paper_id", "source", "observed_at", "title", "raw_identifiers",
                "listing_rank", "upvotes", "received_at");
        for (int i = 0; i < batch.size(); i++) {
            PaperSighted s = batch.get(i);
            rows.row().text(UUID.randomUUID().toString()).uuid(paperOf.get(i)).text(s.source()).timestamptz(s.observedAt())
                    .text(s.title()).jsonb("[]").int4(s.rank()).int4(s.upvotes()).timestamptz(now);
        }
        rows.copyTo(c);
    }

    /**
     * The search projection's work alone: the English document of each distinct paper's text, made in batches of the
     * projection's size from the text itself, as {@code SearchDocuments} writes them.
     */
    private static void writeDocuments(Connection c, List<PaperSighted> firsts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into paper_search (paper_id, revision, text_hash, document)
                select u.id, 1, 0, setweight(to_tsvector('english', u.title), 'A') || setweight(to_tsvector('english', coalesce(u.abstract, '')), 'B')
                from unnest(?::uuid[], ?::text[], ?::text[]) as u(id, title, abstract)
                on conflict (paper_id) do update set revision = excluded.revision, document = excluded.document""")) {
            ps.setArray(1, c.createArrayOf("uuid", firsts.stream()
                    .map(s -> UUID.nameUUIDFromBytes(s.titleFingerprint().getBytes(StandardCharsets.UTF_8))).toArray()));
            ps.setArray(2, c.createArrayOf("text", firsts.stream().map(PaperSighted::title).toArray()));
            ps.setArray(3, c.createArrayOf("text", firsts.stream().map(PaperSighted::abstractText).toArray()));
            ps.executeUpdate();
        }
    }

    private static String sourceCounts(Map<String, Integer> perSource, Instant lastSeen) {
        StringBuilder b = new StringBuilder("[");
        for (Map.Entry<String, Integer> e : perSource.entrySet()) {
            b.append(b.length() > 1 ? "," : "").append("{\"source\":\"").append(JsonStringEncoder.getInstance().quoteAsString(e.getKey()))
                    .append("\",\"sightings\":").append(e.getValue()).append(",\"upvotes\":null,\"lastSeenAt\":\"").append(lastSeen)
                    .append("\"}");
        }
        return b.append(']').toString();
    }

    private static String jsonArray(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "").append('"').append(JsonStringEncoder.getInstance().quoteAsString(v)).append('"');
        }
        return b.append(']').toString();
    }
}
