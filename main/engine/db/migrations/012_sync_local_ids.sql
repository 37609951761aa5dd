-- The server's catalog becomes the desk's own: which local row each server object became, so that a
-- second import updates that row instead of adding another. An object the server no longer lists keeps
-- its row (local orders may name it), marked gone and no longer on sale.
CREATE TABLE sync_local_ids (
  kind TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  gone INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, remote_id),
  UNIQUE (kind, local_id)
);

-- The ticket whose server-side position id the call's path needs (pretix's `DELETE orderpositions/{id}/`),
-- read from the server's answer to the sale once that answer is in.
ALTER TABLE sync_outbox ADD COLUMN position_secret TEXT;
