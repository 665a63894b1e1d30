package io.paperwire.events.identity;

import io.paperwire.events.PaperSighted;

/**
 * Which paper a sighting counts as, and on which day, when a source's day is counted: its arXiv id, else its DOI, else
 * its title fingerprint; its listing date, else the day it was observed. ingest (what it published) and dedup (what it consolidated) count a source's day by this one rule, so
 * their numbers compare.
 */
public final class ListingKey {

    private ListingKey() {
    }

    /** The listing day a sighting counts on: its own listing date, else the (UTC) day it was observed. */
    public static java.time.LocalDate day(PaperSighted s) {
        return s.listingDate() != null ? s.listingDate() : java.time.LocalDate.ofInstant(s.observedAt(), java.time.ZoneOffset.UTC);
    }

    public static String of(PaperSighted s) {
        return of(s.arxivId(), s.doi(), s.titleFingerprint());
    }

    public static String of(String arxivId, String doi, String titleFingerprint) {
        String key;
        if (arxivId != null && !arxivId.isBlank()) {
            key = "arxiv:" + arxivId;
        } else if (doi != null && !doi.isBlank()) {
            key = "doi:" + doi;
        } else {
            key = "title:" + titleFingerprint;
        }
        // An entry refused for an oversized field still counts as announced: a digest of its key stays index-sized.
        return key.length() <= MAX_LENGTH ? key : "sha256:" + sha256(key);
    }

    static final int MAX_LENGTH = 256;

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
