-- One row per accepted listing document: what was posted, by which source, and what came of it.
-- (source, document_key) is what makes a replayed document publish nothing new.
create table listing_batch (
    id            uuid        primary key,
    source        text        not null,
    document_key  text        not null,
    content_type  text        not null,
    content_hash  text        not null,
    accepted      integer     not null,
    rejected      integer     not null,
    received_at   timestamptz not null,
    constraint listing_batch_source_document_key unique (source, document_key)
);

create index listing_batch_received_at on listing_batch (received_at desc);
