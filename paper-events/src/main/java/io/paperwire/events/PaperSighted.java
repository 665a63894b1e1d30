package io.paperwire.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One sighting of a paper on one source's listing: the payload of {@code paper.sightings.v1}. Ingest fills it,
 * dedup folds it into a consolidated paper. Identifiers are already normalised by {@link io.paperwire.events.identity};
 * the raw strings they came from travel in {@code rawIdentifiers} as evidence.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaperSighted(
        String source,
        SourceKind sourceKind,
        Instant observedAt,
        LocalDate listingDate,
        Integer rank,
        String arxivId,
        String doi,
        String titleFingerprint,
        List<String> rawIdentifiers,
        String title,
        @JsonProperty("abstract") String abstractText,
        List<String> authors,
        List<String> categories,
        Integer upvotes,
        List<Link> links,
        List<String> keywords) {

    public PaperSighted {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(titleFingerprint, "titleFingerprint");
        Objects.requireNonNull(title, "title");
        rawIdentifiers = rawIdentifiers == null ? List.of() : List.copyOf(rawIdentifiers);
        authors = authors == null ? List.of() : List.copyOf(authors);
        categories = categories == null ? List.of() : List.copyOf(categories);
        links = links == null ? List.of() : List.copyOf(links);
        // Optional and additive: absent (null) when the source gives none, so older readers see no change.
        keywords = keywords == null ? null : List.copyOf(keywords);
    }

    /** What kind of document the sighting came from. */
    public enum SourceKind {
        @JsonProperty("listing-text") LISTING_TEXT,
        @JsonProperty("hf-daily-papers") HF_DAILY_PAPERS,
        @JsonProperty("arxiv-api") ARXIV_API,
        @JsonProperty("arxiv-feed") ARXIV_FEED,
        @JsonProperty("arxiv-oai") ARXIV_OAI
    }
}
