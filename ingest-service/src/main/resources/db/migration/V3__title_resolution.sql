-- Titles seen without an arXiv id or DOI (the listing-text format carries none), to be resolved by asking arXiv's API
-- by title (TitleResolver). One row per title fingerprint: the cache of what arXiv answered, so a title is asked about
-- once, however many listings show it. A title arXiv did not know is asked again after a while, a few times; one that
-- several arXiv papers share is left 'ambiguous' (a wrong id would merge unrelated papers); failed requests back off.
create table title_resolution (
    fingerprint     text        primary key,
    title           text        not null,
    state           text        not null default 'pending',
    attempts        integer     not null default 0,
    failures        integer     not null default 0,
    next_attempt_at timestamptz not null,
    arxiv_id        text,
    last_error      text,
    updated_at      timestamptz not null,
    constraint title_resolution_state check (state in ('pending', 'resolved', 'unmatched', 'ambiguous', 'given-up'))
);
create index title_resolution_due on title_resolution (next_attempt_at) where state in ('pending', 'unmatched');
