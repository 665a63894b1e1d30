-- The search document stops being a generated column: PostgreSQL recomputed it (two to_tsvector calls over title and
-- abstract, and its GIN entries) on every update of the row, and most states of a paper change only its counts. It is
-- now written by the read model's upsert, made again only when the text's hash differs from text_hash, the hash of the
-- text it was made from (0 for rows stored before: their next state makes it again).
alter table paper_view alter column document drop expression;
alter table paper_view add column text_hash bigint not null default 0;
