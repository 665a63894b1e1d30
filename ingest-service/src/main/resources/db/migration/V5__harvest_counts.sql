-- Completeness of a paginated harvest (OAI-PMH, arXiv API): the total the source's first page announced
-- (completeListSize, totalResults), the records walked since, and the last completed harvest's two numbers.
alter table source_state
    add column harvest_announced      integer,
    add column harvest_walked         bigint not null default 0,
    add column last_harvest_announced integer,
    add column last_harvest_walked    bigint,
    add column last_harvest_at        timestamptz;
