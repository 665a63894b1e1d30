package io.paperwire.notify.subscription;

import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.links.LinkSigner;
import io.paperwire.notify.links.Links;
import io.paperwire.notify.mail.MailComposer;
import io.paperwire.notify.mail.OutgoingMail;
import io.paperwire.notify.mail.SmtpMailer;
import io.paperwire.notify.model.Subscription;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.DigestJobs;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.notify.repository.SubscriptionRepository;
import io.paperwire.notify.webhook.WebhookClient;
import io.paperwire.notify.webhook.WebhookVerifier;
import io.paperwire.support.db.SqlStates;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Subscribing, confirming, changing preferences and unsubscribing. Email subscriptions start pending and only the
 * signed link in the confirmation mail activates them; asking again for an address that is already active never
 * changes it (a stranger could), it mails its owner the preferences link instead. Mails to one address are limited
 * per day, across replicas, because the limit lives in the subscription row.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);

    /**
     * What a subscribe request did, for the answer: never whether the address was already known. {@code status} is
     * "confirmation-sent" for an address, "active" for a webhook.
     */
    public record Subscribed(UUID id, String status, String webhookSecret) {
    }

    private final NotifyConfig config;
    private final MailComposer mails;
    private final SmtpMailer mailer;
    private final WebhookVerifier webhooks;
    private final WebhookClient webhookClient;
    private final Links links;
    private final LinkSigner signer;
    private final MeterRegistry metrics;
    private final SubscriptionRepository subscriptions;
    private final DigestJobs jobs;
    private final Clock clock;
    /** Manage links sent to webhooks: one at a time, at most 100 waiting; more are dropped (each is a courtesy). */
    private final ExecutorService background = new ThreadPoolExecutor(1, 1, 0L,
            TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(100), r -> {
                Thread t = new Thread(r, "webhook-manage-link");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());

    public SubscriptionService(NotifyConfig config, MailComposer mails, SmtpMailer mailer, WebhookVerifier webhooks,
            WebhookClient webhookClient, Links links, LinkSigner signer, MeterRegistry metrics, SubscriptionRepository subscriptions,
            DigestJobs jobs, Clock clock) {
        this.clock = clock;
        this.subscriptions = subscriptions;
        this.jobs = jobs;
        this.webhookClient = webhookClient;
        this.links = links;
        this.config = config;
        this.mails = mails;
        this.mailer = mailer;
        this.webhooks = webhooks;
        this.signer = signer;
        this.metrics = metrics;
    }

    public Subscribed subscribe(SubscriptionRequest request) {
        SubscriptionRules.Normalised r = SubscriptionRules.check(request, config.digest().defaultMaxPapers());
        try {
            return r.email() != null ? subscribeEmail(r) : subscribeWebhook(r);
        } catch (RuntimeException e) {
            if (!lostInsertRace(e)) {
                throw e;
            }
            // Two requests for one new address at once: the unique index let one in; the other now finds its row.
            return r.email() != null ? subscribeEmail(r) : subscribeWebhook(r);
        }
    }

    private static boolean lostInsertRace(Throwable e) {
        return SqlStates.any(e, Set.of(SqlStates.UNIQUE_VIOLATION));
    }

    private Subscribed subscribeEmail(SubscriptionRules.Normalised r) {
        Instant now = clock.instant();
        // Decide and record in one transaction (the row is locked), mail afterwards: a mail is never sent for a
        // change that did not commit, and the per-address count already includes this one.
        String mailbox = SubscriptionEntity.mailboxOf(r.email());
        Optional<OutgoingMail> mail = QuarkusTransaction.requiringNew().call(() -> {
            // One mailbox's addresses (+tag aliases) queue behind each other, so their shared limit holds under races.
            subscriptions.lockMailbox(mailbox);
            SubscriptionEntity s = subscriptions.byEmailForUpdate(r.email()).orElse(null);
            if (s == null) {
                s = new SubscriptionEntity();
                s.id = UUID.randomUUID();
                s.kind = SubscriptionKind.EMAIL;
                s.email = r.email();
                s.mailbox = mailbox;
                s.createdAt = now;
                s.status = SubscriptionStatus.PENDING;
                apply(s, r);
                subscriptions.persist(s);
            }
            if (!allowMail(s, now)) {
                metrics.counter("paperwire.notify.subscribe.limited", "limit", "address").increment();
                return Optional.<OutgoingMail>empty();
            }
            if (s.status == SubscriptionStatus.ACTIVE || s.status == SubscriptionStatus.PAUSED) {
                return Optional.of(mails.alreadySubscribed(s.id, s.email));
            }
            // pending, unsubscribed or bounced: (again) pending with what was asked for now, confirmed by the owner.
            s.status = SubscriptionStatus.PENDING;
            s.statusReason = null;
            apply(s, r);
            return Optional.of(mails.confirmation(s.id, s.email, s.frequency));
        });
        mail.ifPresent(m -> {
            try {
                mailer.send(m);
                metrics.counter("paperwire.notify.confirmations.sent").increment();
            } catch (SmtpMailer.MailFailure e) {
                LOG.warnf("confirmation mail to %s failed: %s", r.email(), e.getMessage());
                // Permanent: the subscription stays pending and unconfirmed; retrying the same address cannot help.
                throw new ConfirmationNotSentException(e.getMessage(), e.permanent(), e);
            }
        });
        return new Subscribed(null, "confirmation-sent", null);
    }

    /**
     * Registers a webhook once its receiver answered the challenge. A URL that already has a live subscription is
     * refused without a word about it beyond that: its owner's secret and filters stay as they are, and only its
     * owner's manage link changes it. An unsubscribed URL may be registered anew: a new id, secret and manage link.
     */
    private Subscribed subscribeWebhook(SubscriptionRules.Normalised r) {
        if (QuarkusTransaction.requiringNew().call(() -> subscriptions.liveWebhook(r.webhookUrl())).isPresent()) {
            throw alreadyRegistered();
        }
        UUID id = UUID.randomUUID();
        String nonce = LinkSigner.newNonce();
        // Proves that whoever subscribes controls the URL before anything is stored or sent to it.
        webhooks.verify(signer.webhookSecret(id, nonce), id, r.webhookUrl());
        Instant now = clock.instant();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                SubscriptionEntity s = new SubscriptionEntity();
                s.id = id;
                s.kind = SubscriptionKind.WEBHOOK;
                s.webhookUrl = r.webhookUrl();
                s.webhookSecretNonce = nonce;
                s.createdAt = now;
                s.status = SubscriptionStatus.ACTIVE;
                s.confirmedAt = now;
                apply(s, r);
                subscriptions.persist(s);
            });
        } catch (RuntimeException e) {
            if (lostInsertRace(e)) {
                throw alreadyRegistered(); // registered by a concurrent request between the check and the insert
            }
            throw e;
        }
        return new Subscribed(id, SubscriptionStatus.ACTIVE.value(), signer.webhookSecret(id, nonce));
    }

    private static WebhookAlreadyRegisteredException alreadyRegistered() {
        return new WebhookAlreadyRegisteredException(
                "this URL already has a subscription; change or delete it with the manage link given when it was registered");
    }

    /**
     * Sends a webhook's manage link to the webhook itself, signed with its secret: whoever receives it there owns the
     * URL, so an owner who lost the link (or registered before links existed) gets it back, and nobody else does. The
     * caller learns nothing: the answer is the same and as quick whether or not the URL is registered, because the
     * delivery happens in the background. A subscription gets at most the per-address daily number of them (the same
     * allowance as confirmation mails), so nobody can make notify flood a receiver with them.
     */
    public void sendWebhookManageLink(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        background.execute(() -> {
            Instant now = clock.instant();
            SubscriptionEntity s = QuarkusTransaction.requiringNew().call(() -> {
                return subscriptions.liveWebhookForUpdate(url.strip()).filter(live -> allowMail(live, now)).orElse(null);
            });
            if (s == null) {
                return;
            }
            String body = "{\"type\":\"manage-link\",\"subscriptionId\":\"" + s.id + "\",\"manageUrl\":\"" + links.manageApi(s.id)
                    + "\",\"managePage\":\"" + links.manage(s.id) + "\"}";
            try {
                webhookClient.post(signer.webhookSecret(s.id, s.webhookSecretNonce), s.webhookUrl, "manage-link",
                        s.id + "/manage-link/" + now.getEpochSecond(), body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.infof("the manage link for webhook subscription %s could not be delivered: %s", s.id, e.toString());
            }
        });
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /** A new signing secret for a webhook subscription (the old one stops working at once); empty if there is none. */
    public Optional<String> rotateWebhookSecret(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = subscriptions.findById(id);
            if (s == null || s.kind != SubscriptionKind.WEBHOOK || !s.status.live()) {
                return Optional.<String>empty();
            }
            s.webhookSecretNonce = LinkSigner.newNonce();
            return Optional.of(signer.webhookSecret(s.id, s.webhookSecretNonce));
        });
    }

    /**
     * Takes a webhook that was switched off after failing (or paused) back into service, once its receiver answers a
     * new challenge.
     */
    public Optional<Subscription> resumeWebhook(UUID id) {
        Optional<SubscriptionEntity> found = QuarkusTransaction.requiringNew().call(() -> subscriptions.findByIdOptional(id))
                .filter(s -> s.kind == SubscriptionKind.WEBHOOK && s.status.live());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SubscriptionEntity s = found.get();
        webhooks.verify(signer.webhookSecret(s.id, s.webhookSecretNonce), s.id, s.webhookUrl);
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity managed = subscriptions.findById(id);
            if (!managed.status.live()) {
                return Optional.<Subscription>empty(); // deleted while its challenge was out
            }
            managed.status = SubscriptionStatus.ACTIVE;
            managed.statusReason = null;
            managed.webhookFailures = 0;
            managed.webhookFailingSince = null;
            return Optional.of(managed.view());
        });
    }

    /** Follows a confirmation link: pending becomes active. Returns the subscription, if the token is genuine. */
    public Optional<Subscription> confirm(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = subscriptions.findById(id);
            if (s == null) {
                return Optional.empty();
            }
            if (s.status == SubscriptionStatus.PENDING) {
                s.status = SubscriptionStatus.ACTIVE;
                s.confirmedAt = clock.instant();
                metrics.counter("paperwire.notify.subscriptions.confirmed").increment();
            }
            return Optional.of(s.view());
        });
    }

    public Optional<Subscription> find(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> subscriptions.findByIdOptional(id).map(SubscriptionEntity::view));
    }

    /** Saves preferences from the preferences page (the target address itself cannot change there). */
    public Subscription update(UUID id, SubscriptionRequest request) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = subscriptions.findById(id);
            if (s == null) {
                throw new SubscriptionNotFoundException("no such subscription");
            }
            SubscriptionRequest withTarget = new SubscriptionRequest(s.email, s.webhookUrl, request.keywords(), request.excludeKeywords(),
                    request.authors(), request.categories(), request.minScore(), request.frequency(), request.timezone(),
                    request.sendHour(), request.maxPapers());
            apply(s, SubscriptionRules.check(withTarget, config.digest().defaultMaxPapers()));
            return s.view();
        });
    }

    /** Pauses or resumes an active subscription; other states stay as they are. */
    public Optional<Subscription> pause(UUID id, boolean paused) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = subscriptions.findById(id);
            if (s != null && paused && s.status == SubscriptionStatus.ACTIVE) {
                s.status = SubscriptionStatus.PAUSED;
            } else if (s != null && !paused && s.status == SubscriptionStatus.PAUSED) {
                s.status = SubscriptionStatus.ACTIVE;
            }
            return Optional.ofNullable(s).map(SubscriptionEntity::view);
        });
    }

    /** Unsubscribes at once and cancels digests not yet sent. Repeating it is harmless. */
    public boolean unsubscribe(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = subscriptions.findById(id);
            if (s == null) {
                return false;
            }
            if (s.status.live()) {
                s.status = SubscriptionStatus.UNSUBSCRIBED;
                metrics.counter("paperwire.notify.subscriptions.unsubscribed").increment();
            }
            jobs.cancelPending(id, clock.instant());
            return true;
        });
    }

    /**
     * Whether one more mail may go to this address's mailbox today (the limit counts all its +tag aliases together),
     * or one more manage link to this webhook.
     */
    private boolean allowMail(SubscriptionEntity s, Instant now) {
        Instant dayAgo = now.minus(Duration.ofDays(1));
        if (s.confirmSentAt == null || s.confirmSentAt.isBefore(dayAgo)) {
            s.confirmSends = 0;
        }
        long others = s.mailbox == null ? 0 : subscriptions.mailsToMailboxSince(s.mailbox, s.id, dayAgo);
        if (s.confirmSends + others >= config.rateLimit().confirmationsPerAddressPerDay()) {
            return false;
        }
        s.confirmSends++;
        s.confirmSentAt = now;
        return true;
    }

    private static void apply(SubscriptionEntity s, SubscriptionRules.Normalised r) {
        s.keywords = new ArrayList<>(r.keywords());
        s.excludeKeywords = new ArrayList<>(r.excludeKeywords());
        s.authors = new ArrayList<>(r.authors());
        s.categories = new ArrayList<>(r.categories());
        s.minScore = r.minScore();
        s.frequency = r.frequency();
        s.timezone = r.timezone();
        s.sendHour = r.sendHour();
        s.maxPapers = r.maxPapers();
    }
}
