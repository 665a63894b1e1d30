package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.dedup.repository.PaperEntity;
import jakarta.persistence.EntityManager;
import io.paperwire.dedup.service.RaceSafeConsolidation;
import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestIds;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two replicas consolidating sightings of one paper at the same instant, on different partitions and so in different
 * consumers: they end with one paper holding both sightings, every time. Two races: same arXiv id under titles that
 * differ (settled by the unique constraint), and a title-only sighting against an arXiv-id sighting with that title
 * (nothing unique to collide on; settled by the identity locks).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class ReplicaRaceTest {

    @Inject
    RaceSafeConsolidation consolidation;

    static PaperSighted sighting(String arxivId, String title) {
        return new PaperSighted("race", PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, arxivId, null,
                TitleFingerprint.of(title), arxivId == null ? List.of() : List.of("arXiv:" + arxivId), title, null, null, null, null, null, null);
    }

    @Test
    void racingReplicasEndWithOnePaperPerIdAndEverySightingCountedOnce() throws Exception {
        int pairs = 25;
        String run = UUID.randomUUID().toString().substring(0, 6);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<OneSighting.Outcome>> results = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String id = TestIds.arxivId();
                ids.add(id);
                CyclicBarrier bothReady = new CyclicBarrier(2);
                for (String title : List.of("Version One " + run + i, "Renamed Version Two " + run + i)) {
                    PaperSighted s = sighting(id, title);
                    String eventId = UUID.randomUUID().toString();
                    results.add(replicas.submit(() -> {
                        bothReady.await();
                        return OneSighting.apply(consolidation, eventId, s);
                    }));
                }
            }
            for (Future<OneSighting.Outcome> r : results) {
                assertThat(r.get()).isNotNull();
            }
            for (String id : ids) {
                List<PaperEntity> papers = QuarkusTransaction.requiringNew().call(() -> Arc.container().instance(EntityManager.class).get().createQuery("from PaperEntity where arxivId = ?1", PaperEntity.class).setParameter(1, id).getResultList());
                assertThat(papers).as(id).hasSize(1);
                assertThat(papers.get(0).sightings).as(id).isEqualTo(2);
            }
        } finally {
            replicas.shutdownNow();
        }
    }

    @Test
    void aTitleOnlySightingRacingAnArxivSightingOfThatTitleEndsAsOnePaper() throws Exception {
        int pairs = 25;
        String run = UUID.randomUUID().toString().substring(0, 6);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<ConsolidationService.BatchOutcome>> results = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String title = "Raced Between Partitions " + run + " " + i;
                titles.add(title);
                String id = TestIds.arxivId();
                CyclicBarrier bothReady = new CyclicBarrier(2);
                for (PaperSighted s : List.of(sighting(null, title), sighting(id, title))) {
                    // Each replica's batch also carries unrelated sightings, as a real poll does.
                    List<ConsolidationService.Input> batch = List.of(
                            new ConsolidationService.Input(UUID.randomUUID().toString(), sighting(null, "Unrelated " + UUID.randomUUID())),
                            new ConsolidationService.Input(UUID.randomUUID().toString(), s),
                            new ConsolidationService.Input(UUID.randomUUID().toString(), sighting(null, "Unrelated " + UUID.randomUUID())));
                    results.add(replicas.submit(() -> {
                        bothReady.await();
                        return consolidation.applyBatch(batch);
                    }));
                }
            }
            for (Future<ConsolidationService.BatchOutcome> r : results) {
                assertThat(r.get().folded()).isEqualTo(3);
            }
            for (String title : titles) {
                String fingerprint = TitleFingerprint.of(title);
                List<PaperEntity> papers = QuarkusTransaction.requiringNew()
                        .call(() -> Arc.container().instance(EntityManager.class).get().createQuery("from PaperEntity where titleFingerprint = ?1", PaperEntity.class).setParameter(1, fingerprint).getResultList());
                assertThat(papers).as(title).hasSize(1);
                assertThat(papers.get(0).sightings).as(title).isEqualTo(2);
                assertThat(papers.get(0).arxivId).as(title).isNotNull();
            }
        } finally {
            replicas.shutdownNow();
        }
    }
}
