package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.StackException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Fan-out: digests/s to confirmed subscribers until every digest is finished; baseline a plain JavaMail loop. */
final class FanoutScenario extends BenchPart {

    FanoutScenario(Context context) {
        super(context);
    }

    private ObjectNode fanoutProfile;

    ObjectNode measure(int[] sizes) throws Exception {
        awaitDedupIdle();
        awaitNotifyCaughtUp();
        // A warm-up round first, not measured, for notify and for the JavaMail loop alike: the first digests after a
        // start pay for compiling the mail path, and the mail server's JVM warms up too (docs/benchmarks.md,
        // "Warm-ups", has the numbers behind its size).
        int warmup = Math.max(1, Math.min(sizes[0] / 5, 2_000));
        papersForDigests();
        out.println("fanout: warm-up, " + warmup + " digests not measured ...");
        emptyMailServer(); // what earlier runs left in it
        digestRound("w", warmup, null);
        int size = digestSize("w");
        // The mail server (a JVM of its own, with the C2 compiler) needs more mail than that to reach its steady
        // state; the raw loop is the cheapest way to send it. The server keeps every message in its heap (256 MB):
        // from here on it is emptied as the rounds go, or 10,000 digests of 17.5 KB ran it out of memory.
        emptyMailServer();
        try (MailPurger purger = new MailPurger()) {
            new SmtpRawBaseline(context).run(Math.min(sizes[0], 10_000), size, "w");
        }
        Growth growth = new Growth("subscribers");
        ObjectNode s = null;
        for (int n : sizes) {
            out.println("fanout: " + n + " confirmed subscribers, one digest each ...");
            double[] measured;
            double raw;
            // The mail server keeps every message in memory; the bench empties it as it goes, the same way for
            // notify's digests and for the baseline's messages.
            try (MailPurger purger = new MailPurger()) {
                measured = digestRound("m" + n, n, probe());
                raw = new SmtpRawBaseline(context).run(n, size, "m" + n);
            }
            int sent = (int) measured[0];
            if (sent < n) {
                throw new StackException("fanout: only " + sent + " of " + n + " digests were sent; see deploy/local/paperwire logs notify");
            }
            double rate = sent / measured[1];
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "digests/s").put("subscribers", n).put("sent", sent).put("message_bytes", size)
                    .put("warmup_subscribers", warmup);
            s.putObject("baselines").put("smtp-raw", round(raw));
            s.put("ratio_to_smtp_raw", round(rate / raw));
            s.set("profile", fanoutProfile);
            growth.add(s, n);
            out.printf("fanout: %.0f digests/s (%d sent); smtp-raw %.0f messages/s (%.2fx)%n", rate, sent, raw, rate / raw);
        }
        return growth.into(s);
    }

    /**
     * Makes sure every digest has papers to show: a few new papers posted through ingest and awaited in notify's read
     * model. Without them (a fresh stack, {@code --only fanout}) every digest was skipped as having nothing new and the
     * round measured nothing.
     */
    private void papersForDigests() throws Exception {
        String prefix = "bench-" + run + "-digest";
        int count = 20;
        postListing(hfDocument(0, count, prefix));
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify",
                secrets.getProperty("db.notify.password"));
                PreparedStatement ps = c.prepareStatement("select count(*) from paper_view where title like ?")) {
            ps.setString(1, "%(" + prefix + " %"); // titles end "(<prefix> <i>)"
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new StackException("the papers for the digests did not reach notify's read model within 120 s");
                }
                TimeUnit.MILLISECONDS.sleep(200); // polling for the read model, not synchronising a test
            }
        }
    }

    /** Empties the local mail server every few seconds while a fan-out round runs, so its heap holds only the latest. */
    private final class MailPurger implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        MailPurger() {
            timer.scheduleWithFixedDelay(FanoutScenario.this::emptyMailServer, 2, 2, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
            emptyMailServer();
        }
    }

    private void emptyMailServer() {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.mailApiPort() + "/messages")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            out.println("  (could not empty the mail server: " + e.getMessage() + ")");
        }
    }

    /**
     * One round: {@code n} confirmed subscribers (addresses {@code bench-<run>-<tag>-<i>@example.org}), a digest run,
     * and the time until every one of their digests is finished; returns {sent, seconds}. The subscribers are
     * unsubscribed afterwards, so later runs do not mail them again.
     */
    private double[] digestRound(String tag, int n, Probe probe) throws Exception {
        String notifyPassword = secrets.getProperty("db.notify.password");
        String prefix = "bench-" + run + "-" + tag + "-";
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify", notifyPassword)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into subscription (id, kind, email, status, frequency, timezone, send_hour, max_papers, created_at, confirmed_at)
                    values (?, 'email', ?, 'active', 'daily', 'UTC', 0, 5, now(), now())""")) {
                for (int i = 0; i < n; i++) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setString(2, prefix + i + "@example.org");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.notifyPort() + "/api/v1/digests/run"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new StackException("digest run answered " + r.statusCode() + ": " + r.body());
        }
        // The scheduled senders work the same queue as the run: the round ends when every one of its digests is finished.
        int sent;
        String finished = "select count(*) filter (where j.status = 'sent'), count(*) filter (where j.status in ('due', 'claimed', 'sending')) "
                + "from digest_job j join subscription s on s.id = j.subscription_id where s.email like '" + prefix + "%'";
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify", notifyPassword);
                Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                try (ResultSet rs = st.executeQuery(finished)) {
                    rs.next();
                    sent = rs.getInt(1);
                    if (rs.getInt(2) == 0 || System.nanoTime() > deadline) {
                        break;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100); // polling for the end of the run, not synchronising a test
            }
            double elapsed = seconds(t0);
            if (probe != null) {
                fanoutProfile = probe.stop("paperwire_notify");
            }
            st.executeUpdate("update subscription set status = 'unsubscribed' where email like '" + prefix + "%'");
            return new double[] {sent, elapsed};
        }
    }

    private int digestSize(String tag) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.mailApiPort()
                + "/messages?to=bench-" + run + "-" + tag + "-0@example.org")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(r.body());
        return list.isEmpty() ? 6000 : list.get(0).path("raw").asText().length();
    }
}
