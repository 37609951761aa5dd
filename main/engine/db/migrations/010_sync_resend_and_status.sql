-- resent: how many times an upload went out again under a fresh X-Idempotency-Key, because the server
-- kept answering 409 for its key (a request it was running when it stopped) and had no order with its code.
ALTER TABLE sync_outbox ADD COLUMN resent INTEGER NOT NULL DEFAULT 0;

-- The desk's view of its link, for its status: when the server last answered, since when it has not,
-- and when a pull or an upload last completed.
ALTER TABLE sync_connection ADD COLUMN last_contact TEXT;
ALTER TABLE sync_connection ADD COLUMN unreachable_since TEXT;
ALTER TABLE sync_connection ADD COLUMN last_sync TEXT;
