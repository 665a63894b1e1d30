package io.paperwire.events.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatexTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "G\\\"odel|Gödel",
        "G{\\\"o}del|Gödel",
        "Poincar\\'{e}|Poincaré",
        "Erd\\H{o}s|Erdős",
        "\\v{S}ediv\\'y|Šedivý",
        "Fran\\c{c}ois|François",
        "na\\\"{\\i}ve|naïve",
        "Stra\\ss e|Straße",
        "\\O{}stergaard|Østergaard",
        "\\l{}ukasz|łukasz",
        "$\\alpha$-Divergence|α-Divergence",
        "\\textbf{Bold} move|Bold move",
        "plain text stays|plain text stays",
    })
    void rendersLatexAsUnicode(String latex, String unicode) {
        assertThat(LatexText.toUnicode(latex)).isEqualTo(unicode);
    }
}
