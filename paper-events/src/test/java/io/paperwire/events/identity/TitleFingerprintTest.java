package io.paperwire.events.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TitleFingerprintTest {

    @Test
    void lowerCasesAndCollapsesPunctuation() {
        assertThat(TitleFingerprint.of("Attention Is All You Need!")).isEqualTo("attention is all you need");
        assertThat(TitleFingerprint.of("LoRA-SB: Low-Rank (Fine-Tuning)")).isEqualTo("lora sb low rank fine tuning");
    }

    @Test
    void arxivLineBreaksAndDoubleSpacesVanish() {
        String arxiv = "Initialization using Update Approximation is a Silver Bullet for\n  Extremely Efficient"
                + "  Low-Rank Fine-Tuning";
        String listing = "Initialization using Update Approximation is a Silver Bullet for Extremely Efficient Low-Rank Fine-Tuning";
        assertThat(TitleFingerprint.of(arxiv)).isEqualTo(TitleFingerprint.of(listing));
        assertThat(TitleFingerprint.of("a\r\nb\tc")).isEqualTo("a b c");
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', value = {
        // LaTeX accents, braced and unbraced, against rendered Unicode and plain ASCII
        "Poincar\\'e Duality|Poincaré Duality",
        "Poincar\\'{e} Duality|Poincare duality",
        "Poincar{\\'e} Duality|POINCARÉ DUALITY",
        "G\\\"odel's Theorem|Gödel’s theorem",
        "G\\\"{o}del|Godel",
        "Erd\\H{o}s Problems|Erdős problems",
        "\\v{S}ediv\\'y|Šedivý",
        "Fran\\c{c}ais|Français",
        "Se\\~nor|Señor",
        "na\\\"{\\i}ve Bayes|naïve Bayes",
        "\\`a la carte|à la carte",
        "Stra\\ss e|Straße",
        "Stra\\ss e|STRASSE",
        "\\O{}stergaard|Østergaard",
        "\\l{}ukasz|Łukasz",
        "Encyclop\\ae{}dia|Encyclopædia",
        // math kept as content
        "$k$-means Clustering|k-means clustering",
        "$O(n \\log n)$ Sorting|O(n log n) sorting",
        "$\\alpha$-Divergence|α-Divergence",
        "\\textbf{Bold} and \\emph{emphasised} Claims|Bold and emphasised claims",
        "$\\mathcal{O}(1)$ Memory|O(1) memory",
        // HTML entities and tags
        "Caf&eacute; &amp; Bar|Café & Bar",
        "Q&amp;A Models|Q&A models",
        "Caf&#233; Culture|Café culture",
        "Caf&#xE9; Culture|Café culture",
        "&alpha;-Divergence|α-Divergence",
        "<i>In vivo</i> Imaging|In vivo imaging",
        "x&nbsp;y|x y",
        // Unicode hyphens, dashes, spaces and compatibility forms
        "Self‐Supervised Learning|Self-Supervised Learning",
        "Self‑Supervised Learning|Self-Supervised Learning",
        "Pre–training — Revisited|Pre-training - Revisited",
        "Large\u00a0Language\u00a0Models|Large Language Models",
        "Thin\u2009Space\u3000Here|Thin Space Here",
        "ﬁne-tuning|fine-tuning",
        "ＧＰＴ-４|GPT-4",
        "x²|x2",
    })
    void equivalentSpellingsShareAFingerprint(String a, String b) {
        assertThat(TitleFingerprint.of(a)).isEqualTo(TitleFingerprint.of(b)).isNotBlank();
    }

    @Test
    void differentTitlesStayDifferent() {
        assertThat(TitleFingerprint.of("Attention Is All You Need"))
                .isNotEqualTo(TitleFingerprint.of("Attention Is Not All You Need"));
        assertThat(TitleFingerprint.of("GPT-4")).isNotEqualTo(TitleFingerprint.of("GPT-5"));
        assertThat(TitleFingerprint.of("x < y")).isEqualTo("x y");
    }

    @Test
    void nonLatinScriptsSurvive() {
        assertThat(TitleFingerprint.of("大規模言語モデル")).isEqualTo("大規模言語モデル");
        assertThat(TitleFingerprint.of("Ελληνικά Κείμενα")).isEqualTo("ελληνικα κειμενα");
    }

    @Test
    void emptyAndNullGiveEmpty() {
        assertThat(TitleFingerprint.of(null)).isEmpty();
        assertThat(TitleFingerprint.of("  --  ")).isEmpty();
        assertThat(TitleFingerprint.of("&#xFFFFFF;")).isEmpty();
    }

    @Test
    void unknownEntitiesAndCommandsAreKeptAsWords() {
        assertThat(TitleFingerprint.of("The &foo; Model")).isEqualTo("the foo model");
        assertThat(TitleFingerprint.of("Typesetting with \\LaTeX{} is Fun")).isEqualTo("typesetting with latex is fun");
    }

    @Test
    void thePlainAsciiPathAgreesWithTheGeneralOneOnRandomTitles() {
        // Mostly ASCII titles with a few characters that must leave the fast path (tags, entities, LaTeX, accents,
        // Greek), so that both paths are exercised and compared character for character.
        String ascii = "abcXYZ019 -:,.()[]{}'\"!?_/+*=#%^~`|;@\t\n\r\u000B\f\u0000\u001F\u007F";
        String[] special = {"<i>", "</b>", "&amp;", "&eacute;", "&#233;", "\\'e", "$\\alpha$", "é", "ß", "Σ", "ﬁ", "\u00A0", "Ø"};
        Random random = new Random(20261123);
        int plain = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder title = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                if (random.nextInt(40) == 0) {
                    title.append(special[random.nextInt(special.length)]);
                } else {
                    title.append(ascii.charAt(random.nextInt(ascii.length())));
                }
            }
            String t = title.toString();
            if (TitleFingerprint.isPlainAscii(t)) {
                plain++;
            }
            assertThat(TitleFingerprint.of(t)).as("fingerprint of %s", t).isEqualTo(TitleFingerprint.ofUnicode(t));
        }
        assertThat(plain).as("titles that took the plain ASCII path").isBetween(2_000, 18_000);
    }
}
