package io.paperwire.ingest.service;

import io.paperwire.events.identity.ListingKey;
import io.paperwire.ingest.repository.SourceDays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import io.paperwire.events.identity.PaperIdentifiers;
import io.paperwire.ingest.messaging.SightingPublisher;
import io.paperwire.ingest.messaging.SightingPublisher.OutgoingSighting;
import io.paperwire.ingest.parser.ListingParseException;
import io.paperwire.ingest.parser.ListingTooLargeException;
import io.paperwire.ingest.parser.ListingFormats;
import io.paperwire.ingest.parser.ListingParser;
import io.paperwire.ingest.parser.ParsedEntry;
import io.paperwire.ingest.parser.ParsedListing;
import io.paperwire.ingest.repository.ListingBatch;
import io.paperwire.ingest.repository.ListingBatchRepository;
import io.paperwire.ingest.repository.TitleResolutions;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a posted listing document into acknowledged sightings: parse, resolve identities, publish, record.
 * Event ids derive from (source, document key, entry), so posting the same document twice, or retrying after
 * a failure half-way, yields the same events, which dedup then counts once.
 */
@ApplicationScoped
public class ListingService {

    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    private final SightingPublisher publisher;
    private final ListingBatchRepository batches;
    private final TitleResolutions resolutions;
    private final SourceDays days;
    private final MeterRegistry metrics;
    private final Clock clock;

    public ListingService(SightingPublisher publisher, ListingBatchRepository batches, TitleResolutions resolutions, SourceDays days,
            MeterRegistry metrics, Clock clock) {
        this.days = days;
        this.resolutions = resolutions;
        this.clock = clock;
        this.publisher = publisher;
        this.batches = batches;
        this.metrics = metrics;
    }

    /** What one document yielded, with the paging facts a poller needs to fetch the next page. */
    public record IngestOutcome(ListingResult result, ParsedListing.Paging paging, int entries) {
    }

    /** A POSTed document: its media type picks the parser. */
    public ListingResult ingest(String source, String mediaType, String idempotencyKey, byte[] body) {
        ListingParser parser = ListingFormats.forMediaType(mediaType).orElseThrow(() -> new UnsupportedListingTypeException(
                "Content-Type " + mediaType + " is not a listing format this service reads; send one of "
                        + ListingFormats.supported() + "."));
        return ingestDocument(source, parser, mediaType, idempotencyKey, body).result();
    }

