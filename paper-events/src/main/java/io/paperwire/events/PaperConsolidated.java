package io.paperwire.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The whole current state of one paper: the payload of the compacted {@code paper.consolidated.v1}. Each event
 * replaces the previous one for the same {@code paperId}; {@code revision} grows by one per change so that a
 * consumer can drop an older state that arrives late.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaperConsolidated(
        String paperId,
        long revision,
        ChangeType changeType,
        String arxivId,
        String doi,
        String title,
        String titleFingerprint,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> titleAliases,
        @JsonProperty("abstract") String abstractText,
        List<String> authors,
        List<String> categories,
        Instant firstSeenAt,
        Instant lastSeenAt,
        int sightings,
        List<String> sources,
        int upvotes,
        double score,
        List<Link> links,
        Instant updatedAt) {

    public PaperConsolidated {
        Objects.requireNonNull(paperId, "paperId");
        Objects.requireNonNull(changeType, "changeType");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(titleFingerprint, "titleFingerprint");
        Objects.requireNonNull(firstSeenAt, "firstSeenAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        titleAliases = titleAliases == null ? List.of() : List.copyOf(titleAliases);
        authors = authors == null ? List.of() : List.copyOf(authors);
        categories = categories == null ? List.of() : List.copyOf(categories);
        sources = sources == null ? List.of() : List.copyOf(sources);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** What the change that produced this revision was. */
    public enum ChangeType {
        /** The paper's first sighting. */
        @JsonProperty("created") CREATED,
        /** More sightings, sources or upvotes; identity and text unchanged. */
        @JsonProperty("updated") UPDATED,
        /** An arXiv id or DOI was attached (a title-only record gained a strong identifier). */
        @JsonProperty("identifiers-added") IDENTIFIERS_ADDED,
        /** Another record was folded into this one (the other id gets a tombstone). */
        @JsonProperty("merged") MERGED,
        /** The canonical title or abstract changed (a new version, a richer source). */
        @JsonProperty("revised") REVISED
    }
}
