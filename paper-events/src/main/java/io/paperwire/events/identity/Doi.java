package io.paperwire.events.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalises DOIs (lower case, no resolver prefix) so that the same DOI written two ways is one identifier.
 * DOIs are case-insensitive by definition, which is what makes lower-casing safe.
 */
public final class Doi {

    private static final Pattern PREFIX =
            Pattern.compile("^(?:https?://(?:dx\\.)?doi\\.org/|doi:\\s*|info:doi/)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHAPE = Pattern.compile("10\\.\\d{4,9}/\\S+");
    private static final String ARXIV_DOI_PREFIX = "10.48550/arxiv.";

    private Doi() {
    }

    /** The normalised DOI, or empty when {@code raw} is not a DOI. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = PREFIX.matcher(raw.strip()).replaceFirst("").strip().toLowerCase(Locale.ROOT);
        return SHAPE.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    /** True for DataCite's arXiv DOIs ({@code 10.48550/arXiv.<id>}), which identify the arXiv id, not a DOI of their own. */
    public static boolean isArxivDoi(String normalisedDoi) {
        return normalisedDoi != null && normalisedDoi.startsWith(ARXIV_DOI_PREFIX);
    }
}
