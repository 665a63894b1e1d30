package io.paperwire.support.search;

import java.nio.charset.StandardCharsets;

/**
 * The hash of the text a search document was made from, kept beside the document: a new state whose title and abstract
 * hash the same needs no new document. Stemming English text is the most expensive thing done per paper
 * (docs/benchmarks.md), and most states of a paper only change its counts.
 */
public final class TextHash {

    private TextHash() {
    }

    /** 64-bit FNV-1a over the title, a NUL and the abstract (none counts as empty, as the document does). */
    public static long of(String title, String abstractText) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (title + '\u0000' + (abstractText == null ? "" : abstractText)).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
