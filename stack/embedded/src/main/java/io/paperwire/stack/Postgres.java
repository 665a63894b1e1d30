package io.paperwire.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL server from zonky's embedded binaries (Maven Central, no installation). It works as root
 * too: zonky then runs the server as {@code nobody}. The superuser {@code postgres} is trusted on loopback
 * only for provisioning; every service gets its own role with a password, so a wrong password fails as
 * it would in production.
 */
public final class Postgres implements AutoCloseable {

    private static final String HBA = """
            # written by Paperwire's stack: the provisioning superuser is trusted, everyone else needs a password
            local all postgres trust
            host  all postgres 127.0.0.1/32 trust
            host  all postgres ::1/128 trust
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres server;
    private final int port;
    private final Path dataDir;

    private Postgres(EmbeddedPostgres server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code port}. With a {@code dataDir} the data survives restarts; without one the
     * server lives in a temporary directory that {@link #close()} deletes.
     */
    public static Postgres start(Path dataDir, int port) {
        Ports.requireFree(port, "PostgreSQL", "PAPERWIRE_POSTGRES_PORT");
        try {
            Path binaries = binariesCache();
            // zonky creates its default working directory as soon as a builder exists, unless told otherwise.
            System.setProperty("ot.epg.working-dir", binaries.toString());
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky turns synchronous_commit off (and fsync): a commit is then acknowledged before its WAL is
                    // written, and a server that crashes or is shut down immediately forgets it. Paperwire's
                    // guarantees rest on a commit being kept (paperwire chaos found a merge's delete in notify's read
                    // model undone by a restart). fsync stays off: the WAL reaches the operating system at commit, which
                    // survives any crash of PostgreSQL, though not of the machine (production runs with fsync on).
                    .setServerConfig("synchronous_commit", "on")
                    // Per-statement time and rows, for 'paperwire bench' and for anyone asking where the database's
                    // time goes; its cost is a hash look-up per statement.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    // The autovacuum launcher visits each database every 10 s, not every minute: a catalogue created
                    // seconds ago and filling at thousands of rows a second otherwise ran for minutes with no
                    // statistics, and the planner read whole tables for the batches' look-ups (docs/benchmarks.md).
                    .setServerConfig("autovacuum_naptime", "10s")
                    // Binaries are unpacked once into a cache of ours rather than a fresh /tmp directory.
                    .setOverrideWorkingDirectory(binaries.toFile());
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                b.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            Postgres pg = new Postgres(b.start(), port, dataDir);
            pg.requirePasswords();
            return pg;
        } catch (IOException e) {
            throw new StackException("PostgreSQL could not be started on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where zonky unpacks the PostgreSQL binaries, once: {@code paperwire-stack.postgres-binaries} if set, else the
     * first writable of $XDG_CACHE_HOME/paperwire, ~/.cache/paperwire and a per-user directory under the temp
     * directory (service accounts often have no usable home, e.g. nobody's is /nonexistent).
     */
    static Path binariesCache() throws IOException {
        String configured = System.getProperty("paperwire-stack.postgres-binaries");
        if (configured != null) {
            return Files.createDirectories(Path.of(configured));
        }
        List<Path> candidates = new ArrayList<>();
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            candidates.add(Path.of(xdg, "paperwire", "embedded-postgres"));
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".cache", "paperwire", "embedded-postgres"));
        candidates.add(Path.of(System.getProperty("java.io.tmpdir"), "paperwire-embedded-postgres-" + System.getProperty("user.name")));
        IOException last = null;
        for (Path dir : candidates) {
            try {
                Files.createDirectories(dir);
                if (Files.isWritable(dir)) {
                    return dir;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no writable directory for the PostgreSQL binaries among " + candidates
                + " (set -Dpaperwire-stack.postgres-binaries=DIR)", last);
    }

    public int port() {
        return port;
    }

    /** The running server's postmaster, when this server keeps its data in a known directory. */
    public Optional<ProcessHandle> postmaster() {
        return dataDir == null ? Optional.empty() : postmaster(dataDir);
    }

    /**
     * The postmaster running on {@code dataDir}, read from its {@code postmaster.pid}: PostgreSQL's own record, which
     * outlives a holder process killed hard (pg_ctl starts the server detached from it).
     */
    public static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty(); // no server, or a pid file we do not understand: PostgreSQL's recovery copes
        }
    }

    /**
     * Stops a server by its postmaster: a fast shutdown (SIGINT: sessions are ended, everything committed is kept),
     * then an immediate one (SIGQUIT, recovered from the WAL at the next start) if it is not gone within {@code grace}.
     */
    public static void stopServer(ProcessHandle postmaster, Duration grace) {
        signal(postmaster.pid(), "INT");
        try {
            postmaster.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            signal(postmaster.pid(), "QUIT");
            postmaster.onExit().join();
        }
    }

    /** Sends a signal by name with the system's kill: the JDK can send only TERM and KILL. */
    public static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor();
        } catch (IOException e) {
            throw new StackException("cannot send SIG" + name + " to " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while signalling " + pid, e);
        }
    }

    public String jdbcUrl(String database) {
        return jdbcUrl(port, database);
    }

    public static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates (or updates the password of) a role and a database it owns; safe to repeat. */
    public void ensureDatabase(String database, String role, String password) {
        ensureDatabase(port, database, role, password);
    }

    /** As {@link #ensureDatabase(String, String, String)}, for a server started by another process. */
    public static void ensureDatabase(int port, String database, String role, String password) {
        requireIdentifier(database);
        requireIdentifier(role);
        try (Connection c = superuser(port, "postgres"); Statement st = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", role)) {
                st.execute("create role " + role + " login");
            }
            // ALTER ROLE cannot take a bind parameter: quote the literal ourselves (single quotes doubled).
            st.execute("alter role " + role + " password '" + password.replace("'", "''") + "'");
            if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
                st.execute("create database " + database + " owner " + role);
            }
        } catch (SQLException e) {
            throw new StackException("cannot provision database " + database + ": " + e.getMessage(), e);
        }
    }

    /** A superuser connection, for provisioning and for tests that look behind a service's back. */
    public Connection superuser(String database) throws SQLException {
        return superuser(port, database);
    }

    /** A superuser connection to a server on {@code port} (the stack's own, which trusts postgres on loopback). */
    public static Connection superuser(int port, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(port, database), "postgres", "");
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        }
    }

    private void requirePasswords() {
        try (Connection c = superuser("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("show hba_file")) {
            rs.next();
            Path hba = Path.of(rs.getString(1));
            if (!HBA.equals(Files.exists(hba) ? Files.readString(hba) : "")) {
                Files.writeString(hba, HBA);
                st.execute("select pg_reload_conf()");
            }
        } catch (SQLException | IOException e) {
            throw new StackException("cannot configure PostgreSQL authentication: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
