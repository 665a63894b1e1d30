package io.paperwire.dedup.service;

import io.paperwire.events.identity.ListingKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.paperwire.dedup.ranking.TrendingScore;
import io.paperwire.dedup.repository.CatalogJdbc;
import io.paperwire.dedup.repository.CatalogJdbc.SightingRow;
import io.paperwire.dedup.repository.CatalogJdbc.TitleRow;
import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.dedup.repository.PaperLink;
import io.paperwire.dedup.repository.SourceCount;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperConsolidated.ChangeType;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The work of one batch inside its transaction. Every paper the batch may touch is loaded and locked up front
 * ({@link #preload}) into an in-memory index by arXiv id, DOI and title fingerprint, which then answers every identity
 * look-up, including those of papers this batch created and has not written. Nothing is written until the batch ends,
 * then each kind of row in one statement ({@link CatalogJdbc}): new papers, sightings and new titles appended with
 * binary COPY, changed papers (with their per-source counts) rewritten by one update. A merge is rare, so it writes
 * everything first and then moves rows in the database. The search document is not written here: it is a projection of
 * the published states ({@code search.SearchProjection}).
 */
final class BatchFold {

    /** The priority of change types when one batch changes a paper several times: the most telling one wins. */
    private static final List<ChangeType> PRIORITY = List.of(ChangeType.CREATED, ChangeType.MERGED, ChangeType.IDENTIFIERS_ADDED,
            ChangeType.REVISED, ChangeType.UPDATED);
    private static final Comparator<TitleRow> TITLE_ORDER = Comparator.comparing(TitleRow::firstSeenAt)
            .thenComparing(TitleRow::fingerprint);

    private final CatalogJdbc jdbc;
    private final Instant now;
    private final Map<String, UUID> alreadyFolded;

    /** Every paper the batch holds (loaded and locked, or created), by id; absorbed ones are removed. */
    private final Map<UUID, PaperEntity> held = new HashMap<>();
    /** Each held paper's titles (stored and new), the canonical one among them. */
    private final Map<UUID, List<TitleRow>> titles = new HashMap<>();
    private final Map<UUID, PaperEntity> touched = new LinkedHashMap<>();
    /** Papers created by this batch and not written yet: appended, fully folded, at the next write. */
    private final Map<UUID, PaperEntity> unwritten = new LinkedHashMap<>();
    /** Stored papers changed since the last write. */
    private final Map<UUID, PaperEntity> dirty = new LinkedHashMap<>();
    /**
     * What each stored paper's text, identifiers and lists were when last read or written: a paper whose are unchanged
     * is written by the narrower {@link CatalogJdbc#updateCounts}. The lists are replaced, never changed in place, so
     * holding them is holding the stored values.
     */
    private final Map<UUID, List<Object>> storedText = new HashMap<>();
    private final Map<UUID, ChangeType> changes = new HashMap<>();
    private final Set<UUID> absorbed = new HashSet<>();
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, PaperEntity> byArxiv = new HashMap<>();
    private final Map<String, PaperEntity> byDoi = new HashMap<>();
    private final Map<String, Set<PaperEntity>> byFingerprint = new HashMap<>();

    private final List<SightingRow> sightingRows = new ArrayList<>();
    private final List<TitleRow> titleRows = new ArrayList<>();

    int folded;
    int duplicates;
    int created;
    int merges;

    BatchFold(CatalogJdbc jdbc, Instant now, Map<String, UUID> alreadyFolded) {
        this.jdbc = jdbc;
        this.now = now;
        this.alreadyFolded = alreadyFolded;
    }

    /** Folds one sighting; an event id already folded (now or in an earlier batch) only re-sends its paper's state. */
    void add(String eventId, PaperSighted s) {
        UUID earlier = alreadyFolded.get(eventId);
        if (earlier != null) {
            duplicates++;
            PaperEntity paper = held.get(earlier);
            if (paper != null) {
                touched.putIfAbsent(earlier, paper);
            }
            return;
        }
        if (!eventIds.add(eventId)) {
            duplicates++;
            return;
        }
        folded++;
        List<PaperEntity> candidates = candidates(s);
        PaperEntity paper = resolve(s, candidates).orElse(null);
        boolean isNew = paper == null;
        if (isNew) {
            paper = newPaper(s);
            unwritten.put(paper.id, paper);
            held.put(paper.id, paper);
            titles.put(paper.id, new ArrayList<>());
            created++;
        }
        String arxivBefore = paper.arxivId;
        String doiBefore = paper.doi;
        String titleBefore = paper.title;
        String abstractBefore = paper.abstractText;
        List<PaperEntity> others = absorbable(s, paper, candidates);
        for (PaperEntity other : others) {
            absorb(paper, other);
        }
        fold(paper, s);
        ChangeType change = isNew ? ChangeType.CREATED
                : !others.isEmpty() ? ChangeType.MERGED
                : !Objects.equals(arxivBefore, paper.arxivId) || !Objects.equals(doiBefore, paper.doi) ? ChangeType.IDENTIFIERS_ADDED
                : !Objects.equals(titleBefore, paper.title) || !Objects.equals(abstractBefore, paper.abstractText) ? ChangeType.REVISED
                : ChangeType.UPDATED;
        changes.merge(paper.id, change, (a, b) -> PRIORITY.indexOf(a) <= PRIORITY.indexOf(b) ? a : b);
        touched.put(paper.id, paper);
        index(paper, s.titleFingerprint());
        List<TitleRow> known = titles.get(paper.id);
        if (known.stream().noneMatch(t -> t.fingerprint().equals(s.titleFingerprint()))) {
            TitleRow title = new TitleRow(paper.id, s.titleFingerprint(), s.title(), s.observedAt(), eventId, s.source());
            known.add(title);
            titleRows.add(title);
        }
        sightingRows.add(new SightingRow(eventId, paper.id, s.source(), s.observedAt(), s.arxivId(), s.doi(), s.title(),
                json(s.rawIdentifiers()), s.rank(), s.upvotes(), now, ListingKey.day(s), ListingKey.of(s)));
        paper.sourceCounts = counted(paper.sourceCounts, s);
    }

    /**
     * Loads and locks every paper the batch may touch, in one statement with their titles, and indexes them by arXiv
     * id, DOI and every title fingerprint; {@code foldedInto} are the papers of event ids folded before, whose states
     * are re-sent. With the batch's identity locks held, nobody else can add a paper under these keys, so from here on
     * the index answers every look-up of the batch and no sighting needs a query of its own.
     */
    void preload(List<PaperSighted> batch, Collection<UUID> foldedInto) {
        Set<String> arxiv = new HashSet<>();
        Set<String> dois = new HashSet<>();
        Set<String> fingerprints = new HashSet<>();
        for (PaperSighted s : batch) {
            if (s.arxivId() != null) {
                arxiv.add(s.arxivId());
            }
            if (s.doi() != null) {
                dois.add(s.doi());
            }
            fingerprints.add(s.titleFingerprint());
        }
        CatalogJdbc.LockedPapers locked = jdbc.lockPapers(arxiv, dois, fingerprints, new HashSet<>(foldedInto));
        for (PaperEntity p : locked.papers()) {
            held.put(p.id, p);
            storedText.put(p.id, text(p));
            List<TitleRow> stored = new ArrayList<>(locked.titles().getOrDefault(p.id, List.of()));
            titles.put(p.id, stored);
            index(p, p.titleFingerprint);
            for (TitleRow t : stored) {
                byFingerprint.computeIfAbsent(t.fingerprint(), f -> new LinkedHashSet<>()).add(p);
            }
        }
    }

    /** The papers that may be this sighting's, from the batch's index, oldest first. */
    private List<PaperEntity> candidates(PaperSighted s) {
        Map<UUID, PaperEntity> found = new LinkedHashMap<>();
        if (s.arxivId() != null && byArxiv.containsKey(s.arxivId())) {
            found.putIfAbsent(byArxiv.get(s.arxivId()).id, byArxiv.get(s.arxivId()));
        }
        if (s.doi() != null && byDoi.containsKey(s.doi())) {
            found.putIfAbsent(byDoi.get(s.doi()).id, byDoi.get(s.doi()));
        }
        for (PaperEntity p : byFingerprint.getOrDefault(s.titleFingerprint(), Set.of())) {
            found.putIfAbsent(p.id, p);
        }
        found.keySet().removeAll(absorbed);
        List<PaperEntity> ordered = new ArrayList<>(found.values());
        ordered.sort(Comparator.comparing((PaperEntity p) -> p.firstSeenAt).thenComparing(p -> p.id));
        return ordered;
    }

    /**
     * DESIGN.md's identity rules over the candidates: the arXiv id first, then the DOI, then any candidate (all others
     * share the title fingerprint) whose strong identifiers do not conflict, the oldest first.
     */
    static Optional<PaperEntity> resolve(PaperSighted s, List<PaperEntity> candidates) {
        if (s.arxivId() != null) {
            Optional<PaperEntity> byArxiv = candidates.stream().filter(p -> s.arxivId().equals(p.arxivId)).findFirst();
            if (byArxiv.isPresent()) {
                return byArxiv;
            }
        }
        if (s.doi() != null) {
            Optional<PaperEntity> byDoi = candidates.stream()
                    .filter(p -> s.doi().equals(p.doi) && compatible(p.arxivId, s.arxivId())).findFirst();
            if (byDoi.isPresent()) {
                return byDoi;
            }
        }
        return candidates.stream().filter(p -> compatible(p.arxivId, s.arxivId()) && compatible(p.doi, s.doi())).findFirst();
    }

    /**
     * Other records this sighting proves to be the survivor's paper: once a strong identifier ties a title (or a
     * DOI) to the survivor, a record with that title (or DOI) and no conflicting identifier is the same paper.
     */
    static List<PaperEntity> absorbable(PaperSighted s, PaperEntity survivor, List<PaperEntity> candidates) {
        if (s.arxivId() == null && s.doi() == null) {
            return List.of();
        }
        String arxiv = survivor.arxivId != null ? survivor.arxivId : s.arxivId();
        String doi = survivor.doi != null ? survivor.doi : s.doi();
        return candidates.stream()
                .filter(p -> !p.id.equals(survivor.id) && compatible(p.arxivId, arxiv) && compatible(p.doi, doi))
                .toList();
    }

    private static boolean compatible(String held, String offered) {
        return held == null || offered == null || held.equals(offered);
    }

    /** Moves everything of {@code other} onto {@code survivor} in the database, deletes it, and owes Kafka its announcement. */
    private void absorb(PaperEntity survivor, PaperEntity other) {
        merges++;
        write();
        jdbc.moveToSurvivor(other.id, survivor.id, now);
        survivor.sightings += other.sightings;
        if (other.firstSeenAt.isBefore(survivor.firstSeenAt)) {
            survivor.firstSeenAt = other.firstSeenAt;
        }
        if (other.lastSeenAt.isAfter(survivor.lastSeenAt)) {
            survivor.lastSeenAt = other.lastSeenAt;
        }
        boolean otherIsCanonical = CanonicalSource.outranks(other.canonicalRank, other.canonicalObservedAt, survivor.canonicalRank,
                survivor.canonicalObservedAt);
        takeText(survivor, otherIsCanonical, other.title, other.titleFingerprint, other.abstractText, other.authors);
        if (otherIsCanonical) {
            survivor.canonicalRank = other.canonicalRank;
            survivor.canonicalObservedAt = other.canonicalObservedAt;
        }
        survivor.categories = union(survivor.categories, other.categories);
        survivor.links = unionLinks(survivor.links, other.links);
        survivor.sourceCounts = mergedCounts(survivor.sourceCounts, other.sourceCounts);
        List<TitleRow> survivorTitles = titles.get(survivor.id);
        for (TitleRow t : titles.remove(other.id)) {
            if (survivorTitles.stream().noneMatch(k -> k.fingerprint().equals(t.fingerprint()))) {
                survivorTitles.add(new TitleRow(survivor.id, t.fingerprint(), t.title(), t.firstSeenAt(), t.eventId(), t.source()));
                byFingerprint.computeIfAbsent(t.fingerprint(), f -> new LinkedHashSet<>()).add(survivor);
            }
        }
        unindex(other);
        absorbed.add(other.id);
        held.remove(other.id);
        touched.remove(other.id);
        changes.remove(other.id);
        // Its row is gone, so its identifiers can move without tripping the unique constraints.
        if (survivor.arxivId == null) {
            survivor.arxivId = other.arxivId;
        }
        if (survivor.doi == null) {
            survivor.doi = other.doi;
        }
        changed(survivor);
    }

    private void fold(PaperEntity p, PaperSighted s) {
        changed(p);
        p.revision++;
        p.sightings++;
        if (p.arxivId == null) {
            p.arxivId = s.arxivId();
        }
        if (p.doi == null) {
            p.doi = s.doi();
        }
        int rank = CanonicalSource.rank(s);
        boolean canonical = CanonicalSource.outranks(rank, s.observedAt(), p.canonicalRank, p.canonicalObservedAt);
        takeText(p, canonical, s.title(), s.titleFingerprint(), s.abstractText(), s.authors());
        if (canonical) {
            p.canonicalRank = rank;
            p.canonicalObservedAt = s.observedAt();
        }
        p.categories = union(p.categories, s.categories());
        p.links = unionLinks(p.links, s.links() == null ? List.of()
                : s.links().stream().map(l -> new PaperLink(l.rel(), l.href())).toList());
        if (s.observedAt().isBefore(p.firstSeenAt)) {
            p.firstSeenAt = s.observedAt();
        }
        if (s.observedAt().isAfter(p.lastSeenAt)) {
            p.lastSeenAt = s.observedAt();
        }
        p.updatedAt = now;
    }

    /** The canonical source's text replaces the paper's; any other source only fills what is missing. */
    private static void takeText(PaperEntity p, boolean canonical, String title, String fingerprint, String abstractText,
            List<String> authors) {
        boolean hasAbstract = abstractText != null && !abstractText.isBlank();
        boolean hasAuthors = authors != null && !authors.isEmpty();
        if (canonical) {
            p.title = title;
            p.titleFingerprint = fingerprint;
        }
        if (hasAbstract && (canonical || p.abstractText == null)) {
            p.abstractText = abstractText;
        }
        if (hasAuthors && (canonical || p.authors.isEmpty())) {
            p.authors = new ArrayList<>(authors);
        }
    }

    /** The columns {@link CatalogJdbc#updateCounts} leaves as they are. */
    private static List<Object> text(PaperEntity p) {
        return java.util.Arrays.asList(p.arxivId, p.doi, p.title, p.titleFingerprint, p.abstractText, p.authors, p.categories, p.links,
                p.canonicalRank, p.canonicalObservedAt);
    }

    /** A stored paper's row must be rewritten at the next write (a new one is appended whole anyway). */
    private void changed(PaperEntity p) {
        if (!unwritten.containsKey(p.id)) {
            dirty.put(p.id, p);
        }
    }

    /** The per-source counts with this sighting counted, still sorted by source. */
    private static List<SourceCount> counted(List<SourceCount> counts, PaperSighted s) {
        List<SourceCount> out = new ArrayList<>(counts.size() + 1);
        boolean found = false;
        for (SourceCount c : counts) {
            if (c.source().equals(s.source())) {
                out.add(c.plus(s.upvotes(), s.observedAt()));
                found = true;
            } else {
                out.add(c);
            }
        }
        if (!found) {
            out.add(SourceCount.first(s.source(), s.upvotes(), s.observedAt()));
            out.sort(Comparator.comparing(SourceCount::source));
        }
        return out;
    }

    /** Both papers' per-source counts, source by source, sorted by source. */
    private static List<SourceCount> mergedCounts(List<SourceCount> survivor, List<SourceCount> other) {
        Map<String, SourceCount> bySource = new TreeMap<>();
        survivor.forEach(c -> bySource.put(c.source(), c));
        other.forEach(c -> bySource.merge(c.source(), c, SourceCount::merge));
        return new ArrayList<>(bySource.values());
    }

    private void index(PaperEntity p, String fingerprint) {
        if (p.arxivId != null) {
            byArxiv.put(p.arxivId, p);
        }
        if (p.doi != null) {
            byDoi.put(p.doi, p);
        }
        byFingerprint.computeIfAbsent(fingerprint, f -> new LinkedHashSet<>()).add(p);
        byFingerprint.computeIfAbsent(p.titleFingerprint, f -> new LinkedHashSet<>()).add(p);
    }

    private void unindex(PaperEntity p) {
        byArxiv.values().removeIf(p::equals);
        byDoi.values().removeIf(p::equals);
        byFingerprint.values().forEach(set -> set.remove(p));
    }

    /** Writes everything buffered so far: papers first (the rows below reference them), then titles and sightings. */
    private void write() {
        jdbc.insertPapers(unwritten.values());
        unwritten.values().forEach(p -> storedText.put(p.id, text(p)));
        unwritten.clear();
        List<PaperEntity> rewritten = new ArrayList<>();
        List<PaperEntity> counted = new ArrayList<>();
        for (PaperEntity p : dirty.values()) {
            List<Object> text = text(p);
            (text.equals(storedText.put(p.id, text)) ? counted : rewritten).add(p);
        }
        jdbc.updatePapers(rewritten);
        jdbc.updateCounts(counted);
        dirty.clear();
        jdbc.insertTitles(titleRows);
        jdbc.insertSightings(sightingRows);
        titleRows.clear();
        sightingRows.clear();
    }

    /** Finishes the batch: upvotes and scores, one write, and the state of every paper to publish. */
    List<PaperConsolidated> finish() {
        for (Map.Entry<UUID, ChangeType> change : changes.entrySet()) {
            PaperEntity p = held.get(change.getKey());
            p.upvotes = p.sourceCounts.stream().map(SourceCount::upvotes).filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
            p.score = TrendingScore.of(p.upvotes, p.sightings, p.firstSeenAt, now);
            p.lastChange = change.getValue().name();
        }
        write();
        List<PaperConsolidated> states = new ArrayList<>(touched.size());
        for (PaperEntity p : touched.values()) {
            List<String> sources = p.sourceCounts.stream().map(SourceCount::source).toList();
            List<String> aliases = titles.get(p.id).stream().filter(t -> !t.fingerprint().equals(p.titleFingerprint))
                    .sorted(TITLE_ORDER).map(TitleRow::title).toList();
            states.add(PaperMapper.toEvent(p, sources, aliases));
        }
        return states;
    }

    Set<UUID> papers() {
        return touched.keySet();
    }

    private PaperEntity newPaper(PaperSighted s) {
        PaperEntity p = new PaperEntity();
        p.id = UUID.randomUUID();
        p.revision = 0;
        p.title = s.title();
        p.titleFingerprint = s.titleFingerprint();
        p.canonicalRank = -1;
        p.canonicalObservedAt = s.observedAt();
        p.firstSeenAt = s.observedAt();
        p.lastSeenAt = s.observedAt();
        p.updatedAt = now;
        p.lastChange = ChangeType.CREATED.name();
        p.sourceCounts = List.of();
        return p;
    }

    /**
     * The categories of both, first-seen order, without repeats (the primary category stays first), at most
     * {@link SightingLimits#STATE_CATEGORIES}: the first ones seen are kept, so no paper's state grows without bound.
     */
    private static List<String> union(List<String> have, List<String> more) {
        LinkedHashSet<String> all = new LinkedHashSet<>(have);
        for (String c : more) {
            if (all.size() >= SightingLimits.STATE_CATEGORIES) {
                break;
            }
            all.add(c);
        }
        return new ArrayList<>(all);
    }

    /** The links of both by address, first seen first, at most {@link SightingLimits#STATE_LINKS}. */
    private static List<PaperLink> unionLinks(List<PaperLink> have, List<PaperLink> more) {
        List<PaperLink> links = new ArrayList<>(have);
        for (PaperLink l : more) {
            if (links.size() >= SightingLimits.STATE_LINKS) {
                break;
            }
            if (links.stream().noneMatch(h -> h.href().equals(l.href()))) {
                links.add(l);
            }
        }
        return links;
    }

    private static String json(List<String> values) {
        try {
            return PaperEventsJson.mapper().writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write identifiers as JSON", e);
        }
    }
}
