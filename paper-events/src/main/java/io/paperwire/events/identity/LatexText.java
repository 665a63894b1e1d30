package io.paperwire.events.identity;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the LaTeX that arXiv titles, abstracts and author lists carry into plain Unicode text:
 * {@code G\\"odel} becomes "Gödel", {@code $\\alpha$-Divergence} becomes "α-Divergence", formatting commands and
 * grouping braces vanish, other commands become their name. Used for display and, folded further, for fingerprints.
 */
public final class LatexText {

    private static final Map<String, String> ACCENTS = Map.ofEntries(
            Map.entry("'", "\u0301"), Map.entry("`", "\u0300"), Map.entry("^", "\u0302"), Map.entry("\"", "\u0308"),
            Map.entry("~", "\u0303"), Map.entry("=", "\u0304"), Map.entry(".", "\u0307"), Map.entry("u", "\u0306"),
            Map.entry("v", "\u030C"), Map.entry("H", "\u030B"), Map.entry("c", "\u0327"), Map.entry("k", "\u0328"),
            Map.entry("r", "\u030A"), Map.entry("d", "\u0323"), Map.entry("b", "\u0331"), Map.entry("t", "\u0361"),
            Map.entry("G", "\u030F"));

    private static final Map<String, String> GREEK = Map.ofEntries(
            Map.entry("alpha", "α"), Map.entry("beta", "β"), Map.entry("gamma", "γ"), Map.entry("delta", "δ"),
            Map.entry("epsilon", "ε"), Map.entry("varepsilon", "ε"), Map.entry("zeta", "ζ"), Map.entry("eta", "η"),
            Map.entry("theta", "θ"), Map.entry("vartheta", "θ"), Map.entry("iota", "ι"), Map.entry("kappa", "κ"),
            Map.entry("lambda", "λ"), Map.entry("mu", "μ"), Map.entry("nu", "ν"), Map.entry("xi", "ξ"),
            Map.entry("pi", "π"), Map.entry("varpi", "π"), Map.entry("rho", "ρ"), Map.entry("varrho", "ρ"),
            Map.entry("sigma", "σ"), Map.entry("varsigma", "σ"), Map.entry("tau", "τ"), Map.entry("upsilon", "υ"),
            Map.entry("phi", "φ"), Map.entry("varphi", "φ"), Map.entry("chi", "χ"), Map.entry("psi", "ψ"),
            Map.entry("omega", "ω"), Map.entry("Gamma", "Γ"), Map.entry("Delta", "Δ"), Map.entry("Theta", "Θ"),
            Map.entry("Lambda", "Λ"), Map.entry("Xi", "Ξ"), Map.entry("Pi", "Π"), Map.entry("Sigma", "Σ"),
            Map.entry("Upsilon", "Υ"), Map.entry("Phi", "Φ"), Map.entry("Psi", "Ψ"), Map.entry("Omega", "Ω"));

    private static final Map<String, String> LATEX_LETTERS = Map.of(
            "ss", "ß", "o", "ø", "O", "Ø", "ae", "æ", "AE", "Æ", "oe", "œ", "OE", "Œ",
            "aa", "å", "AA", "Å", "l", "ł");

    private static final Pattern DOTLESS = Pattern.compile("\\\\([ij])(?![A-Za-z])");
    // \'e  \'{e}  \' e  {\'e}: a symbol accent followed by one letter, braced or not.
    private static final Pattern SYMBOL_ACCENT =
            Pattern.compile("\\\\([`'^\"~=.])\\s*(?:\\{\\s*([A-Za-z])\\s*\\}|([A-Za-z]))");
    // \v{s}  \c{c}  \H{o} (and the breve, dot-under, ...): letter-named accents take a braced argument.
    private static final Pattern LETTER_ACCENT = Pattern.compile("\\\\([uvHckrdbtG])\\s*\\{\\s*([A-Za-z]*)\\s*\\}");
    private static final Pattern FORMATTING = Pattern.compile(
            "\\\\(?:text(?:bf|it|rm|sf|tt|sc|up|sl|normal)?|emph|math(?:rm|bf|cal|bb|it|sf|tt|frak|scr)|"
                    + "operatorname|boldsymbol|bm|mbox|underline|overline|hat|widehat|tilde|widetilde|bar|vec|dot|"
                    + "ddot|mathring|textsuperscript|textsubscript|ensuremath)(?![A-Za-z])\\*?");
    // A control word ends at the first non-letter; after a letter command (\\ss, \\o) the space is swallowed,
    // as LaTeX does ("Stra\\ss e" is "Straße").
    private static final Pattern COMMAND = Pattern.compile("\\\\([A-Za-z]+)( ?)");

    private LatexText() {
    }

    static String greek(String name) {
        return GREEK.get(name);
    }

    private static String accented(String letters, String accent) {
        if (letters == null || letters.isEmpty()) {
            return "";
        }
        return letters.charAt(0) + ACCENTS.getOrDefault(accent, "") + letters.substring(1);
    }

    /** Plain Unicode for {@code s}; text without a backslash or a dollar sign is returned unchanged. */
    public static String toUnicode(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('$') < 0) {
            return s;
        }
        s = s.replace("$", "");
        s = DOTLESS.matcher(s).replaceAll("$1");
        s = SYMBOL_ACCENT.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                accented(m.group(2) != null ? m.group(2) : m.group(3), m.group(1))));
        s = LETTER_ACCENT.matcher(s).replaceAll(m -> Matcher.quoteReplacement(accented(m.group(2), m.group(1))));
        s = FORMATTING.matcher(s).replaceAll("");
        s = COMMAND.matcher(s).replaceAll(m -> {
            String name = m.group(1);
            String letter = LATEX_LETTERS.get(name);
            if (letter != null) {
                return letter;
            }
            // Any other command stands for itself; a space typed after it is kept so words stay apart.
            return Matcher.quoteReplacement(GREEK.getOrDefault(name, name) + m.group(2));
        });
        // Braces only group in LaTeX ("Poincar{\\'e}", "\\O{}stergaard"): they must not split a word.
        return Normalizer.normalize(s.replace("{", "").replace("}", ""), Normalizer.Form.NFC);
    }
}
