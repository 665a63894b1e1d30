-- One row per configured source: where polling stands, so a restart resumes where it stopped, and who may
-- poll it now (a lease, so only one replica polls a source at a time and a crashed one is replaced).
create table source_state (
    name                 text        primary key,
    etag                 text,
    last_modified        text,
    cursor               text,
    last_poll_at         timestamptz,
    last_success_at      timestamptz,
    last_new_entry_at    timestamptz,
    entries_seen         bigint      not null default 0,
    sightings_published  bigint      not null default 0,
    rejects              bigint      not null default 0,
    consecutive_failures integer     not null default 0,
    last_error           text,
    warning              text,
    lease_owner          text,
    lease_until          timestamptz
);
