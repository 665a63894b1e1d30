-- Completeness per source and listing day. Each paper a source's documents listed for a day, once (by the contract's
-- ListingKey: arXiv id, else DOI, else title fingerprint), and whether ingest published it: announced and ingested
-- counts, exact across re-polls of a growing list and across the pages of one harvest.
create table source_day_paper (
    source     text    not null,
    day        date    not null,
    paper      text    not null,
    published  boolean not null,
    primary key (source, day, paper)
);

-- Per source and day: entries no parser could read (no identity to count them by: the most any one document had),
-- and when the last document for the day came.
create table source_day (
    source      text        not null,
    day         date        not null,
    unreadable  integer     not null,
    updated_at  timestamptz not null,
    primary key (source, day)
);
