-- Issue 21: the catalogue's write path redesigned around what it must store.
--
-- Per-source counts move onto the paper row. As a table of their own they were one more upsert per sighting and two
-- more reads per batch (the stored upvotes, the source list); the batch already holds each paper's row locked and
-- rewrites it, so the counts ride along. One element per source, sorted by source:
-- {"source", "sightings", "upvotes" (the latest listing's, or null), "lastSeenAt"}, sorted by code point (collation "C", as
-- Java sorts them: the published state's sources list follows this order).
alter table paper add column source_counts jsonb not null default '[]';
update paper p set source_counts = s.counts
from (select paper_id,
             jsonb_agg(jsonb_build_object('source', source, 'sightings', sightings, 'upvotes', upvotes,
                                          'lastSeenAt', to_char(last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                       order by source collate "C") as counts
      from paper_source group by paper_id) s
where s.paper_id = p.id;
drop table paper_source;

-- Search becomes a projection of paper.consolidated.v1, written by its own consumer (search/SearchProjection), not by
-- the batch that consolidates. It follows the published states, so it holds each document's revision (a state
-- replayed from the topic never replaces a newer one) and a hash of the text it was made from (a new revision whose
-- title and abstract did not change costs no to_tsvector). A merged or absorbed paper's document is deleted when the
-- projection reads the merge, which may be after the paper row is gone: no foreign key.
alter table paper_search drop constraint paper_search_paper_id_fkey;
alter table paper_search add column revision bigint not null default 0;
alter table paper_search add column text_hash bigint not null default 0;
