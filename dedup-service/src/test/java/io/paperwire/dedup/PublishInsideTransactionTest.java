package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.paperwire.dedup.messaging.ConsolidatedPublisher;
import io.paperwire.dedup.messaging.OutsideTransaction;
import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.dedup.service.RaceSafeConsolidation;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A batch's states are published and acknowledged inside a transaction (the one that holds their papers' rows
 * after the batch committed). Mutiny's context
 * propagation used to carry that transaction into the Kafka producer's network thread with each acknowledgement, and
 * when that thread was still inside it at commit time, Narayana refused the commit ("commiting with 2 threads
 * active", then "Enlisted connection used without active transaction"): the whole batch rolled back and was retried
 * after a back-off (about one batch in 150 under load; quarkusio/quarkus#39098).
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class PublishInsideTransactionTest {

    @Inject
    RaceSafeConsolidation consolidation;

    @Inject
    ConsolidatedPublisher publisher;

    @Inject
    OutsideTransaction outsideTransaction;

    @Inject
    TransactionManager transactions;

    @Test
    void sendsRunWithoutTheCallersTransactionWhichIsActiveAgainAfterThem() {
        List<Integer> duringSends = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            outsideTransaction.run(() -> duringSends.add(status()));
            assertThat(status()).as("the caller's transaction after the sends").isEqualTo(Status.STATUS_ACTIVE);
        });
        outsideTransaction.run(() -> duringSends.add(status()));
        assertThat(duringSends).as("the transaction seen while the sends are made, with and without one around")
                .containsExactly(Status.STATUS_NO_TRANSACTION, Status.STATUS_NO_TRANSACTION);
    }

    @Test
    void manyBatchesPublishedInsideTheirTransactionsAllCommitAtTheFirstAttempt() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int batch = 0; batch < 150; batch++) {
            List<ConsolidationService.Input> inputs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String title = "Commit Race " + run + " batch " + batch + " paper " + i;
                inputs.add(new ConsolidationService.Input(UUID.randomUUID().toString(), new PaperSighted("tx-race",
                        PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, null, null, TitleFingerprint.of(title), List.of(),
                        title, null, null, null, null, null, null)));
            }
            int n = batch;
            assertThatCode(() -> consolidation.publishCommitted(consolidation.applyBatch(inputs), publisher::publishAndAwait))
                    .as("batch %d", n).doesNotThrowAnyException();
        }
    }

    private int status() {
        try {
            return transactions.getStatus();
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}
