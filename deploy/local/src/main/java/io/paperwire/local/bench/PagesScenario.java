package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.stack.Postgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code pages}: the public site under load over a read model of N papers. notify's read model is filled in SQL (what
 * {@code paper.consolidated.v1} would leave there, without waiting for a million events), then clients ask, for a fixed
 * time each, for the trending page of a day and of a month, a paper's page and a search; the baseline is a static file
 * served by the same server ({@code /assets/site.css}), asked the same way in the same run. Reported: requests per
 * second and latency percentiles of each, and each page's p99 and throughput as ratios of the baseline's.
 */
final class PagesScenario extends BenchPart {

    private static final int CLIENTS = 8;
    /** The bench's papers carry DOIs of this test prefix, by which they are found and removed. */
    private static final String DOI = "10.5555/bench-pages.";

    PagesScenario(Context context) {
        super(context);
    }

    ObjectNode measure(int papers, int seconds) throws Exception {
        String url = Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify");
        String password = secrets.getProperty("db.notify.password");
        ObjectNode report = JSON.createObjectNode();
        report.put("papers", papers).put("clients", CLIENTS).put("seconds_each", seconds);
        try (Connection c = DriverManager.getConnection(url, "notify", password)) {
            long t0 = System.nanoTime();
            fill(c, papers);
            report.put("fill_s", round((System.nanoTime() - t0) / 1e9));
            out.printf("pages: %,d papers in notify's read model in %.0f s%n", papers, (System.nanoTime() - t0) / 1e9);
            String paperId;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "select paper_id from paper_view where doi = '" + DOI + papers / 2 + "'")) {
                rs.next();
                paperId = rs.getString(1);
            }
            String base = "http://127.0.0.1:" + config.notifyPort();
            Map<String, Supplier<String>> pages = new LinkedHashMap<>();
            pages.put("static", () -> base + "/assets/site.css");
            pages.put("trending_day", () -> base + "/?period=day");
            pages.put("trending_month", () -> base + "/?period=month");
            pages.put("paper", () -> base + "/papers/" + paperId);
            pages.put("search", () -> base + "/search?q=" + URLEncoder.encode(WORDS[random.nextInt(WORDS.length)] + " "
                    + WORDS[random.nextInt(WORDS.length)], StandardCharsets.UTF_8));
            ObjectNode each = report.putObject("pages");
            for (var p : pages.entrySet()) {
                each.set(p.getKey(), load(p.getKey(), p.getValue(), seconds));
            }
            ObjectNode baseline = (ObjectNode) each.get("static");
            ObjectNode ratios = report.putObject("vs_static");
            for (var p : pages.keySet()) {
                if (!p.equals("static")) {
                    ObjectNode r = (ObjectNode) each.get(p);
                    ratios.putObject(p).put("p99_x", round(r.get("p99_ms").asDouble() / baseline.get("p99_ms").asDouble()))
                            .put("throughput_x", round(r.get("per_s").asDouble() / baseline.get("per_s").asDouble()));
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, "notify", password); Statement st = c.createStatement()) {
                st.executeUpdate("delete from paper_view where doi like '" + DOI + "%'");
            }
        }
        return report;
    }

    /**
     * N papers as the read model holds them: titles and abstracts of the bench's words (so searches find some), one to
     * three authors, a category, one or two sources, upvotes and sightings, last seen over the past 30 days.
     */
    private void fill(Connection c, int n) throws Exception {
        String[] w = WORDS;
        String words = "(array['" + String.join("','", w) + "'])";
        try (PreparedStatement ps = c.prepareStatement("""
                insert into paper_view (paper_id, revision, arxiv_id, title, abstract, authors, categories, score, upvotes, sightings,
                                        first_seen_at, last_seen_at, changed_at, doi, title_aliases, sources, links, document)
                select t.*, setweight(to_tsvector('english', t.title), 'A') || setweight(to_tsvector('english', coalesce(t.abstract, '')), 'B')
                from (select md5('bench-pages' || g)::uuid::text, 1, case when g %% 3 = 0 then null else '2611.' || lpad((g %% 100000)::text, 5, '0') end,
                       initcap(%2$s[1 + g %% %3$d] || ' ' || %2$s[1 + (g / 7) %% %3$d] || ' for ' || %2$s[1 + (g / 49) %% %3$d]
                               || ' ' || %2$s[1 + (g / 343) %% %3$d]) || ' ' || g,
                       'We study ' || %2$s[1 + (g / 11) %% %3$d] || ' and ' || %2$s[1 + (g / 13) %% %3$d] || ' in '
                               || %2$s[1 + (g / 17) %% %3$d] || ' settings, with ' || %2$s[1 + (g / 19) %% %3$d] || ' baselines.',
                       jsonb_build_array('Author ' || (g %% 5000), 'Coauthor ' || (g %% 7919)), '["cs.LG"]'::jsonb,
                       (g %% 97) / 10.0, g %% 97, 1 + g %% 3,
                       now() - ((g %% 30) || ' days')::interval - interval '1 hour', now() - ((g %% 30) || ' days')::interval,
                       now() - interval '40 days', '%1$s' || g, '[]'::jsonb,
                       case when g %% 2 = 0 then '["hf-daily", "arxiv-cs"]'::jsonb else '["arxiv-cs"]'::jsonb end, '[]'::jsonb
                from generate_series(?, ?) g) as t(paper_id, revision, arxiv_id, title, abstract, authors, categories, score,
                     upvotes, sightings, first_seen_at, last_seen_at, changed_at, doi, title_aliases, sources, links)""".formatted(DOI, words, w.length))) {
            int chunk = 50_000;
            for (int from = 0; from < n; from += chunk) {
                ps.setInt(1, from);
                ps.setInt(2, Math.min(n, from + chunk) - 1);
                ps.executeUpdate();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("analyze paper_view");
        }
    }

    /** CLIENTS clients ask for the page, one request after another each, for {@code seconds}; the first second warms up. */
    private ObjectNode load(String name, Supplier<String> page, int seconds) throws Exception {
        ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        long warm = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long end = warm + Duration.ofSeconds(seconds).toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(page.get())).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        continue;
                    }
                    if (t0 >= warm) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }, "pages-client-" + i);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        ObjectNode r = JSON.createObjectNode();
        r.put("requests", sorted.size()).put("failures", failures.get()).put("per_s", round(sorted.size() / (double) seconds))
                .put("p50_ms", round(pct(sorted, 0.50))).put("p99_ms", round(pct(sorted, 0.99)));
        out.printf("pages: %-15s %7.0f/s  p50 %6.1f ms  p99 %6.1f ms  (%d failed)%n", name, sorted.size() / (double) seconds,
                pct(sorted, 0.5), pct(sorted, 0.99), failures.get());
        return r;
    }
}
