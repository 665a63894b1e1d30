-- Every title a paper was listed under, one row per fingerprint. Identity rule 3 matches a sighting against any of
-- them (so a title-only listing of version 1's title still finds the paper after arXiv renamed it in version 2);
-- the rows whose fingerprint is not the paper's canonical one are its title aliases. event_id and source say which
-- sighting brought the title: the evidence for a title match.
create table paper_title (
    paper_id      uuid        not null references paper (id),
    fingerprint   text        not null,
    title         text        not null,
    first_seen_at timestamptz not null,
    event_id      text,
    source        text,
    primary key (paper_id, fingerprint)
);
create index paper_title_by_fingerprint on paper_title (fingerprint);

insert into paper_title (paper_id, fingerprint, title, first_seen_at)
select id, title_fingerprint, title, first_seen_at from paper;

-- Which sighting the canonical title, abstract and authors come from: its rank (a strong identifier counts 4,
-- an abstract 1, authors 1) and when it was observed. A sighting replaces them when it ranks higher, or ranks the
-- same and is at least as recent: "the richest, most recent strong source".
alter table paper add column canonical_rank integer;
alter table paper add column canonical_observed_at timestamptz;
update paper set
    canonical_rank = (case when arxiv_id is not null or doi is not null then 4 else 0 end)
                   + (case when abstract is not null then 1 else 0 end)
                   + (case when authors <> '[]'::jsonb then 1 else 0 end),
    canonical_observed_at = first_seen_at;
alter table paper alter column canonical_rank set not null;
alter table paper alter column canonical_observed_at set not null;

