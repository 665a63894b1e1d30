package io.paperwire.notify.model;

import java.util.Locale;

/** What one attempt at sending a digest job ended in; the final ones are also the job's stored status. */
public enum DigestOutcome {
    /** Delivered and recorded. */
    SENT,
    /** Nothing new for the subscriber, and the configuration says not to send "nothing new". */
    SKIPPED,
    /** The subscription is no longer active. */
    CANCELLED,
    /** Not tried: its webhook host was busy; due again shortly, the attempt given back. */
    DEFERRED,
    /** Failed for good (a permanent refusal, or the attempts used up). */
    FAILED,
    /** Failed this time; due again after a backoff. */
    RETRY;

    /** The digest_job status this outcome leaves. */
    public String status() {
        return this == DEFERRED || this == RETRY ? "due" : name().toLowerCase(Locale.ROOT);
    }
}
