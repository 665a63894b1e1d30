package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.events.SightingLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: whatever is done to a real document, a parser gives a listing or a {@link ListingParseException} (a 400),
 * never another exception (a 500), and every entry it gives is clean and within the contract's limits. Seeded random
 * mutations of the real fixtures and samples (bytes flipped, cut, repeated, hostile snippets spliced in), so a failure
 * is reproducible from its seed. (jqwik resolves here, but its engine trails the JUnit Platform that Quarkus 3.34
 * brings; seeded mutation needs nothing new.)
 */
class ParserMutationTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    static final int MUTATIONS = 400;
    static final byte[][] SNIPPETS = {
        "\u0000".getBytes(StandardCharsets.UTF_8), "\\u0000".getBytes(StandardCharsets.UTF_8), {(byte) 0xC3, 0x28},
        {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>".getBytes(StandardCharsets.UTF_8),
        "&e;".getBytes(StandardCharsets.UTF_8), "&#1;".getBytes(StandardCharsets.UTF_8), "<![CDATA[".getBytes(StandardCharsets.UTF_8),
        "\"".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8), "[[[[[[[[".getBytes(StandardCharsets.UTF_8),
        "99999999999999999999999".getBytes(StandardCharsets.UTF_8), "\n\n".getBytes(StandardCharsets.UTF_8), "</entry>".getBytes(StandardCharsets.UTF_8),
        "<entry><title>".getBytes(StandardCharsets.UTF_8), "\u202E\uFEFF".getBytes(StandardCharsets.UTF_8)
    };

    static Stream<Arguments> documents() throws IOException {
        return Stream.of(
                Arguments.of("application/json", fixture("hf-daily-papers.json")),
                Arguments.of("application/atom+xml", fixture("arxiv-api.atom.xml")),
                Arguments.of("application/atom+xml", fixture("arxiv-feed.atom.xml")),
                Arguments.of("application/rss+xml", fixture("arxiv.rss.xml")),
                Arguments.of("application/xml", fixture("oai-listrecords.xml")),
                Arguments.of("text/plain", Files.readAllBytes(Path.of("..", "samples", "000_01ba4ec06044e9a5.txt"))));
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ParserMutationTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("documents")
    void anyMutationParsesOrIsRefusedAsA400AndWhatParsesIsClean(String mediaType, byte[] original) {
        ListingParser parser = ListingFormats.forMediaType(mediaType).orElseThrow();
        for (int seed = 0; seed < MUTATIONS; seed++) {
            byte[] mutated = mutate(original, new Random(seed * 31L + mediaType.hashCode()));
            ParsedListing listing;
            try {
                listing = parser.parse(new ByteArrayInputStream(mutated), TODAY);
            } catch (ListingParseException | IOException refused) {
                continue; // answered 400 (413 for too many entries)
            } catch (RuntimeException | StackOverflowError escaped) {
                throw new AssertionError(mediaType + " mutation seed " + seed + " escaped the parser", escaped);
            }
            for (ParsedEntry e : listing.entries()) {
                String where = mediaType + " seed " + seed + " entry " + e.index();
                assertThat(e.title()).as(where).isNotBlank().hasSizeLessThanOrEqualTo(SightingLimits.TITLE);
                assertThat(SightingLimits.firstUnclean(e.title())).as(where).isNegative();
                assertThat(e.title()).as(where).doesNotContain("\n", "\t", "  ");
                if (e.abstractText() != null) {
                    assertThat(e.abstractText()).as(where).hasSizeLessThanOrEqualTo(SightingLimits.ABSTRACT);
                    assertThat(SightingLimits.firstUnclean(e.abstractText())).as(where).isNegative();
                }
                assertThat(e.authors()).as(where).hasSizeLessThanOrEqualTo(SightingLimits.AUTHORS)
                        .allSatisfy(a -> assertThat(SightingLimits.firstUnclean(a)).isNegative());
                assertThat(e.links()).as(where).hasSizeLessThanOrEqualTo(SightingLimits.LINKS)
                        .allSatisfy(l -> assertThat(SightingLimits.firstUnclean(l.href())).isNegative());
                assertThat(e.categories()).as(where).hasSizeLessThanOrEqualTo(SightingLimits.CATEGORIES);
            }
        }
    }

    /** One to four edits: flip, delete, repeat a slice, splice a hostile snippet, or cut the end. */
    static byte[] mutate(byte[] doc, Random random) {
        byte[] d = doc;
        for (int edits = 1 + random.nextInt(4); edits > 0 && d.length > 0; edits--) {
            int at = random.nextInt(d.length);
            switch (random.nextInt(5)) {
                case 0 -> {
                    d = d.clone();
                    d[at] = (byte) random.nextInt(256);
                }
                case 1 -> d = concat(Arrays.copyOfRange(d, 0, at), Arrays.copyOfRange(d, Math.min(d.length, at + 1 + random.nextInt(64)), d.length));
                case 2 -> {
                    int len = Math.min(d.length - at, 1 + random.nextInt(512));
                    d = concat(Arrays.copyOfRange(d, 0, at + len), Arrays.copyOfRange(d, at, d.length));
                }
                case 3 -> d = concat(Arrays.copyOfRange(d, 0, at), SNIPPETS[random.nextInt(SNIPPETS.length)], Arrays.copyOfRange(d, at, d.length));
                default -> d = Arrays.copyOf(d, at);
            }
        }
        return d;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

}
