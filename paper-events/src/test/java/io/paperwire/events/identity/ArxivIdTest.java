package io.paperwire.events.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArxivIdTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "2401.12345|2401.12345",
        "2401.12345v2|2401.12345",
        "arXiv:2401.12345v2|2401.12345",
        "arxiv:2401.12345|2401.12345",
        "ARXIV:2401.12345V3|2401.12345",
        "https://arxiv.org/abs/2401.12345v2|2401.12345",
        "http://arxiv.org/abs/2401.12345|2401.12345",
        "https://www.arxiv.org/abs/2401.12345v1|2401.12345",
        "http://export.arxiv.org/abs/2401.12345v4|2401.12345",
        "https://arxiv.org/pdf/2401.12345v2.pdf|2401.12345",
        "https://arxiv.org/pdf/2401.12345v2|2401.12345",
        "https://arxiv.org/pdf/2401.12345|2401.12345",
        "https://arxiv.org/html/2401.12345v1|2401.12345",
        "https://arxiv.org/abs/2401.12345v2?context=cs|2401.12345",
        "https://arxiv.org/abs/2401.12345/|2401.12345",
        "oai:arXiv.org:2401.12345v2|2401.12345",
        "oai:arXiv.org:2401.12345|2401.12345",
        "0704.0001|0704.0001",
        "1412.9999v12|1412.9999",
        "10.48550/arXiv.2401.12345|2401.12345",
        "https://doi.org/10.48550/arXiv.2401.12345|2401.12345",
        "doi:10.48550/ARXIV.2401.12345|2401.12345",
        "'  arXiv:2401.12345v2  '|2401.12345",
    })
    void newStyleIdsLoseTheirPrefixAndVersion(String raw, String expected) {
        assertThat(ArxivId.normalise(raw)).contains(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "hep-th/9901001v1|hep-th/9901001",
        "hep-th/9901001|hep-th/9901001",
        "arXiv:hep-th/9901001v3|hep-th/9901001",
        "https://arxiv.org/abs/hep-th/9901001v1|hep-th/9901001",
        "https://arxiv.org/pdf/hep-th/9901001v1.pdf|hep-th/9901001",
        "oai:arXiv.org:hep-th/9901001|hep-th/9901001",
        // 'solv-int' has a 'v' in the archive name: it must not be taken for a version.
        "solv-int/9901001|solv-int/9901001",
        "solv-int/9901001v2|solv-int/9901001",
        "oai:arXiv.org:solv-int/9901001v1|solv-int/9901001",
        "cond-mat/0102536v1|cond-mat/0102536",
        "astro-ph/0001001|astro-ph/0001001",
        "gr-qc/9805001v2|gr-qc/9805001",
        "quant-ph/9508027|quant-ph/9508027",
        "q-bio/0401001|q-bio/0401001",
        "nlin/0101001v1|nlin/0101001",
        "math/0309136|math/0309136",
        // The subject class is a label of the listing, not part of the identifier.
        "math.GT/0309136v1|math/0309136",
        "cs.AI/0101001|cs/0101001",
        "HEP-TH/9901001V1|hep-th/9901001",
    })
    void oldStyleIdsKeepTheirArchive(String raw, String expected) {
        assertThat(ArxivId.normalise(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "2401.123", "2401.1234567", "24011.12345", "hello", "10.1145/3292500.3330701",
        "https://example.org/abs/2401.12345", "hep-th/990100", "hep-th/99010011", "v2", "arXiv:", "2401.12345v"})
    void rejectsWhatIsNotAnArxivId(String raw) {
        assertThat(ArxivId.normalise(raw)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void nullIsNoId() {
        assertThat(ArxivId.normalise(null)).isEmpty();
    }
}
