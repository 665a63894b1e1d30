package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written cleaning says exactly what two regexes say: drop what must not travel (controls other than
 * whitespace, unpaired surrogates, U+FFFE/U+FFFF), then fold whitespace runs to one space.
 */
class EntryBuilderCleanTest {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    // Java's regex sees a valid surrogate pair as one code point, so the surrogate ranges match only unpaired halves.
    private static final Pattern UNCLEAN = Pattern.compile("[\\x00-\\x08\\x0E-\\x1F\\x7F-\\x9F\\uFFFE\\uFFFF\\uD800-\\uDFFF]");

    private static String byRegex(String s) {
        return WHITESPACE.matcher(UNCLEAN.matcher(s).replaceAll("")).replaceAll(" ").strip();
    }

    @Test
    void foldsRunsOfWhitespaceAndStripsTheEnds() {
        assertThat(EntryBuilder.clean("  Attention \t is\r\n\n all  you\u000Bneed\f ")).isEqualTo("Attention is all you need");
        assertThat(EntryBuilder.clean("already clean")).isEqualTo("already clean");
        assertThat(EntryBuilder.clean(null)).isEmpty();
        assertThat(EntryBuilder.clean(" \t\n ")).isEmpty();
        assertThat(EntryBuilder.clean("\u2003non-ASCII space\u00A0stays inside\u2003")).isEqualTo("non-ASCII space\u00A0stays inside");
    }

    @Test
    void dropsWhatPostgresqlAndXmlRefuse() {
        assertThat(EntryBuilder.clean("Null\u0000 byte\u0001 and\u007F\u0085 bell\u0007")).isEqualTo("Null byte and bell");
        assertThat(EntryBuilder.clean("lone \uD800 high, lone \uDC00 low, pair \uD835\uDC00 kept\uFFFF"))
                .isEqualTo("lone high, lone low, pair \uD835\uDC00 kept");
        assertThat(EntryBuilder.clean("a \u0000 \u0000 b")).isEqualTo("a b");
    }

    @Test
    void agreesWithTheRegexOnRandomText() {
        // Controls outside \s (U+0001, U+001C, U+0085), halves of surrogate pairs and Unicode spaces; strip() removes
        // some spaces at the ends.
        char[] alphabet = {'a', 'b', ' ', ' ', ' ', '\t', '\n', '\r', '\u000B', '\f', '\u00A0', '\u2003', 'é', '.', '\u0001', '\u001C',
            '\u0000', '\u0085', '\uD835', '\uDC00', '\uFFFF'};
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int j = random.nextInt(16); j > 0; j--) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            assertThat(EntryBuilder.clean(s)).as("[%s]", s.replace("\n", "\\n").replace("\t", "\\t")).isEqualTo(byRegex(s));
        }
    }
}
