package io.paperwire.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The limits catch what they say, and a paper at every limit at once still fits a Kafka record. */
class SightingLimitsTest {

    static PaperSighted sighting(String title, String abstractText, List<String> authors, List<Link> links) {
        return new PaperSighted("src", PaperSighted.SourceKind.ARXIV_API, Instant.EPOCH, null, 1, null, null, "fp", List.of(),
                title, abstractText, authors, List.of("cs.LG"), null, links, null);
    }

    static String times(String s, int n) {
        return String.join("", Collections.nCopies(n, s));
    }

    @Test
    void aCleanSightingWithinEveryLimitPasses() {
        assertThat(SightingLimits.violation(sighting(times("t", SightingLimits.TITLE), times("é", SightingLimits.ABSTRACT),
                Collections.nCopies(SightingLimits.AUTHORS, "A. Author \uD835\uDC00"), List.of(new Link("pdf", "https://x/y"))))).isNull();
    }

    @Test
    void eachBoundAndEveryUncleanCharacterIsNamed() {
        assertThat(SightingLimits.violation(sighting(times("t", SightingLimits.TITLE + 1), null, null, null)))
                .startsWith("title has 501 characters");
        assertThat(SightingLimits.violation(sighting("t", times("a", SightingLimits.ABSTRACT + 1), null, null))).startsWith("abstract");
        assertThat(SightingLimits.violation(sighting("t", null, Collections.nCopies(SightingLimits.AUTHORS + 1, "A"), null)))
                .startsWith("authors has 501 items");
        assertThat(SightingLimits.violation(sighting("t", null, List.of("ok", times("a", SightingLimits.AUTHOR + 1)), null)))
                .startsWith("authors[1] has");
        assertThat(SightingLimits.violation(sighting("t", null, null,
                IntStream.range(0, SightingLimits.LINKS + 1).mapToObj(i -> new Link("x", "https://h/" + i)).toList())))
                .startsWith("links has 21 items");
        assertThat(SightingLimits.violation(sighting("Null\u0000", null, null, null))).contains("title", "U+0000");
        assertThat(SightingLimits.violation(sighting("t", "tab\there\r\nand lines", null, null))).as("valid in PostgreSQL and XML").isNull();
        assertThat(SightingLimits.violation(sighting("t", "form\ffeed", null, null))).contains("abstract", "U+000C");
        assertThat(SightingLimits.violation(sighting("t", "lone \uD800 half", null, null))).contains("U+D800");
        assertThat(SightingLimits.violation(sighting("t", "C1 \u0085 and DEL \u007F", null, null))).as("valid XML, stored fine").isNull();
        assertThat(SightingLimits.violation(sighting("t", "noncharacter \uFFFE", null, null))).contains("U+FFFE");
        assertThat(SightingLimits.violation(sighting("t", null, List.of("Ok\u0007"), null))).contains("authors[0]", "U+0007");
    }

    @Test
    void longAuthorListsAreCutNotRefused() {
        PaperSighted many = sighting("t", null, Collections.nCopies(SightingLimits.AUTHORS * 6, "A"), null);
        assertThat(SightingLimits.violation(many)).isNotNull();
        PaperSighted cut = SightingLimits.withAuthorsCut(many);
        assertThat(cut.authors()).hasSize(SightingLimits.AUTHORS);
        assertThat(SightingLimits.violation(cut)).isNull();
    }

    @Test
    void aPaperAtEveryLimitAtOnceFitsAKafkaRecord() throws Exception {
        // Three UTF-8 bytes per character is the widest clean text gets (a surrogate pair is four bytes for two).
        String wide = "\u20AC";
        List<String> aliases = Collections.nCopies(SightingLimits.STATE_TITLE_ALIASES, times(wide, SightingLimits.TITLE));
        List<String> authors = Collections.nCopies(SightingLimits.AUTHORS, times(wide, SightingLimits.AUTHOR));
        List<String> categories = Collections.nCopies(SightingLimits.STATE_CATEGORIES, times(wide, SightingLimits.CATEGORY));
        List<String> sources = Collections.nCopies(SightingLimits.STATE_SOURCES, times(wide, SightingLimits.SOURCE));
        List<Link> links = Collections.nCopies(SightingLimits.STATE_LINKS,
                new Link(times(wide, SightingLimits.LINK_REL), times(wide, SightingLimits.LINK_HREF)));
        PaperConsolidated max = new PaperConsolidated("00000000-0000-0000-0000-000000000000", Long.MAX_VALUE,
                PaperConsolidated.ChangeType.IDENTIFIERS_ADDED, times(wide, SightingLimits.RAW_IDENTIFIER),
                times(wide, SightingLimits.RAW_IDENTIFIER), times(wide, SightingLimits.TITLE), times(wide, SightingLimits.TITLE),
                aliases, times(wide, SightingLimits.ABSTRACT), authors, categories, Instant.MAX, Instant.MAX, Integer.MAX_VALUE,
                sources, Integer.MAX_VALUE, Double.MAX_VALUE, links, Instant.MAX);
        int bytes = PaperEventsJson.mapper().writeValueAsBytes(max).length;
        assertThat(bytes).isLessThan(SightingLimits.STATE_MAX_BYTES).isLessThan(1024 * 1024);
    }
}
