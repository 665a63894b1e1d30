-- Full-text search over title and abstract for GET /api/v1/papers?q=...
alter table paper add column search tsvector
    generated always as (to_tsvector('english', title || ' ' || coalesce(abstract, ''))) stored;
create index paper_search on paper using gin (search);

-- Per-source counts: how often each source listed the paper, and the upvotes it showed last.
create table paper_source (
    paper_id     uuid        not null references paper (id),
    source       text        not null,
    sightings    integer     not null,
    upvotes      integer,
    last_seen_at timestamptz not null,
    primary key (paper_id, source)
);

insert into paper_source (paper_id, source, sightings, upvotes, last_seen_at)
select paper_id, source, count(*), max(upvotes), max(observed_at) from sighting group by paper_id, source;
