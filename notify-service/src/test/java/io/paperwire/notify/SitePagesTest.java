package io.paperwire.notify;

import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.word;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.events.Link;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The public pages as a hostile source and a careless visitor meet them: source text escaped everywhere and only
 * web links linked, a paper page that renders when the catalogue does not answer, clear refusals of addresses that
 * mean nothing, periods that list what was seen in them, and a trending feed whose every entry links somewhere.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class SitePagesTest {

    @Test
    void sourceTextIsEscapedAndOnlyWebLinksAreLinked() throws Exception {
        String w = word();
        PaperConsolidated p = state(UUID.randomUUID().toString(), "<script>alert('t')</script> " + w, null, Instant.now(),
                List.of("<img src=x onerror=alert(1)>"), "</p><script>alert(2)</script>",
                List.of(new Link("code", "javascript:alert(3)"), new Link("project", "https://example.org/project?a=1&b=2")));
        papers(p);
        for (String page : List.of("/papers/" + p.paperId(), "/search?q=" + w)) {
            String html = given().get(page).then().statusCode(200).extract().asString();
            assertThat(html).as(page).doesNotContain("<script>", "<img src=x", "javascript:")
                    .contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;");
        }
        assertThat(given().get("/papers/" + p.paperId()).then().extract().asString())
                .contains("href=\"https://example.org/project?a=1&amp;b=2\"");
    }

    @Test
    void aPaperPageRendersWithoutTheCatalogueAndAnUnknownIdSaysWhy() throws Exception {
        PaperConsolidated p = state(UUID.randomUUID().toString(), "Catalogue Outage Study " + word(), "2501.00001", Instant.now(),
                List.of("Ada Lovelace"), "An abstract.", List.of());
        papers(p);
        // The test profile's catalogue address has nobody listening: the page says so and shows what notify knows.
        String html = given().get("/papers/" + p.paperId()).then().statusCode(200).extract().asString();
        assertThat(html).contains("The sighting history is not available just now", "https://arxiv.org/abs/2501.00001",
                "<link rel=\"canonical\" href=\"http://localhost:", "/papers/" + p.paperId() + "\">");
        // An id the read model does not hold, with the catalogue (which would know whether it was merged) down: not a
        // 404, which would tell a reader the paper does not exist.
        assertThat(given().get("/papers/" + UUID.randomUUID()).then().statusCode(503).extract().asString())
                .contains("Not available just now");
        given().get("/papers/not-a-paper").then().statusCode(404);
    }

    @Test
    void addressesThatMeanNothingAreRefusedWithTheReason() {
        assertThat(given().get("/?period=year").then().statusCode(400).extract().asString()).contains("period must be day, week or month");
        assertThat(given().get("/?date=2026-13-01").then().statusCode(400).extract().asString()).contains("date must be a day");
        assertThat(given().get("/?page=0").then().statusCode(400).extract().asString()).contains("page must be a number from 1");
        given().get("/search?q=x&page=99999999999").then().statusCode(400);
    }

    @Test
    void aPeriodListsThePapersSeenInIt() throws Exception {
        Instant then = Instant.now().minus(Duration.ofDays(40));
        LocalDate day = LocalDate.ofInstant(then, ZoneOffset.UTC);
        PaperConsolidated old = state(UUID.randomUUID().toString(), "Period Study " + word(), null, then, List.of(), null, List.of());
        papers(old);
        assertThat(given().get("/?period=day&date=" + day).then().statusCode(200).extract().asString()).contains(old.title());
        assertThat(given().get("/?period=month&date=" + day).then().statusCode(200).extract().asString()).contains(old.title());
        assertThat(given().get("/?period=day&date=" + day.plusDays(1)).then().statusCode(200).extract().asString())
                .doesNotContain(old.title());
        assertThat(given().get("/?period=week").then().statusCode(200).extract().asString()).doesNotContain(old.title());
    }

    @Test
    void everyEntryOfTheTrendingFeedHasAnAlternateLink() throws Exception {
        PaperConsolidated titleOnly = state(UUID.randomUUID().toString(), "Feed Study " + word(), null, Instant.now(), List.of(), null,
                List.of());
        PaperConsolidated arxiv = state(UUID.randomUUID().toString(), "Feed Study " + word(), "2501.00002", Instant.now(), List.of(),
                null, List.of());
        papers(titleOnly, arxiv);
        String atom = given().get("/feeds/trending.atom").then().statusCode(200).extract().asString();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(atom)));
        NodeList entries = doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry");
        assertThat(entries.getLength()).isPositive();
        boolean sawTitleOnly = false;
        boolean sawArxiv = false;
        for (int i = 0; i < entries.getLength(); i++) {
            Element e = (Element) entries.item(i);
            String id = e.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "id").item(0).getTextContent();
            String alternate = null;
            NodeList links = e.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
            for (int j = 0; j < links.getLength(); j++) {
                Element l = (Element) links.item(j);
                if ("alternate".equals(l.getAttribute("rel"))) {
                    alternate = l.getAttribute("href");
                }
            }
            assertThat(alternate).as("the alternate link of " + id).isNotBlank();
            if (id.endsWith(titleOnly.paperId())) {
                sawTitleOnly = true;
                assertThat(alternate).endsWith("/papers/" + titleOnly.paperId());
            }
            if (id.endsWith(arxiv.paperId())) {
                sawArxiv = true;
                assertThat(alternate).isEqualTo("https://arxiv.org/abs/2501.00002");
            }
        }
        assertThat(sawTitleOnly && sawArxiv).as("both papers in the trending feed").isTrue();
        assertThat(given().get("/").then().extract().asString()).contains("<link rel=\"alternate\" type=\"application/atom+xml\"");
    }

    private static PaperConsolidated state(String id, String title, String arxivId, Instant seen, List<String> authors, String abstractText,
            List<Link> links) {
        return new PaperConsolidated(id, 1, PaperConsolidated.ChangeType.CREATED, arxivId, null, title, title.toLowerCase(), List.of(),
                abstractText, authors, List.of("cs.LG"), seen, seen, 1, List.of("site-test"), 1000, 1000, links, seen);
    }
}
