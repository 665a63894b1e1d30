package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperwire.events.identity.TitleFingerprint;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ListingTextParserTest {

    static final Path SAMPLES = Path.of("..", "samples");
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    static ParsedListing sample(String name) throws Exception {
        try (Reader r = Files.newBufferedReader(SAMPLES.resolve(name), StandardCharsets.UTF_8)) {
            return ListingTextParser.parse(r, TODAY);
        }
    }

    @Test
    void readsBothSamplesAndTheirOverlap() throws Exception {
        ParsedListing a = sample("000_01ba4ec06044e9a5.txt");
        ParsedListing b = sample("001_0434b3d32f4aa226.txt");
        assertThat(a.entries()).hasSize(42);
        assertThat(b.entries()).hasSize(40);
        assertThat(a.rejected()).isEmpty();
        assertThat(b.rejected()).isEmpty();

        Set<String> fa = a.entries().stream().map(e -> TitleFingerprint.of(e.title())).collect(Collectors.toSet());
        Set<String> fb = b.entries().stream().map(e -> TitleFingerprint.of(e.title())).collect(Collectors.toSet());
        Set<String> shared = new HashSet<>(fa);
        shared.retainAll(fb);
        Set<String> all = new HashSet<>(fa);
        all.addAll(fb);
        assertThat(shared).hasSize(35);
        assertThat(all).hasSize(47);
    }

    @Test
    void dropsChromeAndReadsTheDateLine() throws Exception {
        ParsedListing a = sample("000_01ba4ec06044e9a5.txt");
        assertThat(a.listingDate()).isEqualTo(LocalDate.of(2026, 3, 11));
        ParsedEntry first = a.entries().get(0);
        assertThat(first.index()).isZero();
        assertThat(first.title()).isEqualTo(
                "Initialization using Update Approximation is a Silver Bullet for Extremely Efficient Low-Rank Fine-Tuning");
        assertThat(first.abstractText()).startsWith("Low-rank adapters have become standard");
        assertThat(a.entries()).noneMatch(e -> e.title().equalsIgnoreCase("Subscribe") || e.title().equals("new"));
        assertThat(sample("001_0434b3d32f4aa226.txt").listingDate()).isNull();
    }

    @Test
    void aYearlessDateIsTheLatestNotInTheFuture() {
        assertThat(ListingTextParser.dateLine("Dec 30", LocalDate.of(2026, 1, 2))).isEqualTo(LocalDate.of(2025, 12, 30));
        assertThat(ListingTextParser.dateLine("Jan 2", LocalDate.of(2026, 1, 2))).isEqualTo(LocalDate.of(2026, 1, 2));
        assertThat(ListingTextParser.dateLine("March 11, 2024", TODAY)).isEqualTo(LocalDate.of(2024, 3, 11));
        assertThat(ListingTextParser.dateLine("Feb 31", TODAY)).isNull();
        assertThat(ListingTextParser.dateLine("Marching orders", TODAY)).isNull();
    }

    @Test
    void joinsWrappedLinesAndReportsUnusableEntriesByIndex() throws Exception {
        String text = "Daily Papers\n\nA Title\nwrapped over lines\n\nIts abstract.\n\n"
                + "x".repeat(EntryBuilder.MAX_TITLE_LENGTH + 1) + "\n\nabstract of a monster\n\n"
                + "--\n\nabstract of punctuation\n\nLast Title Without Abstract\n";
        ParsedListing l = ListingTextParser.parse(new StringReader(text), TODAY);
        assertThat(l.entries()).singleElement().satisfies(e -> {
            assertThat(e.title()).isEqualTo("A Title wrapped over lines");
            assertThat(e.abstractText()).isEqualTo("Its abstract.");
        });
        assertThat(l.rejected()).extracting(ParsedListing.RejectedEntry::index).containsExactly(1, 2, 3);
        assertThat(l.rejected().get(0).reason()).contains("longer than");
        assertThat(l.rejected().get(1).reason()).contains("no letters or digits");
        assertThat(l.rejected().get(2).reason()).contains("without an abstract");
    }

    @Test
    void aDocumentWithoutEntriesCannotBeParsed() {
        assertThatThrownBy(() -> ListingTextParser.parse(new StringReader("new\n\nSubscribe\n\n   \n"), TODAY))
                .isInstanceOf(ListingParseException.class).hasMessageContaining("no listing entries");
        assertThatThrownBy(() -> ListingTextParser.parse(new StringReader(""), TODAY))
                .isInstanceOf(ListingParseException.class);
    }

    @Test
    void parsesALargePageCompletely() throws IOException, ListingParseException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("Title ").append(i).append("\n\nAbstract ").append(i).append("\n\n");
        }
        assertThat(ListingTextParser.parse(new StringReader(big.toString()), TODAY).entries()).hasSize(5000);
    }
}
