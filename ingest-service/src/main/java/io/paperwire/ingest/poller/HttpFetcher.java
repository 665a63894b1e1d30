package io.paperwire.ingest.poller;

import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.config.SourcesConfig;
import io.paperwire.support.http.BoundedHttp;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One polite GET: conditional (ETag / Last-Modified), rate-limited per host, retried with exponential backoff
 * and jitter on 429, 5xx and time-outs, honouring Retry-After. A 304 is an answer, not an error. A source is a peer we
 * do not trust: each request has one deadline for the whole answer, the body is never held beyond the listing size
 * limit, and redirects are followed a few times and only to the source's own host or the hosts listed for it.
 */
@ApplicationScoped
public class HttpFetcher {

    private static final Logger LOG = Logger.getLogger(HttpFetcher.class);

    private final SourcesConfig.Poller config;
    private final HostRateLimiter rateLimiter;
    private final HttpClient http;

    private final int maxBytes;

    public HttpFetcher(SourcesConfig config, IngestConfig ingest, HostRateLimiter rateLimiter) {
        this.config = config.poller();
        this.rateLimiter = rateLimiter;
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE - 8, ingest.maxDocumentSize().asLongValue());
        // Redirects are followed by hand (see get): the client's own policy would follow them to any host. HTTP/1.1: the
        // client's default h2c upgrade of a plain-http request sent one poll of a source twice now and then.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What came back: 200 with a body and validators, or 304 (body null). */
    public record Fetched(int status, byte[] body, String etag, String lastModified, int attempts) {

        public boolean notModified() {
            return status == 304;
        }
    }

    /** A request that failed for good (after retries, or at once for a 4xx other than 429). */
    public static class FetchException extends IOException {

        public FetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Fetched get(URI uri, String etag, String lastModified) throws FetchException, InterruptedException {
        return get(uri, etag, lastModified, List.of());
    }

    /**
     * GETs {@code uri}, following redirects only to its own host or to {@code redirectHosts}.
     *
     * @throws FetchException when the source fails for good, answers more than the listing size limit or redirects
     *         elsewhere
     */
    public Fetched get(URI uri, String etag, String lastModified, List<String> redirectHosts)
            throws FetchException, InterruptedException {
        Exception last = null;
        String lastProblem = "";
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            rateLimiter.acquire(uri.getHost());
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                    .header("User-Agent", config.userAgent()).GET();
            if (etag != null) {
                req.header("If-None-Match", etag);
            }
            if (lastModified != null) {
                req.header("If-Modified-Since", lastModified);
            }
            Duration retryAfter = null;
            HttpResponse<byte[]> r = null;
            try {
                r = sendFollowing(req, uri, redirectHosts);
            } catch (FetchException e) {
                throw e;
            } catch (BoundedHttp.BodyTooLargeException e) {
                throw new FetchException(uri + " answered more than " + maxBytes
                        + " bytes (paperwire.ingest.max-document-size); not retried", e);
            } catch (HttpTimeoutException e) {
                last = e;
                lastProblem = "no answer from " + uri + " within " + config.requestTimeout().toSeconds() + " s";
            } catch (IOException e) {
                last = e;
                lastProblem = "cannot reach " + uri + ": " + e;
            }
            if (r != null) {
                int s = r.statusCode();
                if (s == 200 || s == 304) {
                    return new Fetched(s, s == 200 ? r.body() : null, r.headers().firstValue("ETag").orElse(null),
                            r.headers().firstValue("Last-Modified").orElse(null), attempt);
                }
                lastProblem = "HTTP " + s + " from " + uri;
                if (s != 429 && s < 500) {
                    throw new FetchException(lastProblem + " (not retried)", null);
                }
                retryAfter = retryAfter(r);
            }
            if (attempt < config.maxAttempts()) {
                Duration pause = retryAfter != null ? retryAfter : backoff(attempt);
                LOG.infof("%s; attempt %d of %d, retrying in %d ms", lastProblem, attempt, config.maxAttempts(), pause.toMillis());
                Thread.sleep(pause.toMillis());
            }
        }
        throw new FetchException(lastProblem + " (after " + config.maxAttempts() + " attempts)", last);
    }

    /** Sends, then follows up to max-redirects redirects that stay on allowed hosts; any other redirect fails. */
    private HttpResponse<byte[]> sendFollowing(HttpRequest.Builder req, URI origin, List<String> redirectHosts)
            throws IOException, InterruptedException {
        HttpRequest request = req.build();
        // One deadline for the request and all its redirects, not one per hop.
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        for (int hops = 0; ; hops++) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            HttpResponse<byte[]> r = BoundedHttp.send(http, request, maxBytes, BoundedHttp.Overflow.FAIL, left);
            int s = r.statusCode();
            if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
                return r;
            }
            String location = r.headers().firstValue("Location").orElse(null);
            if (location == null) {
                throw new FetchException("HTTP " + s + " from " + request.uri() + " without a Location", null);
            }
            URI next;
            try {
                next = request.uri().resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new FetchException("HTTP " + s + " from " + request.uri() + " to an invalid Location", e);
            }
            String host = next.getHost() == null ? "" : next.getHost().toLowerCase(Locale.ROOT);
            boolean allowed = host.equalsIgnoreCase(origin.getHost()) || redirectHosts.stream().anyMatch(host::equalsIgnoreCase);
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!allowed || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new FetchException("HTTP " + s + " from " + request.uri() + " redirects to " + host
                        + ", which is not this source's host nor one of its redirect-hosts; not followed", null);
            }
            if (scheme.equals("http") && "https".equalsIgnoreCase(request.uri().getScheme())) {
                throw new FetchException("HTTP " + s + " from " + request.uri() + " redirects from https to http; not followed", null);
            }
            if (hops >= config.maxRedirects()) {
                throw new FetchException("more than " + config.maxRedirects() + " redirects from " + origin, null);
            }
            rateLimiter.acquire(host);
            HttpRequest.Builder again = HttpRequest.newBuilder(next).timeout(left).GET();
            request.headers().map().forEach((k, vs) -> vs.forEach(v -> again.header(k, v)));
            request = again.build();
        }
    }

    /** Equal jitter: uniformly between half and all of min(max, initial * 2^(attempt-1)). */
    Duration backoff(int attempt) {
        long cap = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private Duration retryAfter(HttpResponse<?> r) {
        Optional<String> v = r.headers().firstValue("Retry-After");
        if (v.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(v.get().strip());
            return Duration.ofSeconds(Math.min(seconds, config.maxBackoff().toSeconds()));
        } catch (NumberFormatException httpDate) {
            return null; // an HTTP-date: fall back to our own backoff
        }
    }
}
