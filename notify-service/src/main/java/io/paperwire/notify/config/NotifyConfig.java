package io.paperwire.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** notify-service's settings: where its links point, how they are signed, and how digests and webhooks behave. */
@ConfigMapping(prefix = "paperwire.notify")
public interface NotifyConfig {

    /** The public address of this service; every link in a mail or feed starts with it. */
    @WithDefault("http://localhost:8083")
    String baseUrl();

    /** The key that signs subscriber links and derives webhook secrets; at least 32 characters, never in the repo. */
    String linkSecret();

    /**
     * How long one mail (a digest or a confirmation) may take to hand to the SMTP server before it counts as failed
     * (a digest is then retried). Shorter than the digest lease, so a stuck send never outlives its job's claim.
     */
    @WithDefault("PT1M")
    Duration mailTimeout();

    Digest digest();

    Webhook webhook();

    RateLimit rateLimit();

    /** Digest composition and sending. */
    interface Digest {

        /** What a due digest with no new papers does: {@code skip} sends nothing, {@code note} sends a short note. */
        @WithDefault("skip")
        NothingNew nothingNew();

        @WithDefault("10")
        int defaultMaxPapers();

        /** Jobs a sender claims at once. */
        @WithDefault("50")
        int claimSize();

        /**
         * Digests a replica delivers at the same time. Each delivery spends most of its time waiting (the SMTP
         * conversation, a webhook's answer, its database round trips), so one at a time leaves both the CPU and
         * the mail server idle; the mailer's connection pool ({@code quarkus.mailer.max-pool-size}) should be at
         * least this large.
         */
        @WithDefault("8")
        int parallelism();

        /** How long a sender may hold a job; a job still 'sending' after this belonged to a sender that died. */
        @WithDefault("PT5M")
        Duration lease();

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("PT1M")
        Duration firstRetry();

        /** How often the scheduler looks for due subscriptions (the "every" of the planner). */
        @WithDefault("60s")
        String planEvery();

        /** How often senders look for queued jobs. */
        @WithDefault("5s")
        String sendEvery();
    }

    /** Webhook delivery. */
    interface Webhook {

        /** Private, loopback and link-local targets are refused unless this is set (tests, a trusted intranet). */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** Plain http targets are refused unless this is set; production keeps https only. */
        @WithDefault("false")
        boolean allowHttp();

        @WithDefault("PT10S")
        Duration timeout();

        @WithDefault("5")
        int maxAttempts();

        @WithDefault("PT2S")
        Duration firstRetry();
    }

    /** Subscribe limits: per address (confirmation mails) and per client (requests). */
    interface RateLimit {

        @WithDefault("3")
        int confirmationsPerAddressPerDay();

        @WithDefault("20")
        int subscribesPerClientPerHour();

        /** A header carrying the client address set by a trusted proxy (e.g. X-Forwarded-For); unset: the peer address. */
        Optional<String> clientAddressHeader();
    }

    /** The two "nothing new" policies. */
    enum NothingNew {
        SKIP, NOTE
    }
}
