-- Digests whose sender died mid-delivery used to become 'in_doubt' and were never sent. They are now sent again
-- with the same Message-ID (at least once beats at most once); rows left in doubt by older versions go back to due.
update digest_job set status = 'due', lease_until = null, next_attempt_at = now(),
    last_error = 'the sender stopped during delivery; sent again with the same Message-ID'
where status = 'in_doubt';
