package io.paperwire.dedup.service;

import io.paperwire.events.identity.ListingKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.paperwire.dedup.ranking.TrendingScore;
import io.paperwire.dedup.repository.CatalogJdbc;
import io.paperwire.dedup.repository.CatalogJdbc.SightingRow;
import io.paperwire.dedup.repository.CatalogJdbc.SourceCount;
import io.paperwire.dedup.repository.CatalogJdbc.StoredSource;
import io.paperwire.dedup.repository.CatalogJdbc.TitleRow;
import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.dedup.repository.PaperLink;
import io.paperwire.dedup.repository.PaperRepository;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperConsolidated.ChangeType;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.UUID;

/**
 * The work of one batch inside its transaction. Every paper the batch may touch is loaded and locked up front
 * ({@link #preload}) into an in-memory index by arXiv id, DOI and title fingerprint, which then answers every identity
 * look-up, including those of papers this batch created and has not flushed. Papers are Hibernate entities flushed
 * once at the end; the high-volume rows (sighting history, per-source counts, titles) are buffered and written by
 * {@link CatalogJdbc} in one batched statement each. A merge is rare, so it flushes everything first and then moves
 * rows in the database.
 */
final class BatchFold {

    /** The priority of change types when one batch changes a paper several times: the most telling one wins. */
    private static final List<ChangeType> PRIORITY = List.of(ChangeType.CREATED, ChangeType.MERGED, ChangeType.IDENTIFIERS_ADDED,
            ChangeType.REVISED, ChangeType.UPDATED);

    private final PaperRepository papers;
    private final CatalogJdbc jdbc;
    private final EntityManager em;
    private final Instant now;
    private final Map<String, UUID> alreadyFolded;

    private final Map<UUID, PaperEntity> touched = new LinkedHashMap<>();
    /**
     * Papers created by this batch and not yet handed to Hibernate. They are persisted only when the batch flushes,
     * fully folded: Hibernate copies an entity's state when it is persisted, so a paper persisted at once and folded
     * afterwards would cost an INSERT and then an UPDATE of the same row.
     */
    private final Map<UUID, PaperEntity> unpersisted = new LinkedHashMap<>();
    private final Map<UUID, ChangeType> changes = new HashMap<>();
    private final Set<UUID> absorbed = new HashSet<>();
    /** Papers whose search document must be (re)computed: new, merged, or with a new title or abstract. */
    private final Set<UUID> textChanged = new HashSet<>();
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, PaperEntity> byArxiv = new HashMap<>();
    private final Map<String, PaperEntity> byDoi = new HashMap<>();
    private final Map<String, Set<PaperEntity>> byFingerprint = new HashMap<>();

    private final List<SightingRow> sightingRows = new ArrayList<>();
    private final Map<List<Object>, TitleRow> titleRows = new LinkedHashMap<>();
    private final Map<List<Object>, SourceCount> sourceCounts = new LinkedHashMap<>();

    int folded;
    int duplicates;
    int created;
    int merges;

    BatchFold(PaperRepository papers, CatalogJdbc jdbc, Instant now, Map<String, UUID> alreadyFolded) {
        this.papers = papers;
        this.jdbc = jdbc;
        this.em = papers.getEntityManager();
        this.now = now;
        this.alreadyFolded = alreadyFolded;
    }

