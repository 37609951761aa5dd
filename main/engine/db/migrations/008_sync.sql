-- A desk syncing with a pretix server (or a Guichet hub): the connection, a copy of the server's catalog,
-- the places it holds per quota as a quota-blocking voucher, and the outbox of sales still to upload.
CREATE TABLE sync_connection (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  base_url TEXT NOT NULL,
  organizer TEXT NOT NULL,
  event TEXT NOT NULL,
  auth_scheme TEXT NOT NULL CHECK (auth_scheme IN ('Token', 'Device')),
  api_token TEXT NOT NULL,
  device_id INTEGER,
  connected TEXT NOT NULL
);

-- The server's resources as it sent them, keyed by list and id, with the X-Page-Generated of the last
-- complete pull of each list, sent back as modified_since on the next one.
CREATE TABLE sync_resources (
  resource TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  body TEXT NOT NULL,
  pulled TEXT NOT NULL,
  PRIMARY KEY (resource, remote_id)
);
CREATE TABLE sync_pulls (
  resource TEXT PRIMARY KEY,
  page_generated TEXT NOT NULL
);

-- held: the voucher's max_usages on the server; sold: desk sales redeeming it (uploaded or not);
-- uploaded: those the server has confirmed. The desk sells while sold < held, connected or not.
CREATE TABLE sync_allotments (
  quota_id INTEGER PRIMARY KEY,
  voucher_id INTEGER,
  voucher_code TEXT NOT NULL UNIQUE,
  target INTEGER NOT NULL CHECK (target >= 0),
  held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
  uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded >= 0),
  CHECK (sold <= held AND uploaded <= sold)
);

-- One row per call to make, in seq order. A refused upload stops the queue with the server's reason.
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body TEXT NOT NULL,
  order_code TEXT,
  places TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt TEXT,
  reason TEXT,
  response TEXT,
  created TEXT NOT NULL,
  finished TEXT
);
CREATE INDEX sync_outbox_state ON sync_outbox(state, seq);
