-- A manager may drop an upload the server refused: the desk keeps its sale, recorded as never uploaded
-- ('dropped'). SQLite cannot change a CHECK constraint, so the outbox is rebuilt with the same rows.
CREATE TABLE sync_outbox_next (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body TEXT NOT NULL,
  order_code TEXT,
  places TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'refused', 'dropped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt TEXT,
  reason TEXT,
  response TEXT,
  created TEXT NOT NULL,
  finished TEXT,
  resent INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_outbox_next (seq, idempotency_key, kind, method, path, body, order_code, places, state,
    attempts, next_attempt, reason, response, created, finished, resent)
  SELECT seq, idempotency_key, kind, method, path, body, order_code, places, state,
    attempts, next_attempt, reason, response, created, finished, resent FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_next RENAME TO sync_outbox;
CREATE INDEX sync_outbox_state ON sync_outbox(state, seq);

-- size: how many places the desk keeps ready to sell from a quota (set at the desk, e.g. 20). When fewer
-- are left and the server answers, the desk tops its voucher up to its sales plus this size; 0 gives back.
ALTER TABLE sync_allotments ADD COLUMN size INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0);

-- disconnected: when a manager disconnected the desk (its token is forgotten then). The row stays, so the
-- desk knows which server its unfinished uploads and held places belong to.
ALTER TABLE sync_connection ADD COLUMN disconnected TEXT;
