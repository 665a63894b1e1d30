package io.paperwire.notify.rest;

import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.digest.DigestPreview;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.site.CatalogueClient;
import io.paperwire.notify.site.Period;
import io.paperwire.notify.site.SiteCatalogue;
import io.paperwire.notify.site.SiteCatalogue.Lookup;
import io.paperwire.notify.site.SitePaper;
import io.paperwire.notify.subscription.ClientRateLimiter;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.search.InvalidFilterException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The public site, server-rendered and whole without JavaScript: the trending page ({@code /}, a day, week or month),
 * search ({@code /search}, the filter language), a page per paper ({@code /papers/{id}}) and the digest preview behind
 * the subscribe form. Every text from a source is user text: the templates escape it.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SitePages {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** The first day a page can be asked for: arXiv opened in August 1991. */
    static final LocalDate FIRST_DAY = LocalDate.of(1991, 1, 1);
    /** Sightings listed in a paper page's table; older ones are counted, not listed. */
    static final int SIGHTINGS_LISTED = 200;

    /** A sighting as the paper page's table shows it. */
    public record SightingRow(String source, String when, Integer rank, Integer upvotes) {
    }

    /** A merge as the paper page shows it. */
    public record MergeRow(String paperId, String when) {
    }

    /** Everything the paper page shows. */
    public record PaperPageView(SitePaper paper, boolean evidence, String chart, List<SightingRow> sightings, int hiddenSightings,
            List<MergeRow> merges, String firstSeen, String lastSeen) {
    }

    /** A preview's papers, as cards. */
    public record PreviewView(boolean weekly, List<SitePaper> papers) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(SiteCatalogue.PeriodPage view, SiteForm.Shown form, String baseUrl);

        static native TemplateInstance search(SiteCatalogue.SearchPage view, String error);

        static native TemplateInstance paper(PaperPageView view, String baseUrl);

        static native TemplateInstance preview(PreviewView preview, SiteForm.Shown form);

        static native TemplateInstance notFound(String heading, String text);
    }

    private final SiteCatalogue site;
    private final DigestPreview previews;
    private final ClientRateLimiter limiter;
    private final ClientAddress clients;
    private final String baseUrl;
    private final Clock clock;

    public SitePages(SiteCatalogue site, DigestPreview previews, ClientRateLimiter limiter, ClientAddress clients,
            NotifyConfig config, Clock clock) {
        this.clock = clock;
        this.site = site;
        this.previews = previews;
        this.limiter = limiter;
        this.clients = clients;
        this.baseUrl = config.baseUrl().replaceAll("/+$", "");
    }

    @GET
    public Response home(@QueryParam("period") String period, @QueryParam("date") String date, @QueryParam("page") String page) {
        Optional<Period> p = Period.parse(period);
        if (p.isEmpty()) {
            return badRequest("period must be day, week or month");
        }
        Optional<LocalDate> day;
        try {
            day = date == null || date.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(date.strip()));
        } catch (DateTimeParseException e) {
            return badRequest("date must be a day such as 2026-12-01");
        }
        if (day.isPresent() && (day.get().isBefore(FIRST_DAY) || day.get().isAfter(LocalDate.now(clock).plusDays(1)))) {
            return badRequest("date must be a day from " + FIRST_DAY + " to today");
        }
        Optional<Integer> n = pageNumber(page);
        if (n.isEmpty()) {
            return badRequest("page must be a number from 1 to " + SiteCatalogue.MAX_PAGE);
        }
        return html(200, Templates.home(site.period(p.get(), day, n.get()), SiteForm.blank(), baseUrl));
    }

    @GET
    @Path("search")
    public Response search(@QueryParam("q") String q, @QueryParam("page") String page) {
        Optional<Integer> n = pageNumber(page);
        if (n.isEmpty()) {
            return badRequest("page must be a number from 1 to " + SiteCatalogue.MAX_PAGE);
        }
        try {
            return html(200, Templates.search(site.search(q, n.get()), null));
        } catch (InvalidFilterException e) {
            String shown = q == null ? "" : q.substring(0, Math.min(q.length(), 300));
            return html(400, Templates.search(new SiteCatalogue.SearchPage(shown, null, List.of(), 0, 1, false), e.getMessage()));
        }
    }

    @GET
    @Path("papers/{id}")
    public Response paper(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return notFound();
        }
        Lookup found = site.paper(uuid);
        if (found instanceof Lookup.Moved moved) {
            // The old address of a paper that turned out to be another: it lives on under the survivor's.
            return Response.status(301).location(URI.create("/papers/" + moved.survivor())).build();
        }
        if (found instanceof Lookup.Unreachable) {
            return html(503, Templates.notFound("Not available just now", "This paper is not in the site's own records, and the"
                    + " catalogue that would know where it went did not answer in time. Try again in a moment."));
        }
        if (!(found instanceof Lookup.Found f)) {
            return notFound();
        }
        return html(200, Templates.paper(view(f.page()), baseUrl));
    }

    /** The form's Preview button: the digest these filters would have made over the last period; nothing is stored. */
    @POST
    @Path("subscribe/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(@BeanParam SiteForm form, @Context HttpServerRequest http) {
        Optional<Duration> wait = limiter.acquirePreview(clients.of(http));
        if (wait.isPresent()) {
            return html(429, Templates.preview(null, form.shown("Too many requests from here; try again in "
                    + Math.max(1, wait.get().toMinutes()) + " minutes.")));
        }
        try {
            DigestPreview.Cards p = previews.cards(form.request());
            return html(200, Templates.preview(new PreviewView(p.frequency() == Frequency.WEEKLY, p.papers()), form.shown(null)));
        } catch (RuntimeException e) {
            Problem problem = NotifyProblems.of(e).orElseThrow(() -> e);
            return html(problem.status(), Templates.preview(null, form.shown(problem.detail())));
        }
    }

    private static PaperPageView view(SiteCatalogue.PaperPage page) {
        List<CatalogueClient.Sighting> all = page.evidence().map(CatalogueClient.Evidence::sightingHistory).orElse(List.of());
        List<CatalogueClient.Sighting> listed = all.size() > SIGHTINGS_LISTED ? all.subList(all.size() - SIGHTINGS_LISTED, all.size()) : all;
        List<SightingRow> rows = listed.stream().map(s -> new SightingRow(s.source(), when(s.observedAt()), s.rank(), s.upvotes())).toList();
        List<MergeRow> merges = page.evidence().map(e -> e.merges().stream().map(m -> new MergeRow(m.paperId(), when(m.mergedAt())))
                .toList()).orElse(List.of());
        return new PaperPageView(page.paper(), page.evidence().isPresent(), page.chart(), rows, all.size() - listed.size(), merges,
                when(page.paper().firstSeenAt()), when(page.paper().lastSeenAt()));
    }

    private static String when(Instant t) {
        return t == null ? "" : WHEN.format(t);
    }

    private static Optional<Integer> pageNumber(String page) {
        if (page == null || page.isBlank()) {
            return Optional.of(1);
        }
        try {
            int n = Integer.parseInt(page.strip());
            return n >= 1 && n <= SiteCatalogue.MAX_PAGE ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Response notFound() {
        return html(404, Templates.notFound("Paper not found", "No paper has this address. If it was listed a moment ago, it appears"
                + " once consolidated; otherwise search for it by title."));
    }

    private static Response badRequest(String why) {
        return html(400, Templates.notFound("Not a page here", "This address asks for something the site cannot show: " + why + "."));
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).entity(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
