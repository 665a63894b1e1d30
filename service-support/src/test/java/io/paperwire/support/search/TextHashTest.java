package io.paperwire.support.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hash is the one stored beside every search document: encoding as it goes must not change a single value. */
class TextHashTest {

    /** The definition the stored hashes were made with: FNV-1a over the bytes of the concatenated text. */
    private static long reference(String title, String abstractText) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (title + '\u0000' + (abstractText == null ? "" : abstractText)).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Test
    void equalsTheStoredDefinitionOnEveryKindOfCharacter() {
        String[][] cases = {
                {"Attention Is All You Need", "The dominant sequence transduction models ..."},
                {"", null}, {"", ""}, {"a", null},
                {"Über café naïve — “quotes”", "中文摘要 with ümlauts"},
                {"math 𝔽 and emoji 😀 pairs", "𝒜𝒷𝒸"},
                {"lone high \uD835 at the end\uD835", "lone low \uDC00 here"},
                {"\uDC00\uD800 reversed pair", "\u0000 nul inside"},
                {"\u007f\u0080\u07ff\u0800\uffff", "\uD7FF\uE000"},
        };
        for (String[] c : cases) {
            assertThat(TextHash.of(c[0], c[1])).as("%s / %s", c[0], c[1]).isEqualTo(reference(c[0], c[1]));
        }
    }

    @Test
    void equalsTheStoredDefinitionOnRandomText() {
        SplittableRandom random = new SplittableRandom(21);
        for (int n = 0; n < 20_000; n++) {
            String title = randomText(random);
            String abstractText = random.nextInt(10) == 0 ? null : randomText(random);
            assertThat(TextHash.of(title, abstractText)).isEqualTo(reference(title, abstractText));
        }
    }

    @Test
    void tellsTheTitleFromTheAbstract() {
        assertThat(TextHash.of("ab", "c")).isNotEqualTo(TextHash.of("a", "bc"));
        assertThat(TextHash.of("a", "")).isEqualTo(TextHash.of("a", null));
    }

    private static String randomText(SplittableRandom random) {
        char[] text = new char[random.nextInt(40)];
        for (int i = 0; i < text.length; i++) {
            text[i] = switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x80);
                case 1 -> (char) random.nextInt(0x800);
                case 2 -> (char) random.nextInt(0xD800, 0xE000); // surrogates, paired or not
                default -> (char) random.nextInt(0x10000);
            };
        }
        return new String(text);
    }
}
