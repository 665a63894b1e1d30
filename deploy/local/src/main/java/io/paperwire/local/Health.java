package io.paperwire.local;

import io.paperwire.stack.Postgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Asks each part whether it is ready, the way a client of it would. */
final class Health {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private Health() {
    }

    /** "UP" when ready; otherwise a short reason ("DOWN: connection refused", "NOT READY: ..."). */
    static String check(Part part, LocalConfig c) {
        try {
            return switch (part) {
                case KAFKA -> kafka(c);
                case POSTGRES -> postgres(c);
                case SMTP -> http(c.mailApiUrl() + "/health");
                default -> http("http://127.0.0.1:" + Part.managementPort(part.port(c)) + "/q/health/ready");
            };
        } catch (Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return "DOWN: " + m.lines().findFirst().orElse(m);
        }
    }

    private static String kafka(LocalConfig c) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
            return "UP";
        }
    }

    private static String postgres(LocalConfig c) throws Exception {
        try (Connection conn = Postgres.superuser(c.postgresPort(), "postgres")) {
            return conn.isValid(2) ? "UP" : "DOWN: not answering";
        }
    }

    private static String http(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? "UP" : "NOT READY: HTTP " + r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
    }
}
