-- Links every source contributed (abstract page, PDF, code, Hugging Face page), without repeats.
alter table paper add column links jsonb not null default '[]';
