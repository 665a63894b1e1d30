package io.paperwire.notify.site;

import io.paperwire.notify.repository.SitePaperReads;
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

    /** A headline from the database, its matched words between {@link SitePaperReads#MARK_START} and MARK_END. */
    static Snippet marked(String headline, String abstractText) {
        if (headline == null || headline.isBlank()) {
            return opening(abstractText);
        }
        List<Piece> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        boolean marked = false;
        for (char ch : headline.toCharArray()) {
            if (ch == SitePaperReads.MARK_START || ch == SitePaperReads.MARK_END) {
                if (!run.isEmpty()) {
                    out.add(new Piece(run.toString(), marked));
                    run.setLength(0);
                }
                marked = ch == SitePaperReads.MARK_START;
            } else {
                run.append(ch);
            }
        }
        if (!run.isEmpty()) {
            out.add(new Piece(run.toString(), marked));
        }
        String plain = abstractText == null ? "" : abstractText.strip();
        String shown = new Snippet(out, false).text().strip();
        return new Snippet(out, !plain.isEmpty() && !plain.replaceAll("\\s+", " ").equals(shown.replaceAll("\\s+", " ")));
    }
}
