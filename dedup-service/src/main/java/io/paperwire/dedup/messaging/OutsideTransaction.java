package io.paperwire.dedup.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

/**
 * Runs Kafka sends with the caller's transaction suspended, and resumes it after. A batch's states are sent and
 * acknowledged inside the transaction that holds their papers' rows; Mutiny's context propagation would otherwise carry that
 * transaction into the Kafka producer's network thread with each acknowledgement, and if that thread was still
 * inside it at commit time, Narayana refused the commit and the whole batch rolled back (quarkusio/quarkus#39098).
 */
@ApplicationScoped
public class OutsideTransaction {

    private final TransactionManager transactions;

    public OutsideTransaction(TransactionManager transactions) {
        this.transactions = transactions;
    }

    /** Runs {@code work} on this thread with no transaction associated; the caller's, if any, is resumed after. */
    public void run(Runnable work) {
        Transaction suspended;
        try {
            suspended = transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("cannot suspend the transaction around the Kafka sends", e);
        }
        try {
            work.run();
        } finally {
            if (suspended != null) {
                try {
                    transactions.resume(suspended);
                } catch (InvalidTransactionException | SystemException e) {
                    throw new IllegalStateException("cannot resume the transaction after the Kafka sends", e);
                }
            }
        }
    }
}
