-- Keywords match words, not substrings: "RL" matches "RL" and "reinforcement learning (RL)", never "world" or "URL".
-- The English text-search document of each paper (title above abstract), kept by PostgreSQL itself, and its index.
alter table paper_view add column document tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(abstract, '')), 'B')) stored;
create index paper_view_document on paper_view using gin (document);
