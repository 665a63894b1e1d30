package io.paperwire.notify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** notify-service's settings: where its links point, how they are signed, and how digests and webhooks behave. */
@ConfigMapping(prefix = "paperwire.notify")
public interface NotifyConfig {

    /** The public address of this service; every link in a mail or feed starts with it. */
    @WithDefault("http://localhost:8083")
    String baseUrl();

    /** The key that signs subscriber links and derives webhook secrets; at least 32 characters, never in the repo. */
    String linkSecret();

    /** How long the link in a confirmation mail works; asking again sends a fresh one. */
    @WithDefault("P7D")
    Duration confirmLinkTtl();

    /**
     * How long the SMTP server may take over any one step of a mail (connecting, answering a command, reading the
     * message) before the send counts as failed (a digest is then retried, a confirmation answers 503). Far shorter
     * than the digest lease, so a stuck send never outlives its job's claim.
     */
    @WithDefault("PT1M")
    Duration mailTimeout();

    Smtp smtp();

    Catalogue catalogue();

    Digest digest();

    Webhook webhook();

    RateLimit rateLimit();

    /** dedup's papers API, asked for a paper page's sightings and merges. */
    interface Catalogue {

        /** Its base address (inside the cluster, the dedup-service Service). */
        @WithDefault("http://127.0.0.1:8082")
        String url();

        /** The whole question and answer; a page that waits longer renders without the history. */
        @WithDefault("PT2S")
        Duration timeout();
    }

    /** The outgoing mail server. Credentials come from the environment (a Kubernetes secret), never from a file. */
    interface Smtp {

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("2525")
        int port();

        /** The sender of every mail, an RFC 5322 address with an optional display name. */
        @WithDefault("Paperwire <digest@paperwire.local>")
        String from();

        /** The name this client gives in EHLO. */
        @WithDefault("paperwire.local")
        String ownHostName();

        Optional<String> username();

        Optional<String> password();

        /** SMTPS: TLS from the first byte (usually port 465). */
        @WithDefault("false")
        boolean tls();

        /** STARTTLS on a plain connection (usually port 587): used if offered, demanded, or never. */
        @WithDefault("optional")
        StartTls startTls();

        /**
         * Connections kept open to the server; sends beyond this many at once wait their turn (at most the mail
         * timeout). At least {@code paperwire.notify.digest.parallelism}, or digest senders queue for connections.
         */
        @WithDefault("10")
        int poolSize();

        /** How long an unused connection stays open; servers close idle ones themselves (often after 30 s to 5 min). */
        @WithDefault("PT10S")
        Duration maxIdle();
    }

    /** The three STARTTLS policies. */
    enum StartTls {
        DISABLED, OPTIONAL, REQUIRED
    }

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
         * the mail server idle; the mail connection pool ({@code paperwire.notify.smtp.pool-size}) should be at
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

        /** One deadline for a delivery or a challenge: connect, headers and the (at most 4 KB) answer together. */
        @WithDefault("PT10S")
        Duration timeout();

        @WithDefault("5")
        int maxAttempts();

        @WithDefault("PT2S")
        Duration firstRetry();

        /** Deliveries one replica makes to one webhook host at the same time; more wait for a later pass. */
        @WithDefault("2")
        int perHostConcurrency();

        /** Digests in a row failed for good (after their attempts) before a webhook is switched off ... */
        @WithDefault("3")
        int pauseAfterFailures();

        /** ... provided the first of them is at least this old: a receiver down for an hour is not switched off. */
        @WithDefault("P2D")
        Duration pauseAfter();
    }

    /** Subscribe limits: per address (confirmation mails) and per client (requests). */
    interface RateLimit {

        @WithDefault("3")
        int confirmationsPerAddressPerDay();

        @WithDefault("20")
        int subscribesPerClientPerHour();

        /** Previews of a digest (the form's button, the API), each a query over the period's papers. */
        @WithDefault("120")
        int previewsPerClientPerHour();

        /** The header a trusted proxy adds the client's address to; read only from a trusted proxy. */
        @WithDefault("X-Forwarded-For")
        String clientAddressHeader();

        /**
         * Addresses or CIDR blocks of the proxies in front of notify (the ingress controller's pods, e.g.
         * {@code 10.0.0.0/8}); unset: nobody is trusted and the peer address is the client.
         */
        Optional<List<String>> trustedProxies();
    }

    /** The two "nothing new" policies. */
    enum NothingNew {
        SKIP, NOTE
    }
}
