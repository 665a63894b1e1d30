-- The site shows every identifier, title alias, source and link of a paper, as the consolidated state carries them.
-- Papers stored before this migration gain them with their next consolidated state (any new sighting).
alter table paper_view add column doi text;
alter table paper_view add column title_aliases jsonb not null default '[]';
alter table paper_view add column sources jsonb not null default '[]';
alter table paper_view add column links jsonb not null default '[]';
-- The trending page lists a day, week or month: papers seen in it, by when they were last and first seen.
create index paper_view_last_seen on paper_view (last_seen_at);
