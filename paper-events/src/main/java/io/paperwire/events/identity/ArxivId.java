package io.paperwire.events.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises every way an arXiv identifier is written (bare, {@code arXiv:} prefix, abs/pdf URLs, OAI
 * identifiers, arXiv DOIs) to the version-less id, so that v1 and v2 of a paper are one paper.
 */
public final class ArxivId {

    // New style since 2007: YYMM.NNNN (to 2014) or YYMM.NNNNN, optional version.
    private static final Pattern NEW_STYLE = Pattern.compile("(\\d{4}\\.\\d{4,5})(?:v\\d+)?");
    // Old style: archive[.SUBJECT-CLASS]/YYMMNNN, optional version. The archive is matched as a whole
    // word ("solv-int", "hep-th"), never split on a letter 'v'.
    private static final Pattern OLD_STYLE =
            Pattern.compile("([a-z]+(?:-[a-z]+)*)(?:\\.[a-z]{2})?/(\\d{7})(?:v\\d+)?");
    private static final Pattern[] PREFIXES = {
        Pattern.compile("^(?:https?://)?(?:www\\.|export\\.)?arxiv\\.org/(?:abs|pdf|html|format)/"),
        Pattern.compile("^oai:arxiv\\.org:"),
        Pattern.compile("^(?:https?://)?(?:dx\\.)?doi\\.org/10\\.48550/arxiv\\."),
        Pattern.compile("^(?:doi:)?10\\.48550/arxiv\\."),
        Pattern.compile("^arxiv:"),
    };
    private static final Pattern SUFFIX = Pattern.compile("(?:\\.pdf)?/?(?:[?#].*)?$");

    private ArxivId() {
    }

    /**
     * The version-less arXiv id, or empty when {@code raw} is not an arXiv identifier.
     * {@code "https://arxiv.org/pdf/2401.12345v2.pdf"} gives {@code "2401.12345"};
     * {@code "math.GT/0309136v1"} gives {@code "math/0309136"} (the subject class is not part of the id).
     */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        for (Pattern prefix : PREFIXES) {
            Matcher m = prefix.matcher(s);
            if (m.find()) {
                s = s.substring(m.end());
                break;
            }
        }
        s = SUFFIX.matcher(s).replaceFirst("");
        Matcher m = NEW_STYLE.matcher(s);
        if (m.matches()) {
            return Optional.of(m.group(1));
        }
        m = OLD_STYLE.matcher(s);
        if (m.matches()) {
            return Optional.of(m.group(1) + "/" + m.group(2));
        }
        return Optional.empty();
    }
}
