-- When the read model last changed a paper: "new or newly trending since the last digest" is measured by it.
alter table paper_view add column changed_at timestamptz not null default now();
create index paper_view_changed_at on paper_view (changed_at desc);

-- A subscriber: an email address or a webhook URL, its filters and its schedule. Links in mails carry HMAC-signed
-- tokens derived from the id, so no token needs storing; the webhook signing secret is derived the same way.
create table subscription (
    id                 uuid             primary key,
    kind               text             not null check (kind in ('email', 'webhook')),
    email              text,
    webhook_url        text,
    status             text             not null check (status in ('pending', 'active', 'paused', 'unsubscribed', 'bounced', 'failed')),
    keywords           jsonb            not null default '[]',
    exclude_keywords   jsonb            not null default '[]',
    authors            jsonb            not null default '[]',
    categories         jsonb            not null default '[]',
    min_score          double precision not null default 0,
    frequency          text             not null check (frequency in ('daily', 'weekly')),
    timezone           text             not null,
    send_hour          integer          not null check (send_hour between 0 and 23),
    max_papers         integer          not null check (max_papers between 1 and 100),
    created_at         timestamptz      not null,
    confirmed_at       timestamptz,
    confirm_sent_at    timestamptz,
    confirm_sends      integer          not null default 0,
    last_digest_at     timestamptz,
    status_reason      text,
    check ((kind = 'email') = (email is not null)),
    check ((kind = 'webhook') = (webhook_url is not null))
);
-- One subscription per address and per webhook URL: subscribing twice updates the one there is.
create unique index subscription_email on subscription (lower(email)) where email is not null;
create unique index subscription_webhook on subscription (webhook_url) where webhook_url is not null;
create index subscription_active on subscription (status) where status = 'active';

-- One row per (subscription, period): the queue of digests to send and the record that each was sent once.
-- A row in 'sending' whose lease ran out belongs to a sender that died mid-send: it is 'in_doubt', never re-sent.
create table digest_job (
    subscription_id uuid        not null references subscription (id),
    period          text        not null,
    status          text        not null check (status in ('due', 'claimed', 'sending', 'sent', 'skipped', 'failed', 'in_doubt', 'cancelled')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    lease_until     timestamptz,
    papers          integer,
    last_error      text,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    primary key (subscription_id, period)
);
create index digest_job_due on digest_job (next_attempt_at) where status = 'due';

-- Every paper a subscription was sent: never the same paper twice.
create table digest_sent (
    subscription_id uuid        not null references subscription (id),
    paper_id        text        not null,
    period          text        not null,
    sent_at         timestamptz not null,
    primary key (subscription_id, paper_id)
);
