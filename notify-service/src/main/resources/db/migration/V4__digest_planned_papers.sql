-- The papers a digest was about to carry when it was marked 'sending' (comma-separated paper ids, in order). A job
-- whose outcome is unknown (its sender died, or a mail server timed out after the message) is sent again with
-- exactly these papers under the same Message-ID, so that every copy is the same message. Cleared once it is sent.
-- Rows that older versions left 'in_doubt' (never re-sent) stay as they are: what they carried is not known.
alter table digest_job add column planned_papers text;