    /** A document read by {@code parser} (a polled source's, chosen by its kind), recorded as {@code mediaType}. */
    public IngestOutcome ingestDocument(String source, ListingParser parser, String mediaType, String idempotencyKey, byte[] body) {
        requireSourceName(source);
        String hash = sha256(body);
        String documentKey = idempotencyKey == null || idempotencyKey.isBlank() ? "sha256:" + hash : "key:" + idempotencyKey.strip();
        var previous = batches.findByDocument(source, documentKey);
        if (previous.isPresent()) {
            ListingBatch b = previous.get();
            if (!b.contentHash.equals(hash)) {
                throw new IdempotencyKeyReusedException("Idempotency-Key '" + idempotencyKey
                        + "' was used for a different document from source '" + source + "'; use a new key for a new document.");
            }
            // Nothing is published again, but a poller still needs to know where this document's pages lead:
            // an unchanged first page can point at later pages that did change.
            ParsedListing again = parse(parser, body, clock.instant());
            return new IngestOutcome(ListingResult.of(b.id, b.accepted, List.of(), true), again.paging(),
                    again.entries().size() + again.rejected().size());
        }

        Instant observedAt = clock.instant();
        ParsedListing listing = parse(parser, body, observedAt);
        List<OutgoingSighting> out = new ArrayList<>(listing.entries().size());
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>(listing.rejected());
        // Completeness: what this document announced for each listing day, and what of it is published.
        LocalDate documentDay = listing.listingDate() != null ? listing.listingDate() : LocalDate.ofInstant(observedAt, ZoneOffset.UTC);
        Map<LocalDate, Set<String>> announcedPapers = new TreeMap<>();
        Map<LocalDate, Set<String>> publishedPapers = new TreeMap<>();
        for (ParsedEntry e : listing.entries()) {
            PaperSighted event = toEvent(source, listing.kind(), observedAt, listing.listingDate(), e);
            LocalDate day = ListingKey.day(event);
            announcedPapers.computeIfAbsent(day, d -> new HashSet<>()).add(ListingKey.of(event));
            // The parsers clean and bound every field; this is the contract's own check, so that nothing a parser
            // missed can reach the topic and stop dedup (it would dead-letter it, but the sender should hear why).
            String violation = SightingLimits.violation(event);
            if (violation != null) {
                rejected.add(new ParsedListing.RejectedEntry(e.index(), violation));
                continue;
            }
            out.add(new OutgoingSighting(eventId(source, documentKey, e.index()), "/paperwire/ingest/" + source, event));
            publishedPapers.computeIfAbsent(day, d -> new HashSet<>()).add(ListingKey.of(event));
        }
        // Entries the parser could not read have no day or identity of their own: they count on the document's day.
        int unreadable = listing.rejected().size();
        if (unreadable > 0) {
            announcedPapers.computeIfAbsent(documentDay, d -> new HashSet<>());
        }
        Map<LocalDate, SourceDays.DocumentDay> documentDays = new TreeMap<>();
        announcedPapers.forEach((day, papers) -> documentDays.put(day, new SourceDays.DocumentDay(papers,
                publishedPapers.getOrDefault(day, Set.of()), day.equals(documentDay) ? unreadable : 0)));
        // Publish first, record after: a crash in between leaves no record, so the client's retry publishes
        // the same event ids again and dedup counts them once. The opposite order could lose sightings.
        publisher.publishAll(out, PUBLISH_TIMEOUT);

        ListingBatch b = new ListingBatch();
        b.id = UUID.nameUUIDFromBytes((source + "\n" + documentKey).getBytes(StandardCharsets.UTF_8));
        b.source = source;
        b.documentKey = documentKey;
        b.contentType = mediaType.split(";")[0].strip();
        b.contentHash = hash;
        b.accepted = out.size();
        b.rejected = rejected.size();
        b.receivedAt = observedAt;
        // Titles without an arXiv id or DOI are queued for the resolver in the same transaction as the record.
        Map<String, String> unidentified = new LinkedHashMap<>();
        for (OutgoingSighting s : out) {
            if (s.event().arxivId() == null && s.event().doi() == null) {
                unidentified.putIfAbsent(s.event().titleFingerprint(), s.event().title());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            batches.persist(b);
            resolutions.enqueue(unidentified, observedAt);
            days.record(source, documentDays, observedAt);
        });
        metrics.counter("paperwire.ingest.sightings.published", "source", source).increment(out.size());
        metrics.counter("paperwire.ingest.rejects", "source", source).increment(rejected.size());
        return new IngestOutcome(ListingResult.of(b.id, b.accepted, rejected, false), listing.paging(),
                listing.entries().size() + listing.rejected().size());
    }

    private static ParsedListing parse(ListingParser parser, byte[] body, Instant observedAt) {
        try {
            return parser.parse(new ByteArrayInputStream(body), LocalDate.ofInstant(observedAt, ZoneOffset.UTC));
        } catch (ListingTooLargeException e) {
            throw new UnusableListingException(UnusableListingException.Why.TOO_LARGE, e.getMessage(), e);
        } catch (ListingParseException e) {
            throw new UnusableListingException(UnusableListingException.Why.UNPARSEABLE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UnusableListingException(UnusableListingException.Why.UNREADABLE, e.getMessage(), e);
        }
    }

    public static PaperSighted toEvent(String source, PaperSighted.SourceKind kind, Instant observedAt, LocalDate listingDate,
            ParsedEntry e) {
        PaperIdentifiers ids = PaperIdentifiers.resolve(e.rawIdentifiers());
        LocalDate date = e.listingDate() != null ? e.listingDate() : listingDate;
        return new PaperSighted(source, kind, observedAt, date, e.index() + 1,
                ids.arxivId(), ids.doi(), e.titleFingerprint(), ids.rawIdentifiers(), e.title(),
                e.abstractText(), e.authors(), e.categories(), e.upvotes(), e.links(), e.keywords());
    }

    static String eventId(String source, String documentKey, int entryIndex) {
        return UUID.nameUUIDFromBytes((source + "\n" + documentKey + "\n" + entryIndex).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static void requireSourceName(String source) {
        if (source == null || !SOURCE_NAME.matcher(source).matches()) {
            throw new InvalidSourceNameException("Query parameter 'source' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
                    + "starting with a letter or digit (got " + (source == null ? "none" : "'" + source + "'") + ").");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
