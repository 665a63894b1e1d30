-- Full-text search moves out of the paper row into a table of its own, written only when a paper's title or
-- abstract changes. As a generated column of paper it was recomputed, and its GIN entries written again, on every
-- update of the row; a new sighting changes counters and timestamps and rarely the text, yet paid for the text
-- index each time: about 0.17 ms of PostgreSQL time per write, half of PostgreSQL's time in the consolidate
-- benchmark (docs/benchmarks.md).
drop index paper_search;
create table paper_search (
    paper_id uuid     primary key references paper (id) on delete cascade,
    document tsvector not null
);
insert into paper_search (paper_id, document) select id, search from paper;
create index paper_search_document on paper_search using gin (document);
alter table paper drop column search;
