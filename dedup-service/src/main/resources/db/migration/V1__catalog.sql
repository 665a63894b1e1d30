-- The catalogue: one row per paper, one row per sighting folded into it.
create table paper (
    id                uuid             primary key,
    revision          bigint           not null,
    arxiv_id          text,
    doi               text,
    title             text             not null,
    title_fingerprint text             not null,
    abstract          text,
    authors           jsonb            not null default '[]',
    categories        jsonb            not null default '[]',
    first_seen_at     timestamptz      not null,
    last_seen_at      timestamptz      not null,
    sightings         integer          not null,
    upvotes           integer          not null default 0,
    score             double precision not null default 0,
    updated_at        timestamptz      not null,
    -- Rule 1/2 of DESIGN.md: one paper per arXiv id and per DOI; the database settles races between partitions.
    constraint paper_arxiv_id unique (arxiv_id),
    constraint paper_doi unique (doi)
);
create index paper_title_fingerprint on paper (title_fingerprint);
create index paper_last_seen_at on paper (last_seen_at desc);

-- A sighting is counted once: event_id is the CloudEvents ce_id.
create table sighting (
    event_id          text        primary key,
    paper_id          uuid        not null references paper (id),
    source            text        not null,
    observed_at       timestamptz not null,
    arxiv_id          text,
    doi               text,
    title             text        not null,
    raw_identifiers   jsonb       not null default '[]',
    listing_rank      integer,
    upvotes           integer,
    received_at       timestamptz not null
);
create index sighting_paper_id on sighting (paper_id);
