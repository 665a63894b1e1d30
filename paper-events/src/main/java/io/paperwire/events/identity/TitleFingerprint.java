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

    // Latin letters with a stroke or ligature have no Unicode decomposition; fold them like their LaTeX forms.
    private static final Map<Integer, String> UNDECOMPOSABLE = Map.ofEntries(
            Map.entry((int) 'ø', "o"), Map.entry((int) 'Ø', "O"), Map.entry((int) 'ł', "l"), Map.entry((int) 'Ł', "L"),
            Map.entry((int) 'đ', "d"), Map.entry((int) 'Đ', "D"), Map.entry((int) 'æ', "ae"), Map.entry((int) 'Æ', "AE"),
            Map.entry((int) 'œ', "oe"), Map.entry((int) 'Œ', "OE"), Map.entry((int) 'ı', "i"));

    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    private TitleFingerprint() {
    }

    /** The fingerprint of {@code title}; an empty string when the title has no letters or digits at all. */
    public static String of(String title) {
        if (title == null) {
            return "";
        }
        return isPlainAscii(title) ? ofPlainAscii(title) : ofUnicode(title);
    }

    /**
     * ASCII without a tag, an entity or LaTeX ({@code <}, {@code &}, {@code \}, {@code $}): every step of
     * {@link #ofUnicode} but the last two leaves such text as it is (normalisation and diacritic folding change no
     * ASCII character), so only the case fold and the runs of non-alphanumerics remain. Most titles are like this,
     * and the general path (two normalisations, a script lookup per character, three regular expressions) was a
     * fifth of ingest's CPU.
     */
    static boolean isPlainAscii(String title) {
        for (int i = 0, n = title.length(); i < n; i++) {
            char c = title.charAt(i);
            if (c >= 0x80 || c == '<' || c == '&' || c == '\\' || c == '$') {
                return false;
            }
        }
        return true;
    }

    /** {@link #ofUnicode} for {@link #isPlainAscii plain ASCII}: lower case, each run of non-[a-z0-9] one space, stripped. */
    static String ofPlainAscii(String title) {
        StringBuilder out = new StringBuilder(title.length());
        boolean gap = false;
        for (int i = 0, n = title.length(); i < n; i++) {
            char c = title.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (gap && out.length() > 0) {
                    out.append(' ');
                }
                gap = false;
                out.append(c);
            } else {
                gap = true;
            }
        }
        return out.toString();
    }

    /** The general path: any text, every step of the class comment. */
    static String ofUnicode(String title) {
        String s = HTML_TAG.matcher(title).replaceAll(" ");
        s = decodeEntities(s);
        s = LatexText.toUnicode(s);
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
        String greek = LatexText.greek(name);
        if (greek != null) {
            return greek;
        }
        Matcher accented = ENTITY_ACCENTED.matcher(name);
        return accented.matches() ? accented.group(1) : m.group();
    }

}
