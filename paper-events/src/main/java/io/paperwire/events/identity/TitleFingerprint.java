package io.paperwire.events.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The title fingerprint of DESIGN.md: the same title written by two sources (LaTeX on arXiv, rendered
 * Unicode on a listing page, HTML entities in a feed, line breaks and double spaces anywhere) gives the
 * same string. It is the Kafka key of a sighting and the weak identity of a paper with no arXiv id or DOI.
 *
 * <p>Steps: HTML tags stripped and entities decoded; LaTeX math delimiters dropped (their content kept),
 * accent commands reduced to their letter, Greek letter commands mapped to the letter, formatting commands
 * dropped; diacritics folded (so {@code Poincar\'e}, {@code Poincar&eacute;} and {@code Poincaré} agree);
 * Unicode NFKC; full case folding; every run of characters that are not letters or digits becomes one space.
 */
public final class TitleFingerprint {

    private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z][A-Za-z0-9]*(?:\\s[^<>]*)?/?>");
    private static final Pattern ENTITY = Pattern.compile("&(?:#(\\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));");
    private static final Pattern ENTITY_ACCENTED =
            Pattern.compile("([A-Za-z])(?:acute|grave|circ|uml|tilde|ring|cedil|slash|caron)");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "-"), Map.entry("mdash", "-"),
            Map.entry("hellip", "..."), Map.entry("lsquo", "'"), Map.entry("rsquo", "'"), Map.entry("ldquo", "\""),
            Map.entry("rdquo", "\""), Map.entry("laquo", "\""), Map.entry("raquo", "\""), Map.entry("times", "x"),
            Map.entry("middot", " "), Map.entry("szlig", "ss"), Map.entry("aelig", "ae"), Map.entry("AElig", "AE"),
            Map.entry("oelig", "oe"), Map.entry("OElig", "OE"), Map.entry("thinsp", " "), Map.entry("ensp", " "),
            Map.entry("emsp", " "), Map.entry("shy", ""), Map.entry("zwj", ""), Map.entry("zwnj", ""));

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
            "ss", "ss", "o", "o", "O", "O", "ae", "ae", "AE", "AE", "oe", "oe", "OE", "OE",
            "aa", "a", "AA", "A", "l", "l");

    // Latin letters with a stroke or ligature have no Unicode decomposition; fold them like their LaTeX forms.
    private static final Map<Integer, String> UNDECOMPOSABLE = Map.ofEntries(
            Map.entry((int) 'ø', "o"), Map.entry((int) 'Ø', "O"), Map.entry((int) 'ł', "l"), Map.entry((int) 'Ł', "L"),
            Map.entry((int) 'đ', "d"), Map.entry((int) 'Đ', "D"), Map.entry((int) 'æ', "ae"), Map.entry((int) 'Æ', "AE"),
            Map.entry((int) 'œ', "oe"), Map.entry((int) 'Œ', "OE"), Map.entry((int) 'ı', "i"));

    private static final Pattern DOTLESS = Pattern.compile("\\\\([ij])(?![A-Za-z])");
    // \'e  \'{e}  \' e  {\'e}: a symbol accent followed by one letter, braced or not.
    private static final Pattern SYMBOL_ACCENT =
            Pattern.compile("\\\\[`'^\"~=.]\\s*(?:\\{\\s*([A-Za-z])\\s*\\}|([A-Za-z]))");
    // \v{s}  \c{c}  \H{o} (and the breve, dot-under, ...): letter-named accents take a braced argument.
    private static final Pattern LETTER_ACCENT = Pattern.compile("\\\\[uvHckrdbtG]\\s*\\{\\s*([A-Za-z]*)\\s*\\}");
    private static final Pattern FORMATTING = Pattern.compile(
            "\\\\(?:text(?:bf|it|rm|sf|tt|sc|up|sl|normal)?|emph|math(?:rm|bf|cal|bb|it|sf|tt|frak|scr)|"
                    + "operatorname|boldsymbol|bm|mbox|underline|overline|hat|widehat|tilde|widetilde|bar|vec|dot|"
                    + "ddot|mathring|textsuperscript|textsubscript|ensuremath)(?![A-Za-z])\\*?");
    // A control word ends at the first non-letter; a space after it is swallowed, as LaTeX does ("Stra\\ss e").
    private static final Pattern COMMAND = Pattern.compile("\\\\([A-Za-z]+) ?");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    private TitleFingerprint() {
    }

    /** The fingerprint of {@code title}; an empty string when the title has no letters or digits at all. */
    public static String of(String title) {
        if (title == null) {
            return "";
        }
        String s = HTML_TAG.matcher(title).replaceAll(" ");
        s = decodeEntities(s);
        s = latexToText(s);
        s = foldDiacritics(Normalizer.normalize(s, Normalizer.Form.NFKD));
        s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        // Upper then lower is Java's closest to Unicode full case folding: "ß" -> "SS" -> "ss", "ς" -> "Σ" -> "σ".
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return NOT_LETTER_OR_DIGIT.matcher(s).replaceAll(" ").strip();
    }

    /**
     * Drops combining marks that sit on a Latin, Greek or Cyrillic letter (accents, which sources spell
     * inconsistently) and keeps every other mark: a Japanese dakuten or a Devanagari vowel sign is part of
     * the letter, and dropping it would make different words equal.
     */
    private static String foldDiacritics(String decomposed) {
        StringBuilder out = new StringBuilder(decomposed.length());
        Character.UnicodeScript base = Character.UnicodeScript.COMMON;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK;
            if (!mark) {
                base = Character.UnicodeScript.of(cp);
                String folded = UNDECOMPOSABLE.get(cp);
                if (folded != null) {
                    out.append(folded);
                    continue;
                }
            } else if (base == Character.UnicodeScript.LATIN || base == Character.UnicodeScript.GREEK
                    || base == Character.UnicodeScript.CYRILLIC) {
                continue;
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String entity(Matcher m) {
        try {
            if (m.group(1) != null) {
                return Character.toString(Integer.parseInt(m.group(1)));
            }
            if (m.group(2) != null) {
                return Character.toString(Integer.parseInt(m.group(2), 16));
            }
        } catch (IllegalArgumentException notACodePoint) {
            return " ";
        }
        String name = m.group(3);
        String known = ENTITIES.get(name);
        if (known != null) {
            return known;
        }
        String greek = GREEK.get(name);
        if (greek != null) {
            return greek;
        }
        Matcher accented = ENTITY_ACCENTED.matcher(name);
        return accented.matches() ? accented.group(1) : m.group();
    }

    static String latexToText(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('$') < 0) {
            return s;
        }
        s = s.replace("$", "");
        s = DOTLESS.matcher(s).replaceAll("$1");
        s = SYMBOL_ACCENT.matcher(s).replaceAll(m -> m.group(1) != null ? m.group(1) : m.group(2));
        s = LETTER_ACCENT.matcher(s).replaceAll("$1");
        s = FORMATTING.matcher(s).replaceAll(" ");
        s = COMMAND.matcher(s).replaceAll(m -> {
            String name = m.group(1);
            String letter = LATEX_LETTERS.get(name);
            if (letter != null) {
                return letter;
            }
            // Any other command is a word of its own (\\LaTeX{} is, \\infty): keep a separating space.
            return Matcher.quoteReplacement(GREEK.getOrDefault(name, name) + " ");
        });
        // Braces only group in LaTeX ("Poincar{\\'e}", "\\O{}stergaard"): they must not split a word.
        return s.replace("{", "").replace("}", "");
    }
}
