-- notify-service's read model of papers, built only from paper.consolidated.v1.
-- revision makes the upsert monotonic: an older state arriving late never overwrites a newer one.
create table paper_view (
    paper_id      text             primary key,
    revision      bigint           not null,
    arxiv_id      text,
    title         text             not null,
    abstract      text,
    authors       jsonb            not null default '[]',
    categories    jsonb            not null default '[]',
    score         double precision not null,
    upvotes       integer          not null,
    sightings     integer          not null,
    first_seen_at timestamptz      not null,
    last_seen_at  timestamptz      not null
);
create index paper_view_score on paper_view (score desc, last_seen_at desc);
