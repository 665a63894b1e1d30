package io.paperwire.events.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DoiTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "10.1145/3292500.3330701|10.1145/3292500.3330701",
        "https://doi.org/10.1145/3292500.3330701|10.1145/3292500.3330701",
        "http://dx.doi.org/10.1145/3292500.3330701|10.1145/3292500.3330701",
        "doi:10.1145/3292500.3330701|10.1145/3292500.3330701",
        "DOI: 10.1145/3292500.3330701|10.1145/3292500.3330701",
        "info:doi/10.1000/XYZ123|10.1000/xyz123",
        "10.1103/PhysRevLett.116.061102|10.1103/physrevlett.116.061102",
        "https://DOI.ORG/10.1038/NATURE14539|10.1038/nature14539",
    })
    void normalisesPrefixAndCase(String raw, String expected) {
        assertThat(Doi.normalise(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.1/x", "11.1145/3292500", "doi:", "2401.12345", "10.1145/ has space"})
    void rejectsWhatIsNotADoi(String raw) {
        assertThat(Doi.normalise(raw)).isEmpty();
    }

    @Test
    void arxivDoiIsRecognisedAndResolvesToTheArxivId() {
        assertThat(Doi.normalise("10.48550/arXiv.2401.12345")).hasValueSatisfying(d -> assertThat(Doi.isArxivDoi(d)).isTrue());
        assertThat(Doi.isArxivDoi("10.1145/3292500.3330701")).isFalse();

        PaperIdentifiers ids = PaperIdentifiers.resolve(List.of("https://doi.org/10.48550/arXiv.2401.12345"));
        assertThat(ids.arxivId()).isEqualTo("2401.12345");
        assertThat(ids.doi()).isNull();
    }

    @Test
    void resolveKeepsEvidenceAndSeparatesArxivFromDoi() {
        PaperIdentifiers ids = PaperIdentifiers.resolve(
                Arrays.asList("arXiv:2401.12345v2", null, " ", "https://doi.org/10.1145/3292500.3330701", "2402.00001"));
        assertThat(ids.arxivId()).isEqualTo("2401.12345");
        assertThat(ids.doi()).isEqualTo("10.1145/3292500.3330701");
        assertThat(ids.rawIdentifiers())
                .containsExactly("arXiv:2401.12345v2", "https://doi.org/10.1145/3292500.3330701", "2402.00001");
    }
}
