package io.paperwire.events.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The strong identifiers of one sighting, resolved from whatever raw strings a source gave, with the raw
 * strings kept as evidence. An arXiv DOI counts as the arXiv id it names, never as a DOI.
 */
public record PaperIdentifiers(String arxivId, String doi, List<String> rawIdentifiers) {

    public PaperIdentifiers {
        rawIdentifiers = List.copyOf(rawIdentifiers);
    }

    /** Resolves raw identifier strings; the first arXiv id and the first non-arXiv DOI win, blanks are skipped. */
    public static PaperIdentifiers resolve(Collection<String> raw) {
        String arxiv = null;
        String doi = null;
        List<String> kept = new ArrayList<>();
        for (String r : raw) {
            if (r == null || r.isBlank()) {
                continue;
            }
            kept.add(r.strip());
            var asDoi = Doi.normalise(r);
            if (asDoi.isPresent() && !Doi.isArxivDoi(asDoi.get())) {
                if (doi == null) {
                    doi = asDoi.get();
                }
                continue;
            }
            var asArxiv = ArxivId.normalise(r);
            if (asArxiv.isPresent() && arxiv == null) {
                arxiv = asArxiv.get();
            }
        }
        return new PaperIdentifiers(arxiv, doi, kept);
    }
}
