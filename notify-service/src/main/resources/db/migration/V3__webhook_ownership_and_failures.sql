-- A webhook subscription's signing secret is derived from its id and a random nonce (HMAC under the link secret):
-- the database alone does not reveal it, and rotating it is a new nonce. Rows from before have none and keep the
-- secret derived from the id alone.
alter table subscription add column webhook_secret_nonce text;

-- Digests in a row that a webhook failed for good, and since when: a webhook that keeps failing is set to 'failed'.
alter table subscription add column webhook_failures integer not null default 0;
alter table subscription add column webhook_failing_since timestamptz;

-- One live subscription per webhook URL; an unsubscribed one no longer holds its URL, so the URL can be registered
-- anew (with a new id, a new secret and a new manage link: nothing of the old owner's carries over).
drop index subscription_webhook;
create unique index subscription_webhook on subscription (webhook_url) where webhook_url is not null and status <> 'unsubscribed';

-- The mailbox an address delivers to: lower-cased, without a "+tag" (user+a@x and user+b@x are one mailbox). The
-- per-mailbox limit on confirmation mails counts all of a mailbox's addresses together.
alter table subscription add column mailbox text;
update subscription set mailbox = lower(regexp_replace(email, '\+[^@]*@', '@')) where email is not null;
create index subscription_mailbox on subscription (mailbox) where mailbox is not null;
