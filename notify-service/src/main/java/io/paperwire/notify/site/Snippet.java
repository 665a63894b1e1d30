package io.paperwire.notify.site;

import io.paperwire.notify.repository.PaperRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A short part of an abstract as pieces of text, some marked as matching the reader's words. The pieces are plain
 * text, escaped by the template like any user text; only the marking is ours.
 */
public record Snippet(List<Piece> pieces, boolean cut) {

    static final int LENGTH = 280;

    /** A run of text, and whether it is a matched word. */
    public record Piece(String text, boolean marked) {
    }

    public Snippet {
        pieces = List.copyOf(pieces);
    }

    public boolean isEmpty() {
        return pieces.isEmpty();
    }

    /** A text shown whole, nothing marked. */
    static Snippet plain(String text) {
        return new Snippet(List.of(new Piece(text, false)), false);
    }

    /** The marked words, lower-cased, each once, in order. */
    public List<String> marked() {
        return pieces.stream().filter(Piece::marked).map(p -> p.text().strip().toLowerCase(java.util.Locale.ROOT)).filter(t -> !t.isEmpty())
                .distinct().toList();
    }

    /** The text without marks. */
    public String text() {
        StringBuilder b = new StringBuilder();
        pieces.forEach(p -> b.append(p.text()));
        return b.toString();
    }

    /** The abstract's opening, cut at a word near {@value #LENGTH} characters. */
    static Snippet opening(String abstractText) {
        if (abstractText == null || abstractText.isBlank()) {
            return new Snippet(List.of(), false);
        }
        String t = abstractText.strip().replaceAll("\\s+", " ");
        if (t.length() <= LENGTH) {
            return new Snippet(List.of(new Piece(t, false)), false);
        }
        int cut = t.lastIndexOf(' ', LENGTH);
        return new Snippet(List.of(new Piece(t.substring(0, cut > LENGTH / 2 ? cut : LENGTH).strip(), false)), true);
    }

    /**
     * A headline from the database, its matched words between {@link PaperRow#MARK_START} and MARK_END; cut when it is
     * less than the {@code original} text it was made from.
     */
    static Snippet marked(String headline, String original) {
        if (headline == null || headline.isBlank()) {
            return opening(original);
        }
        List<Piece> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        boolean marked = false;
        for (char ch : headline.toCharArray()) {
            if (ch == PaperRow.MARK_START || ch == PaperRow.MARK_END) {
                if (!run.isEmpty()) {
                    out.add(new Piece(run.toString(), marked));
                    run.setLength(0);
                }
                marked = ch == PaperRow.MARK_START;
            } else {
                run.append(ch);
            }
        }
        if (!run.isEmpty()) {
            out.add(new Piece(run.toString(), marked));
        }
        String plain = original == null ? "" : original.strip().replaceAll("\\s+", " ");
        String shown = new Snippet(out, false).text().strip().replaceAll("\\s+", " ");
        if (!shown.isEmpty() && !plain.startsWith(shown.substring(0, Math.min(20, shown.length())))) {
            // A fragment from the middle: say so, as its end does.
            out.add(0, new Piece("… ", false));
        }
        return new Snippet(out, !plain.isEmpty() && !plain.equals(shown) && !plain.endsWith(shown));
    }
}
