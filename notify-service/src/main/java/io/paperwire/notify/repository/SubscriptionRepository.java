package io.paperwire.notify.repository;

import io.paperwire.notify.model.SubscriptionStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The subscription table: lookups by address and URL, the locks that serialise one mailbox, the mail counters. */
@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<SubscriptionEntity, UUID> {

    /** The subscription of an address (any case), locked for this transaction. */
    public Optional<SubscriptionEntity> byEmailForUpdate(String email) {
        return find("lower(email) = ?1", email).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The live (not unsubscribed) subscription of a webhook URL. */
    public Optional<SubscriptionEntity> liveWebhook(String url) {
        return find("webhookUrl = ?1 and status <> ?2", url, SubscriptionStatus.UNSUBSCRIBED).firstResultOptional();
    }

    /** {@link #liveWebhook}, locked for this transaction. */
    public Optional<SubscriptionEntity> liveWebhookForUpdate(String url) {
        return find("webhookUrl = ?1 and status <> ?2", url, SubscriptionStatus.UNSUBSCRIBED)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Makes one mailbox's requests (its +tag aliases too) queue behind each other until this transaction ends. */
    public void lockMailbox(String mailbox) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, mailbox).getSingleResult();
    }

    /** Mails sent since {@code since} to the mailbox's other subscriptions (its aliases), for the per-address limit. */
    public long mailsToMailboxSince(String mailbox, UUID except, Instant since) {
        return ((Number) getEntityManager().createNativeQuery("""
                        select coalesce(sum(confirm_sends), 0) from subscription
                        where mailbox = ?1 and id <> ?2 and confirm_sent_at >= ?3""")
                .setParameter(1, mailbox).setParameter(2, except).setParameter(3, Timestamp.from(since)).getSingleResult()).longValue();
    }
}
