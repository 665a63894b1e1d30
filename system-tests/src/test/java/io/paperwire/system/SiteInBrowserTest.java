package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * What a reader sees, in a real browser against the real stack: the trending page, search, a paper's page with its
 * evidence, and a subscriber's whole life (the form with a preview, the confirmation link from the real mail, the
 * preferences page, the digest, one-click unsubscribe). axe-core checks every page against WCAG 2.1 A and AA, and
 * each page's screenshot is kept in {@code target/screenshots}. Expected answers are read from the papers API, never
 * written into the test.
 */
class SiteInBrowserTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RAW_FLOAT = Pattern.compile("\\d+\\.\\d{4,}");
    static LaunchedStack stack;
    static Browser browser;
    static HttpServer arxiv;

    @BeforeAll
    static void up() throws Exception {
        arxiv = FakeArxiv.start();
        stack = LaunchedStack.up(Map.of("PAPERWIRE_RESOLVER_URL", "http://127.0.0.1:" + arxiv.getAddress().getPort()));
        // Papers with identifiers, authors and categories besides the title-only samples.
        post(stack.url("ingest", "/api/v1/listings?source=arxiv-site-test"), "application/atom+xml",
                java.nio.file.Files.readString(stack.home.resolve("ingest-service/src/test/resources/fixtures/arxiv-api.atom.xml")), 202);
        await().atMost(Duration.ofSeconds(90)).until(() -> arxivPaper() != null && readModelHas(arxivPaper().path("id").asText()));
        browser = new Browser(stack.home);
    }

    @AfterAll
    static void down() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (arxiv != null) {
            arxiv.stop(0);
        }
    }

    @Test
    void aPaperListedByTitleAloneGainsItsArxivIdAndLinksSomewhere() throws Exception {
        // The samples are titles and abstracts; the resolver asks (the fake) arXiv about each, one every few seconds.
        JsonNode[] resolved = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            for (JsonNode p : getJson(stack.url("dedup", "/api/v1/papers?sort=recent&limit=200")).path("items")) {
                if (p.path("sources").toString().contains("arxiv-resolver") && p.path("arxivId").isTextual()) {
                    resolved[0] = p;
                    return readModelHas(p.path("id").asText())
                            && browserShowsArxivLink(p.path("id").asText(), p.path("arxivId").asText());
                }
            }
            return false;
        });
        JsonNode p = resolved[0];
        assertThat(p.path("arxivId").asText()).isEqualTo(FakeArxiv.idOf(p.path("title").asText()));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("arxiv-resolver");
        browser.check("paper-resolved");
    }

    private static boolean browserShowsArxivLink(String paperId, String arxivId) {
        open("/papers/" + paperId);
        return !browser.driver.findElements(By.cssSelector("a[href='https://arxiv.org/abs/" + arxivId + "']")).isEmpty();
    }

    @Test
    void theTrendingPageLinksEveryPaperAndSaysWhyItRanks() throws Exception {
        open("/");
        List<WebElement> cards = browser.driver.findElements(By.cssSelector("ol.papers > li"));
        assertThat(cards).as("papers of the latest day").isNotEmpty();
        for (WebElement card : cards) {
            assertThat(card.findElement(By.cssSelector("h2 a")).getAttribute("href")).matches(".*/papers/[0-9a-f-]{36}");
            assertThat(card.findElement(By.cssSelector(".reason")).getText()).matches("(\\d+ upvotes? · )?seen on .+");
            assertThat(card.findElements(By.cssSelector(".badge"))).isNotEmpty();
        }
        assertThat(RAW_FLOAT.matcher(browser.driver.findElement(By.tagName("main")).getText()).find()).as("a raw score on the page")
                .isFalse();
        // Every paper of the catalogue was seen today: the papers API's count is the page's, once notify has them all.
        long total = papersTotal();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            open("/");
            assertThat(browser.driver.findElement(By.cssSelector(".lede")).getText()).startsWith(total + " papers seen");
        });
        assertThat(browser.driver.findElement(By.cssSelector("link[rel=alternate][type='application/atom+xml']")).getAttribute("href"))
                .endsWith("/feeds/trending.atom");
        browser.check("home");

        browser.follow(browser.driver.findElement(By.linkText("Week")));
        assertThat(browser.driver.findElement(By.cssSelector("nav.periods a[aria-current=page]")).getText()).isEqualTo("Week");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("Week of");
        browser.follow(browser.driver.findElement(By.cssSelector(".pager a[rel=prev]")));
        assertThat(browser.driver.findElements(By.cssSelector("ol.papers > li"))).as("the week before").isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector(".empty")).getText()).contains("No papers were seen");
        browser.check("week-before");
    }

    @Test
    void searchMatchesWordsPhrasesAuthorsCategoriesAndExclusions() throws Exception {
        JsonNode paper = arxivPaper();
        String title = paper.path("title").asText();
        List<String> words = words(title);
        assertThat(words).as("long words of " + title).hasSizeGreaterThanOrEqualTo(2);

        search(words.get(0));
        assertThat(resultTitles()).contains(title);
        assertThat(browser.driver.findElement(By.cssSelector("[role=status]")).getText()).contains("match");
        browser.check("search");

        search('"' + consecutive(title) + '"');
        assertThat(resultTitles()).as("a phrase of its title").contains(title);
        search(words.get(0) + " -" + words.get(1));
        assertThat(resultTitles()).as("excluding a word of its title").doesNotContain(title);

        String author = paper.path("authors").get(0).asText();
        search("author:\"" + author + "\"");
        assertThat(resultTitles()).as("by its first author").contains(title);
        search("author:\"" + author + "\" category:" + firstCategory(paper));
        assertThat(resultTitles()).as("by author and category").contains(title);
        search("author:\"" + author + "\" category:no.such");
        assertThat(resultTitles()).isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector(".empty")).getText()).contains("Nothing matches");

        // The same line asked of the papers API finds the same papers.
        JsonNode api = getJson(stack.url("dedup", "/api/v1/papers?q=" + URLEncoder.encode("author:\"" + author + "\"", StandardCharsets.UTF_8)));
        List<String> apiTitles = new ArrayList<>();
        api.path("items").forEach(i -> apiTitles.add(i.path("title").asText()));
        search("author:\"" + author + "\"");
        assertThat(resultTitles()).containsExactlyInAnyOrderElementsOf(apiTitles);
    }

    @Test
    void aPaperPageShowsItsIdentifiersItsEvidenceAndPreviewsWellWhenShared() throws Exception {
        JsonNode paper = arxivPaper();
        String id = paper.path("id").asText();
        JsonNode detail = getJson(stack.url("dedup", "/api/v1/papers/" + id));
        search(words(paper.path("title").asText()).get(0));
        browser.follow(browser.driver.findElement(By.linkText(paper.path("title").asText())));

        assertThat(browser.driver.getCurrentUrl()).endsWith("/papers/" + id);
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo(paper.path("title").asText());
        String arxiv = paper.path("arxivId").asText();
        assertThat(browser.driver.findElements(By.cssSelector("a[href='https://arxiv.org/abs/" + arxiv + "']"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("a[href='https://arxiv.org/pdf/" + arxiv + "']"))).isNotEmpty();
        assertThat(browser.driver.findElement(By.cssSelector("link[rel=canonical]")).getAttribute("href"))
                .isEqualTo("http://localhost:" + stack.env.get("PAPERWIRE_NOTIFY_PORT") + "/papers/" + id);
        assertThat(browser.driver.findElement(By.cssSelector("meta[property='og:title']")).getAttribute("content"))
                .isEqualTo(paper.path("title").asText());
        // The evidence, from the catalogue: the chart and one table row per sighting.
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart circle"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("table tbody tr"))).hasSize(detail.path("sightingHistory").size());
        browser.check("paper");
    }

    @Test
    void aMergedPapersOldAddressLeadsToTheSurvivorWhichListsTheMerge() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // arXiv (the fake) does not know it: the resolver leaves it title-only, for the merge to make the link.
        String titleOnly = "Merging Evidence Study " + run + " of " + FakeArxiv.UNKNOWN + " Identities";
        String arxivId = "2611." + String.format("%05d", Math.floorMod(run.hashCode(), 100000));
        post(stack.url("ingest", "/api/v1/listings?source=text-site-test"), "text/plain",
                titleOnly + "\n\nA paper first listed by its title alone.\n", 202);
        post(stack.url("ingest", "/api/v1/listings?source=hf-site-test"), "application/json", hfEntry(arxivId,
                "Identity Consolidation Study " + run), 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> apiIdsMatching(run).size() == 2);
        List<String> before = apiIdsMatching(run);
        assertThat(before).doesNotHaveDuplicates();
        // The same arXiv id under the first paper's title: the two records are one paper.
        post(stack.url("ingest", "/api/v1/listings?source=hf-site-test"), "application/json", hfEntry(arxivId, titleOnly), 202);
        await().atMost(Duration.ofSeconds(60)).until(() -> apiIdsMatching(run).size() == 1);
        String survivor = apiIdsMatching(run).get(0);
        String absorbed = before.stream().filter(i -> !i.equals(survivor)).findFirst().orElseThrow();
        // notify learns of the merge from the topic: the survivor's new state, the absorbed one's removal.
        await().atMost(Duration.ofSeconds(60)).until(() -> readModelHas(survivor) && status("/papers/" + absorbed) == 301);

        open("/papers/" + absorbed);
        assertThat(browser.driver.getCurrentUrl()).as("the absorbed paper's address").endsWith("/papers/" + survivor);
        assertThat(browser.driver.findElement(By.cssSelector("#evidence-heading + *")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Records merged into this one", absorbed);
        browser.check("paper-merged");
    }

    @Test
    void aReaderSubscribesConfirmsEditsFiltersGetsTheDigestAndUnsubscribesInOneClick() throws Exception {
        JsonNode paper = arxivPaper();
        String keyword = words(paper.path("title").asText()).get(0);
        String email = "reader-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        open("/");
        browser.driver.findElement(By.id("email")).sendKeys(email);
        browser.driver.findElement(By.id("keywords")).sendKeys(keyword);
        browser.follow(browser.driver.findElement(By.cssSelector("button[formaction='/subscribe/preview']")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("What your digest would have held");
        assertThat(resultTitles()).contains(paper.path("title").asText());
        assertThat(browser.driver.findElement(By.id("keywords")).getAttribute("value")).as("the form as it was left").isEqualTo(keyword);
        browser.check("preview");

        browser.follow(browser.driver.findElement(By.xpath("//button[text()='Subscribe']")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Check your inbox");

        JsonNode confirmation = stack.awaitMail(email, "Confirm");
        browser.driver.get(link(confirmation, "/subscriptions/confirm\\?token=[A-Za-z0-9_-]+"));
        browser.check("confirm");
        browser.follow(browser.driver.findElement(By.cssSelector("main button")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Subscription confirmed");
        browser.follow(browser.driver.findElement(By.linkText("Preferences")));

        WebElement authors = browser.driver.findElement(By.id("authors"));
        authors.clear();
        authors.sendKeys(paper.path("authors").get(0).asText());
        browser.driver.findElement(By.id("excludeKeywords")).sendKeys("nosuchwordanywhere");
        browser.follow(browser.driver.findElement(By.cssSelector("button[value=save]")));
        assertThat(browser.driver.findElement(By.cssSelector(".note")).getText()).isEqualTo("Saved.");
        browser.driver.navigate().refresh();
        assertThat(browser.driver.findElement(By.id("authors")).getAttribute("value")).isEqualTo(paper.path("authors").get(0).asText());
        assertThat(browser.driver.findElement(By.id("excludeKeywords")).getAttribute("value")).isEqualTo("nosuchwordanywhere");
        browser.check("preferences");

        post(stack.url("notify", "/api/v1/digests/run"), "application/json", "{}", 200);
        JsonNode digest = stack.awaitMail(email, "Paperwire digest");
        assertThat(digest.path("html").asText()).contains(paper.path("title").asText());
        // The mail as a reader's client shows it, light and dark: readable (axe's contrast rules) in both.
        browser.show(digest.path("html").asText());
        browser.check("digest-mail");
        browser.dark(true);
        try {
            browser.show(digest.path("html").asText());
            browser.check("digest-mail-dark");
            open("/");
            browser.check("home-dark");
        } finally {
            browser.dark(false);
        }
        browser.driver.get(link(digest, "/subscriptions/unsubscribe\\?token=[A-Za-z0-9_-]+"));
        browser.check("unsubscribe");
        browser.follow(browser.driver.findElement(By.cssSelector("main button")));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Unsubscribed");
    }

    @Test
    void theSiteIsUsableByKeyboardAlone() throws Exception {
        open("/");
        WebElement body = browser.driver.findElement(By.tagName("body"));
        body.sendKeys(Keys.TAB);
        WebElement first = browser.driver.switchTo().activeElement();
        assertThat(first.getText()).isEqualTo("Skip to the content");
        assertThat(first.isDisplayed()).as("the skip link shows when focused").isTrue();
        // Tab reaches the search box; typing and Enter search.
        for (int i = 0; i < 10 && !"q".equals(browser.driver.switchTo().activeElement().getAttribute("id")); i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        WebElement box = browser.driver.switchTo().activeElement();
        assertThat(box.getAttribute("id")).isEqualTo("q");
        String keyword = words(arxivPaper().path("title").asText()).get(0);
        browser.navigate(() -> box.sendKeys(keyword, Keys.ENTER));
        assertThat(browser.driver.getCurrentUrl()).contains("/search?q=");
        assertThat(resultTitles()).contains(arxivPaper().path("title").asText());
        // Every link and button shows where the focus is (an outline of its own).
        WebElement link = browser.driver.findElement(By.cssSelector("ol.papers h2 a"));
        browser.driver.executeScript("arguments[0].focus()", link);
        assertThat(link.getCssValue("outline-style")).isNotEqualTo("none");
    }

    // ---- helpers ----

    private static void open(String path) {
        browser.driver.get(stack.url("notify", path));
    }

    /** Types the line into the search box of the page open now (the home page if none is), and presses Enter. */
    private static void search(String line) {
        if (browser.driver.findElements(By.id("q")).isEmpty()) {
            open("/");
        }
        WebElement box = browser.driver.findElement(By.id("q"));
        box.clear();
        browser.navigate(() -> box.sendKeys(line, Keys.ENTER));
    }

    private static List<String> resultTitles() {
        return browser.driver.findElements(By.cssSelector("ol.papers h2 a")).stream().map(WebElement::getText).toList();
    }

    /** The words of a title long enough to be no stop word, longest first. */
    private static List<String> words(String title) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\p{L}{6,}").matcher(title);
        while (m.find()) {
            out.add(m.group());
        }
        return out.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Two words that follow each other in the title, both plain words. */
    private static String consecutive(String title) {
        Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}$\\\\])(\\p{L}{4,}) (\\p{L}{4,})(?![\\p{L}\\p{N}])").matcher(title);
        assertThat(m.find()).as("two plain words in a row in " + title).isTrue();
        return m.group(1) + " " + m.group(2);
    }

    private static String firstCategory(JsonNode paper) throws Exception {
        return getJson(stack.url("dedup", "/api/v1/papers/" + paper.path("id").asText())).path("categories").get(0).asText();
    }

    /** A paper of the arXiv fixture with an arXiv id, authors and a plain title, as the papers API has it. */
    private static JsonNode arxivPaper() throws Exception {
        for (JsonNode p : getJson(stack.url("dedup", "/api/v1/papers?sort=recent&limit=200")).path("items")) {
            if (!p.path("arxivId").isMissingNode() && !p.path("arxivId").isNull() && !p.path("authors").isEmpty()
                    && p.path("sources").toString().contains("arxiv-site-test") && !p.path("title").asText().contains("$")) {
                return p;
            }
        }
        return null;
    }

    private static long papersTotal() throws Exception {
        return getJson(stack.url("dedup", "/api/v1/papers?limit=1")).path("total").asLong();
    }

    private static List<String> apiIdsMatching(String word) throws Exception {
        List<String> ids = new ArrayList<>();
        getJson(stack.url("dedup", "/api/v1/papers?q=" + word)).path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    private static boolean readModelHas(String paperId) throws Exception {
        return status("/papers/" + paperId) == 200;
    }

    /** The status notify answers a page with (redirects not followed). */
    private static int status(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("notify", path))).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String hfEntry(String arxivId, String title) {
        return "[{\"paper\":{\"id\":\"" + arxivId + "\",\"title\":\"" + title + "\",\"summary\":\"Consolidation evidence.\","
                + "\"authors\":[{\"name\":\"Ada Lovelace\"}],\"upvotes\":3},\"title\":\"" + title + "\"}]";
    }

    private static String link(JsonNode mail, String pathPattern) {
        Matcher m = Pattern.compile("http://localhost:\\d+(" + pathPattern + ")").matcher(mail.path("text").asText());
        assertThat(m.find()).as("a link in " + mail.path("text").asText()).isTrue();
        return stack.url("notify", m.group(1));
    }

    private static JsonNode getJson(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void post(String url, String type, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .header("Authorization", "Bearer " + stack.token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(expected);
    }
}
