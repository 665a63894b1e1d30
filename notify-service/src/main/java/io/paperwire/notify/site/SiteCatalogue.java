package io.paperwire.notify.site;

import io.paperwire.notify.repository.PaperRow;
import io.paperwire.notify.repository.SitePaperReads;
import io.paperwire.notify.site.CatalogueClient.Evidence;
import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What the public pages show: a period's papers, a search's answers, one paper with its evidence. */
@ApplicationScoped
public class SiteCatalogue {

    public static final int PAGE_SIZE = 30;
    /** Pages deeper than this are refused: offsets cost their whole length, and nobody reads page 40 of a day. */
    public static final int MAX_PAGE = 34;
    /** Papers of a period counted at most: beyond, the page says "more than" (a month may hold a million). */
    public static final int COUNTED = 1000;

    /** One page of a period's papers, and where the neighbouring periods are (no next one in the future). */
    public record PeriodPage(Period period, LocalDate date, String label, List<SitePaper> papers, long total, int page,
            boolean more, LocalDate previous, LocalDate next) {

        public int firstRank() {
            return (page - 1) * PAGE_SIZE + 1;
        }

        /** More papers were seen than are counted. */
        public boolean capped() {
            return total > COUNTED;
        }
    }

    /** One page of a search's answers. */
    public record SearchPage(String query, PaperFilter filter, List<SitePaper> papers, long total, int page, boolean more) {

        /** More papers match than are ranked (only the most trending are). */
        public boolean capped() {
            return total > SitePaperReads.CANDIDATES;
        }

        /** The address of the next page of answers. */
        public String nextHref() {
            return "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&page=" + (page + 1);
        }

        public int firstRank() {
            return (page - 1) * PAGE_SIZE + 1;
        }
    }

    /** A paper, what the catalogue told of it (empty when it did not answer in time), and its chart. */
    public record PaperPage(SitePaper paper, Optional<Evidence> evidence, String chart) {
    }

    /** A paper id's fate: here, merged into another, or unknown. */
    public sealed interface Lookup {
        record Found(PaperPage page) implements Lookup {
        }

        record Moved(UUID survivor) implements Lookup {
        }

        record Unknown() implements Lookup {
        }

        /** Not in the read model, and the catalogue that would know whether it was merged did not answer. */
        record Unreachable() implements Lookup {
        }
    }

    private final SitePaperReads reads;
    private final CatalogueClient catalogue;
    private final Clock clock;

    public SiteCatalogue(SitePaperReads reads, CatalogueClient catalogue, Clock clock) {
        this.reads = reads;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** The papers of the period holding {@code date}; without a date, of the latest period in which papers were seen. */
    public PeriodPage period(Period period, Optional<LocalDate> date, int page) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate day = date.orElseGet(() -> reads.lastSeen().map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC)).orElse(today));
        LocalDate first = period.first(day);
        List<SitePaper> papers = reads.seenBetween(period.start(first), period.end(first), (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)
                .stream().map(SitePaper::of).toList();
        boolean more = papers.size() > PAGE_SIZE && page < MAX_PAGE;
        long total = reads.countSeenBetween(period.start(first), period.end(first), COUNTED);
        LocalDate next = period.after(first);
        return new PeriodPage(period, first, period.label(first), papers.subList(0, Math.min(PAGE_SIZE, papers.size())), total, page,
                more, period.before(first), next.isAfter(today) ? null : next);
    }

    /** The papers answering a search box's line (the filter language), best answer first. */
    public SearchPage search(String query, int page) {
        PaperFilter filter = PaperFilter.parseQuery(query);
        if (filter.isEmpty()) {
            return new SearchPage(query == null ? "" : query.strip(), filter, List.of(), 0, 1, false);
        }
        List<SitePaper> papers = reads.search(filter, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1).stream().map(SitePaper::of).toList();
        return new SearchPage(query.strip(), filter, papers.subList(0, Math.min(PAGE_SIZE, papers.size())), reads.countMatching(filter),
                page, papers.size() > PAGE_SIZE && page < MAX_PAGE);
    }

    public Lookup paper(UUID id) {
        Optional<PaperRow> row = reads.find(id.toString());
        CatalogueClient.Answer answer = catalogue.paper(id);
        if (row.isEmpty()) {
            if (answer.mergedInto().isPresent()) {
                return new Lookup.Moved(answer.mergedInto().get());
            }
            return answer.reached() ? new Lookup.Unknown() : new Lookup.Unreachable();
        }
        SitePaper paper = SitePaper.of(row.get());
        String chart = answer.evidence().map(e -> SightingChart.svg(e.sightingHistory(), "Sightings of " + paper.title())).orElse("");
        return new Lookup.Found(new PaperPage(paper, answer.evidence(), chart));
    }
}
