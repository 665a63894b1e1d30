package io.paperwire.notify.site;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.support.http.BoundedHttp;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Asks dedup's catalogue (the papers API) for what notify's read model does not hold: a paper's sightings and the
 * merges that formed it, and where a merged-away id now lives. A page must render when the catalogue is slow or down,
 * so one deadline bounds each question and its answer's size is capped; a failure reads as "not known just now".
 */
@ApplicationScoped
public class CatalogueClient {

    private static final Logger LOG = Logger.getLogger(CatalogueClient.class);
    /** A paper's answer holds its whole history; thousands of sightings fit well within this. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    /** What the catalogue knows of a paper beyond its state: each sighting, and each paper merged into it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Evidence(List<Sighting> sightingHistory, List<Merge> merges) {

        public Evidence {
            sightingHistory = sightingHistory == null ? List.of() : List.copyOf(sightingHistory);
            merges = merges == null ? List.of() : List.copyOf(merges);
        }
    }

    /** One sighting as the papers API gives it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sighting(String source, Instant observedAt, Integer rank, Integer upvotes, String title) {
    }

    /** A paper folded into this one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Merge(String paperId, Instant mergedAt) {
    }

    /** The catalogue's answer: the evidence, the id the paper was merged into, or neither (unknown, or no answer). */
    public record Answer(Optional<Evidence> evidence, Optional<UUID> mergedInto, boolean reached) {
    }

    private final NotifyConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public CatalogueClient(NotifyConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.catalogue().timeout()).build();
    }

    public Answer paper(UUID id) {
        URI uri = URI.create(config.catalogue().url().replaceAll("/+$", "") + "/api/v1/papers/" + id);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> r = BoundedHttp.send(http, request, MAX_BYTES, BoundedHttp.Overflow.FAIL, config.catalogue().timeout());
            if (r.statusCode() == 200) {
                return new Answer(Optional.of(json.readValue(r.body(), Evidence.class)), Optional.empty(), true);
            }
            if (r.statusCode() == 301) {
                Optional<UUID> survivor = r.headers().firstValue("Location").flatMap(CatalogueClient::lastSegment);
                return new Answer(Optional.empty(), survivor, true);
            }
            return new Answer(Optional.empty(), Optional.empty(), r.statusCode() == 404);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("the catalogue did not answer for paper %s: %s", id, e.toString());
            return new Answer(Optional.empty(), Optional.empty(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Optional.empty(), Optional.empty(), false);
        }
    }

    private static Optional<UUID> lastSegment(String location) {
        try {
            String path = URI.create(location).getPath();
            return Optional.of(UUID.fromString(path.substring(path.lastIndexOf('/') + 1)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
