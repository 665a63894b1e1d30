package io.paperwire.notify.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A subscriber (an email address or a webhook URL), its filters and its schedule. */
@Entity
@Table(name = "subscription")
public class SubscriptionEntity extends PanacheEntityBase {

    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    public String email;

    /** The mailbox the address delivers to: lower-cased, without its "+tag" ({@link #mailboxOf(String)}). */
    public String mailbox;

    @Column(name = "webhook_url")
    public String webhookUrl;

    /** pending, active, paused, unsubscribed, bounced (permanent SMTP failure), failed (webhook gave up). */
    @Column(nullable = false)
    public String status;

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
    public String frequency;

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
        String lower = email.toLowerCase(java.util.Locale.ROOT);
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
}
