package io.paperwire.dedup.service;

import io.paperwire.events.PaperSighted;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The advisory-lock keys of a batch: one per arXiv id, DOI and title fingerprint it mentions, as 64-bit hashes in
 * ascending order. Two sightings that could create or change the same paper always share a key, because the rules
 * only ever join papers through one of these.
 */
final class IdentityLocks {

    private IdentityLocks() {
    }

    static long[] keys(Collection<PaperSighted> sightings) {
        TreeSet<Long> keys = new TreeSet<>();
        for (PaperSighted s : sightings) {
            if (s.arxivId() != null) {
                keys.add(key("arxiv:" + s.arxivId()));
            }
            if (s.doi() != null) {
                keys.add(key("doi:" + s.doi()));
            }
            keys.add(key("title:" + s.titleFingerprint()));
        }
        return keys.stream().mapToLong(Long::longValue).toArray();
    }

    /** A stable 64-bit hash (the high half of a name-based UUID); a collision only makes two batches wait in turn. */
    static long key(String identity) {
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }
}
