-- What the latest change of each paper was, so a re-sent state (after a crash between commit and send)
-- carries the same change type as the first sending.
alter table paper add column last_change text not null default 'updated';
