package io.paperwire.notify.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.notify.model.Subscription;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.DigestCandidates;
import io.paperwire.notify.repository.DigestCandidates.Candidate;
import io.paperwire.notify.links.LinkSigner;
import io.paperwire.notify.links.LinkSigner.Purpose;
import io.paperwire.notify.links.Links;
import io.paperwire.notify.subscription.SubscriptionService;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import io.paperwire.support.search.PaperFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A subscription as a feed, for readers and for services that poll: {@code /feeds/{token}.atom} (RFC 4287) and
 * {@code /feeds/{token}.json} (JSON Feed 1.1). The token is the subscription's signed feed token; the feed holds the
 * papers of the last {@value #DAYS} days that match its filters, best first, whether or not a digest sent them. The
 * site's own trending feed, {@code /feeds/trending.atom} and {@code .json}, holds the best papers of those days.
 */
@Path("/feeds")
public class FeedResource {

    static final int DAYS = 7;
    static final int ITEMS = 50;
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    /** The site's feed belongs to no subscription: nothing was sent to it, and it shows papers whether sent or not. */
    private static final UUID EVERYBODY = new UUID(0, 0);

    private final LinkSigner signer;
    private final SubscriptionService subscriptions;
    private final DigestCandidates candidates;
    private final Links links;
    private final ObjectMapper json;
    private final Clock clock;

    public FeedResource(LinkSigner signer, SubscriptionService subscriptions, DigestCandidates candidates, Links links, ObjectMapper json, Clock clock) {
        this.clock = clock;
        this.signer = signer;
        this.subscriptions = subscriptions;
        this.candidates = candidates;
        this.links = links;
        this.json = json;
    }

    @GET
    @Path("{token}.atom")
    public Response atom(@PathParam("token") String token) throws XMLStreamException {
        Subscription s = subscription(token);
        return atom("urn:uuid:" + s.id(), "Paperwire: papers matching your subscription", links.feed(s.id(), "atom"), papers(s));
    }

    @GET
    @Path("{token}.json")
    public Response jsonFeed(@PathParam("token") String token) throws Exception {
        Subscription s = subscription(token);
        return json("Paperwire: papers matching your subscription", links.feed(s.id(), "json"), papers(s));
    }

    /** The site's own feed: the {@value #ITEMS} best papers of the last {@value #DAYS} days, for everybody. */
    @GET
    @Path("trending.atom")
    public Response trendingAtom() throws XMLStreamException {
        return atom("urn:paperwire:trending", "Paperwire: trending papers", links.trendingFeed("atom"), trending());
    }

    @GET
    @Path("trending.json")
    public Response trendingJson() throws Exception {
        return json("Paperwire: trending papers", links.trendingFeed("json"), trending());
    }

    /**
     * An RFC 4287 feed. Every entry has an alternate link (section 4.1.1 asks it of an entry without content): arXiv's
     * abstract page when the paper has an arXiv id, else the paper's page here, which every paper has.
     */
    private Response atom(String id, String title, String self, List<Candidate> papers) throws XMLStreamException {
        StringWriter out = new StringWriter();
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
        x.writeStartDocument("UTF-8", "1.0");
        x.writeStartElement("feed");
        x.writeDefaultNamespace(ATOM);
        element(x, "id", id);
        element(x, "title", title);
        element(x, "updated", updated(papers).toString());
        link(x, "self", self);
        link(x, "alternate", links.home());
        x.writeStartElement("author");
        element(x, "name", "Paperwire");
        x.writeEndElement();
        for (Candidate p : papers) {
            x.writeStartElement("entry");
            element(x, "id", "urn:paperwire:paper:" + p.paperId());
            element(x, "title", p.title());
            element(x, "updated", p.changedAt().toString());
            link(x, "alternate", alternate(p));
            if (p.arxivId() != null) {
                link(x, "related", links.paper(p.paperId()));
            }
            for (String a : p.authors()) {
                x.writeStartElement("author");
                element(x, "name", a);
                x.writeEndElement();
            }
            if (p.abstractText() != null) {
                x.writeStartElement("summary");
                x.writeAttribute("type", "text");
                x.writeCharacters(xml(p.abstractText()));
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        x.writeEndElement();
        x.writeEndDocument();
        x.close();
        return Response.ok(out.toString(), "application/atom+xml; charset=UTF-8").build();
    }

    private Response json(String title, String self, List<Candidate> papers) throws Exception {
        List<JsonFeedItem> items = papers.stream().map(p -> new JsonFeedItem("urn:paperwire:paper:" + p.paperId(), alternate(p),
                p.title(), p.abstractText() == null ? p.title() : p.abstractText(), p.changedAt().toString(),
                p.authors().isEmpty() ? null : p.authors().stream().map(JsonFeedAuthor::new).toList())).toList();
        JsonFeed feed = new JsonFeed("https://jsonfeed.org/version/1.1", title, links.home(), self, items);
        return Response.ok(json.writeValueAsString(feed), "application/feed+json; charset=UTF-8").build();
    }

    private String alternate(Candidate p) {
        return p.arxivId() != null ? "https://arxiv.org/abs/" + p.arxivId() : links.paper(p.paperId());
    }

    private static void link(XMLStreamWriter x, String rel, String href) throws XMLStreamException {
        x.writeEmptyElement("link");
        x.writeAttribute("rel", rel);
        x.writeAttribute("href", xml(href));
    }

    /** A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1), as much of it as a subscription's feed uses. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JsonFeed(String version, String title, @JsonProperty("home_page_url") String homePageUrl,
            @JsonProperty("feed_url") String feedUrl, List<JsonFeedItem> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JsonFeedItem(String id, String url, String title, @JsonProperty("content_text") String contentText,
            @JsonProperty("date_modified") String dateModified, List<JsonFeedAuthor> authors) {
    }

    record JsonFeedAuthor(String name) {
    }

    private Subscription subscription(String token) {
        Optional<Subscription> s = signer.verify(token, Purpose.FEED).flatMap(subscriptions::find)
                .filter(x -> x.status() == SubscriptionStatus.ACTIVE || x.status() == SubscriptionStatus.PAUSED);
        return s.orElseThrow(() -> new ProblemException(Problem.of("unknown-feed", "Feed not found", 404,
                "no active subscription has this feed token")));
    }

    private List<Candidate> papers(Subscription s) {
        return candidates.select(s.id(), false, clock.instant().minus(Duration.ofDays(DAYS)), s.filter(), ITEMS);
    }

    private List<Candidate> trending() {
        return candidates.select(EVERYBODY, false, clock.instant().minus(Duration.ofDays(DAYS)), PaperFilter.NONE, ITEMS);
    }

    private Instant updated(List<Candidate> papers) {
        return papers.stream().map(Candidate::changedAt).max(Instant::compareTo).orElse(clock.instant());
    }

    private static void element(XMLStreamWriter x, String name, String text) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(xml(text));
        x.writeEndElement();
    }

    /**
     * The text without what XML 1.0 cannot hold at all, even escaped (C0 controls but tab and line breaks, unpaired
     * surrogates, U+FFFE/U+FFFF): the writer escapes markup but would pass those through into a feed no reader accepts.
     * Ingest removes them at the door; papers from before that, or from another producer, must not break a feed.
     */
    static String xml(String text) {
        StringBuilder b = null;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
            boolean ok = pair || c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF);
            if (!ok && b == null) {
                b = new StringBuilder(n).append(text, 0, i);
            } else if (ok && b != null) {
                b.append(c);
                if (pair) {
                    b.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return b == null ? text : b.toString();
    }
}
