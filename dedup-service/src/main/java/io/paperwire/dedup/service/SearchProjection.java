package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.SearchDocuments;
import io.paperwire.dedup.repository.SearchDocuments.Stored;
import io.paperwire.dedup.repository.SearchDocuments.Text;
import io.paperwire.support.search.TextHash;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Search as a projection of {@code paper.consolidated.v1}, not part of consolidation: the documents are made in bulk
 * from the published states, behind the catalogue by the projection's lag (measured: {@code SearchProgress}). A
 * document is made again only when a state's title or abstract differs from the text it was made from; stemming
 * English text is the single most expensive thing Paperwire does per paper (docs/benchmarks.md).
 */
@ApplicationScoped
public class SearchProjection {

    /** One record of the topic, as the projection reads it: a paper's state, or a paper gone (merged into another). */
    public sealed interface Change permits State, Gone {
        UUID paperId();
    }

    public record State(UUID paperId, long revision, String title, String abstractText) implements Change {
    }

    public record Gone(UUID paperId) implements Change {
    }

    /** How much of a batch changed the table. */
    public record Applied(int written, int deleted) {
    }

    private final SearchDocuments documents;

    public SearchProjection(SearchDocuments documents) {
        this.documents = documents;
    }

    /** Applies a batch in topic order, in one transaction: each paper's last change in the batch is what counts. */
    @Transactional
    public Applied apply(List<Change> changes) {
        Map<UUID, Change> last = new LinkedHashMap<>();
        for (Change c : changes) {
            last.remove(c.paperId()); // keeps the map in the order of each paper's last change
            last.put(c.paperId(), c);
        }
        List<UUID> gone = new ArrayList<>();
        List<State> states = new ArrayList<>();
        for (Change c : last.values()) {
            if (c instanceof State s) {
                states.add(s);
            } else {
                gone.add(c.paperId());
            }
        }
        documents.delete(gone);
        Map<UUID, Stored> stored = states.isEmpty() ? Map.of() : documents.stored(states.stream().map(State::paperId).toList());
        List<Text> texts = new ArrayList<>();
        for (State s : states) {
            long hash = TextHash.of(s.title(), s.abstractText());
            Stored before = stored.get(s.paperId());
            if (before == null || (before.revision() < s.revision() && before.textHash() != hash)) {
                texts.add(new Text(s.paperId(), s.revision(), hash, s.title(), s.abstractText()));
            }
        }
        documents.write(texts);
        return new Applied(texts.size(), gone.size());
    }
}
