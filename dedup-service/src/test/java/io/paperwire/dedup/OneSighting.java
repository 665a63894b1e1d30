package io.paperwire.dedup;

import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.dedup.service.RaceSafeConsolidation;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.PaperSighted;
import java.util.List;

/** A batch of one, as the tests consolidate a single sighting: the state of the paper it went to, and the merges owed. */
final class OneSighting {

    record Outcome(PaperConsolidated state, List<PaperMerged> pendingMerges) {
    }

    private OneSighting() {
    }

    static Outcome apply(ConsolidationService consolidation, String eventId, PaperSighted sighting) {
        return of(consolidation.applyBatch(List.of(new ConsolidationService.Input(eventId, sighting))));
    }

    static Outcome apply(RaceSafeConsolidation consolidation, String eventId, PaperSighted sighting) {
        return of(consolidation.applyBatch(List.of(new ConsolidationService.Input(eventId, sighting))));
    }

    private static Outcome of(ConsolidationService.BatchOutcome out) {
        return new Outcome(out.states().get(0), out.pendingMerges());
    }
}