    /** Folds one sighting; an event id already folded (now or in an earlier batch) only re-sends its paper's state. */
    void add(String eventId, PaperSighted s) {
        UUID earlier = alreadyFolded.get(eventId);
        if (earlier != null) {
            duplicates++;
            if (!absorbed.contains(earlier)) {
                touched.computeIfAbsent(earlier, id -> em.find(PaperEntity.class, id));
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
            unpersisted.put(paper.id, paper);
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
        if (isNew || !others.isEmpty() || !Objects.equals(titleBefore, paper.title) || !Objects.equals(abstractBefore, paper.abstractText)) {
            textChanged.add(paper.id);
        }
        touched.put(paper.id, paper);
        index(paper, s.titleFingerprint());
        titleRows.putIfAbsent(List.of(paper.id, s.titleFingerprint()),
                new TitleRow(paper.id, s.titleFingerprint(), s.title(), s.observedAt(), eventId, s.source()));
        sightingRows.add(new SightingRow(eventId, paper.id, s.source(), s.observedAt(), s.arxivId(), s.doi(), s.title(),
                json(s.rawIdentifiers()), s.rank(), s.upvotes(), now, ListingKey.day(s), ListingKey.of(s)));
        count(paper.id, s);
    }

    /**
     * Loads and locks every paper the batch may touch, in two statements, and indexes them by arXiv id, DOI and every
     * title fingerprint. With the batch's identity locks held, nobody else can add a paper under these keys, so from
     * here on the index answers every look-up of the batch and no sighting needs a query of its own.
     */
    void preload(List<PaperSighted> batch) {
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
        List<PaperEntity> found = papers.lockAll(jdbc.candidateIds(arxiv, dois, fingerprints));
        Map<UUID, List<String>> titles = jdbc.fingerprintsOf(found.stream().map(p -> p.id).toList());
        for (PaperEntity p : found) {
            index(p, p.titleFingerprint);
            for (String fp : titles.getOrDefault(p.id, List.of())) {
                byFingerprint.computeIfAbsent(fp, f -> new LinkedHashSet<>()).add(p);
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
        flush();
        papers.moveToSurvivor(other.id, survivor.id, now);
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
        String arxiv = other.arxivId;
        String doi = other.doi;
        unindex(other);
        absorbed.add(other.id);
        touched.remove(other.id);
        changes.remove(other.id);
        textChanged.remove(other.id);
        em.remove(other);
        em.flush();
        // Only now, with the absorbed row gone, can its identifiers move without tripping the unique constraints.
        if (survivor.arxivId == null) {
            survivor.arxivId = arxiv;
        }
        if (survivor.doi == null) {
            survivor.doi = doi;
        }
        for (String fingerprint : jdbc.fingerprintsOf(List.of(survivor.id)).getOrDefault(survivor.id, List.of())) {
            byFingerprint.computeIfAbsent(fingerprint, f -> new LinkedHashSet<>()).add(survivor);
        }
    }

    private void fold(PaperEntity p, PaperSighted s) {
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

    private void count(UUID paperId, PaperSighted s) {
        sourceCounts.merge(List.of(paperId, s.source()),
                new SourceCount(paperId, s.source(), 1, s.upvotes(), s.upvotes() == null ? null : s.observedAt(), s.observedAt()),
                (a, b) -> {
                    boolean bNewer = b.upvotes() != null && (a.upvotes() == null || !b.upvotesAt().isBefore(a.upvotesAt()));
                    return new SourceCount(paperId, s.source(), a.sightings() + b.sightings(), bNewer ? b.upvotes() : a.upvotes(),
                            bNewer ? b.upvotesAt() : a.upvotesAt(), a.lastSeenAt().isAfter(b.lastSeenAt()) ? a.lastSeenAt() : b.lastSeenAt());
                });
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

    /** Writes everything buffered so far: entities first (the rows below reference them), then the batched rows. */
    private void flush() {
        unpersisted.values().forEach(em::persist);
        unpersisted.clear();
        em.flush();
        jdbc.insertTitles(titleRows.values());
        jdbc.insertSightings(sightingRows);
        jdbc.upsertSourceCounts(sourceCounts.values());
        titleRows.clear();
        sightingRows.clear();
        sourceCounts.clear();
    }

    /** Finishes the batch: upvotes and scores, one flush, and the state of every paper to publish. */
    List<PaperConsolidated> finish() {
        Set<UUID> changed = changes.keySet();
        Map<UUID, Map<String, StoredSource>> stored = new HashMap<>();
        for (StoredSource s : jdbc.storedSources(changed)) {
            stored.computeIfAbsent(s.paperId(), k -> new HashMap<>()).put(s.source(), s);
        }
        for (SourceCount c : sourceCounts.values()) {
            StoredSource before = stored.computeIfAbsent(c.paperId(), k -> new HashMap<>()).get(c.source());
            boolean replaces = c.upvotes() != null && (before == null || !c.upvotesAt().isBefore(before.lastSeenAt()));
            Integer upvotes = replaces ? c.upvotes() : before == null ? null : before.upvotes();
            stored.get(c.paperId()).put(c.source(), new StoredSource(c.paperId(), c.source(), upvotes, c.lastSeenAt()));
        }
        for (UUID id : changed) {
            PaperEntity p = touched.get(id);
            p.upvotes = stored.getOrDefault(id, Map.of()).values().stream()
                    .map(StoredSource::upvotes).filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
            p.score = TrendingScore.of(p.upvotes, p.sightings, p.firstSeenAt, now);
            p.lastChange = changes.get(id).name();
        }
        flush();
        jdbc.indexText(textChanged);
        Map<UUID, List<String>> sources = jdbc.sourcesOf(touched.keySet());
        Map<UUID, List<String>> aliases = jdbc.aliasesOf(touched.keySet());
        List<PaperConsolidated> states = new ArrayList<>();
        for (PaperEntity p : touched.values()) {
            states.add(PaperMapper.toEvent(p, sources.getOrDefault(p.id, List.of()), aliases.getOrDefault(p.id, List.of())));
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
