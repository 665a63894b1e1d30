package io.paperwire.notify.repository;

import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.Subscription;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A subscriber (an email address or a webhook URL), its filters and its schedule, as stored; {@link SubscriptionRepository} reaches it. */
@Entity
@Table(name = "subscription")
public class SubscriptionEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public SubscriptionKind kind;

    public String email;

    /** The mailbox the address delivers to: lower-cased, without its "+tag" ({@link #mailboxOf(String)}). */
    public String mailbox;

    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(nullable = false)
    public SubscriptionStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> keywords = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "exclude_keywords", nullable = false)
    public List<String> excludeKeywords = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> authors = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> categories = new ArrayList<>();

    @Column(name = "min_score", nullable = false)
    public double minScore;

    @Column(nullable = false)
    public Frequency frequency;

    @Column(nullable = false)
    public String timezone;

    @Column(name = "send_hour", nullable = false)
    public int sendHour;

    @Column(name = "max_papers", nullable = false)
    public int maxPapers;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "confirm_sent_at")
    public Instant confirmSentAt;

    @Column(name = "confirm_sends", nullable = false)
    public int confirmSends;

    @Column(name = "last_digest_at")
    public Instant lastDigestAt;

    @Column(name = "status_reason")
    public String statusReason;

    /** {@code User+Tag@Example.org} and {@code user@example.org} are one mailbox: {@code user@example.org}. */
    public static String mailboxOf(String email) {
        String lower = email.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        int plus = lower.indexOf('+');
        return plus >= 0 && plus < at ? lower.substring(0, plus) + lower.substring(at) : lower;
    }

    /** Random, part of what the webhook's signing secret is derived from; a new one rotates the secret. */
    @Column(name = "webhook_secret_nonce")
    public String webhookSecretNonce;

    /** Digests in a row the webhook failed for good, and since when (null while it delivers). */
    @Column(name = "webhook_failures", nullable = false)
    public int webhookFailures;

    @Column(name = "webhook_failing_since")
    public Instant webhookFailingSince;

    /** What pages, the API and mails may see of it. */
    public Subscription view() {
        return new Subscription(id, kind, status, statusReason, email, webhookUrl, keywords, excludeKeywords, authors, categories,
                minScore, frequency, timezone, sendHour, maxPapers, webhookFailures);
    }
}
