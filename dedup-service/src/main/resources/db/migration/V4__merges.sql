-- Papers absorbed into another when a sighting proved them the same. Kept so that the old id still resolves
-- (the API redirects) and as the outbox of the merge announcement: 'announced' turns true only after the
-- merged-into event and the tombstone were acknowledged by Kafka, so a crash in between re-announces.
create table merged_paper (
    id          uuid        primary key,
    merged_into uuid        not null references paper (id),
    merged_at   timestamptz not null,
    announced   boolean     not null default false
);
create index merged_paper_pending on merged_paper (merged_into) where not announced;
