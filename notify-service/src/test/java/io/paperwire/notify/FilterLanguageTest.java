package io.paperwire.notify;

import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.word;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.repository.DigestCandidates;
import io.paperwire.notify.repository.PaperRow;
import io.paperwire.notify.repository.SitePaperReads;
import io.paperwire.support.search.InvalidFilterException;
import io.paperwire.support.search.PaperFilter;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one filter language decides alike what a digest, a feed and a search hold, against the real database: each
 * filter alone and combined, in a table. Words match words, stemmed, never substrings; phrases keep their order; an
 * author matches by any of the words of a name; categories match exactly.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class FilterLanguageTest {

    private static final Pattern TITLE = Pattern.compile("<h2><a href=\"/papers/[0-9a-f-]+\">(.*?)</a></h2>");

    @Inject
    DigestCandidates candidates;
    @Inject
    SitePaperReads site;

    @Test
    void eachFilterAloneAndCombinedDecidesDigestFeedAndSearchAlike() throws Exception {
        String w = word();
        PaperConsolidated a = paper("Robots Learn " + w + " by Reinforcement Learning (RL)", "We train robots.", List.of("Ada Lovelace"),
                List.of("cs.RO"), 9);
        PaperConsolidated b = paper("World Models for " + w + " and URL Parsing", "Worlds within worlds.", List.of("Grace Hopper"),
                List.of("cs.LG"), 5);
        PaperConsolidated c = paper("Diffusion " + w + " Transformers", "Noise schedules for image synthesis.",
                List.of("Alan Turing", "Ada Byron"), List.of("cs.CV", "cs.LG"), 1);
        papers(a, b, c);
        Map<String, PaperConsolidated> byLetter = Map.of("A", a, "B", b, "C", c);

        record Row(String name, PaperFilter filter, String expected) {
        }
        List<Row> table = List.of(
                new Row("the word alone", words(w), "ABC"),
                new Row("an acronym is a word, not a substring", words(w + " RL"), "A"),
                new Row("stemmed", words(w + " robot"), "A"),
                new Row("a phrase", words(w + " \"reinforcement learning\""), "A"),
                new Row("a phrase keeps its order", words(w + " \"learning reinforcement\""), ""),
                new Row("or", words(w + " diffusion or " + w + " world"), "BC"),
                new Row("any of two keywords", new PaperFilter(List.of(w + " diffusion", w + " world"), List.of(), List.of(), List.of(), 0),
                        "BC"),
                new Row("-word in a keyword", words(w + " -diffusion"), "AB"),
                new Row("an excluded keyword, stemmed", new PaperFilter(List.of(w), List.of("transformer"), List.of(), List.of(), 0), "AB"),
                new Row("an author by surname", new PaperFilter(List.of(w), List.of(), List.of("lovelace"), List.of(), 0), "A"),
                new Row("an author by full name", new PaperFilter(List.of(w), List.of(), List.of("Ada Byron"), List.of(), 0), "C"),
                new Row("an author by first name", new PaperFilter(List.of(w), List.of(), List.of("ada"), List.of(), 0), "AC"),
                new Row("a category", new PaperFilter(List.of(w), List.of(), List.of(), List.of("cs.LG"), 0), "BC"),
                new Row("either category", new PaperFilter(List.of(w), List.of(), List.of(), List.of("cs.RO", "cs.CV"), 0), "AC"),
                new Row("a category matches exactly", new PaperFilter(List.of(w), List.of(), List.of(), List.of("cs"), 0), ""),
                new Row("a minimum score", new PaperFilter(List.of(w), List.of(), List.of(), List.of(), 5), "AB"),
                new Row("author, category and exclusion", new PaperFilter(List.of(w), List.of("world"), List.of("ada"), List.of("cs.LG"), 0),
                        "C"),
                new Row("author and score", new PaperFilter(List.of(w), List.of(), List.of("ada"), List.of(), 5), "A"));

        for (Row row : table) {
            Map<String, List<String>> held = new LinkedHashMap<>();
            held.put("digest", letters(candidates.select(UUID.randomUUID(), true, Instant.EPOCH, row.filter(), 50).stream()
                    .map(DigestCandidates.Candidate::title).toList(), byLetter));
            held.put("feed", letters(candidates.select(UUID.randomUUID(), false, Instant.EPOCH, row.filter(), 50).stream()
                    .map(DigestCandidates.Candidate::title).toList(), byLetter));
            held.put("search", letters(site.search(row.filter(), 0, 50).stream().map(PaperRow::title).toList(), byLetter));
            if (row.filter().keywords().size() <= 1 && row.filter().excluded().isEmpty() && row.filter().minScore() == 0) {
                // What a search box can say: the line it reads back is the same filter, and the page holds the same papers.
                String line = row.filter().toQuery();
                assertThat(PaperFilter.parseQuery(line)).as("the search line of '%s': %s", row.name(), line).isEqualTo(row.filter());
                held.put("search page", letters(searchPage(line), byLetter));
            }
            for (var e : held.entrySet()) {
                assertThat(String.join("", e.getValue())).as("the %s for '%s'", e.getKey(), row.name()).isEqualTo(row.expected());
            }
        }
    }

    @Test
    void aSearchLineReadsFieldsAndLeavesTheRestAsWords() {
        PaperFilter f = PaperFilter.parseQuery("  \"world model\" -survey author:\"Fei-Fei Li\" cat:cs.CV author:hinton  ");
        assertThat(f.keywords()).containsExactly("\"world model\" -survey");
        assertThat(f.authors()).containsExactly("Fei-Fei Li", "hinton");
        assertThat(f.categories()).containsExactly("cs.CV");
        assertThat(PaperFilter.parseQuery("coauthor:x").authors()).as("a field name inside a word").isEmpty();
        assertThatThrownBy(() -> PaperFilter.parseQuery("-survey -review")).isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining("a word to look for");
        assertThat(PaperFilter.parseQuery("-survey author:hinton").keywords()).containsExactly("-survey");
    }

    @Test
    void aSearchTooLongIsRefusedWithTheReason() {
        String body = given().queryParam("q", "x".repeat(PaperFilter.MAX_QUERY_LENGTH + 1)).get("/search").then().statusCode(400)
                .extract().asString();
        assertThat(body).contains("at most " + PaperFilter.MAX_QUERY_LENGTH + " characters");
    }

    private static PaperFilter words(String query) {
        return PaperFilter.words(query);
    }

    private static List<String> searchPage(String line) {
        String html = given().queryParam("q", line).get("/search").then().statusCode(200).extract().asString();
        Matcher m = TITLE.matcher(html);
        List<String> titles = new java.util.ArrayList<>();
        while (m.find()) {
            titles.add(m.group(1).replaceAll("</?mark>", ""));
        }
        return titles;
    }

    /** Which of the three papers (A, B, C, in that order) the titles include; a title of any other paper counts too. */
    private static List<String> letters(List<String> titles, Map<String, PaperConsolidated> byLetter) {
        List<String> out = Stream.of("A", "B", "C").filter(l -> titles.contains(byLetter.get(l).title())).collect(Collectors.toList());
        titles.stream().filter(t -> byLetter.values().stream().noneMatch(p -> p.title().equals(t))).map(t -> "?" + t).forEach(out::add);
        return out;
    }
}
