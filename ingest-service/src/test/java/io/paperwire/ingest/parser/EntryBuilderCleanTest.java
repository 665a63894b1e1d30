package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written whitespace folding says exactly what the regex it replaced said. */
class EntryBuilderCleanTest {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static String byRegex(String s) {
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
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
    void agreesWithTheRegexOnRandomText() {
        // Control characters outside \s (U+0001, U+001C) and Unicode spaces stay inside; strip() removes some at the ends.
        char[] alphabet = {'a', 'b', ' ', ' ', ' ', '\t', '\n', '\r', '\u000B', '\f', '\u00A0', '\u2003', 'é', '.', '\u0001', '\u001C'};
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
