-- Printers the desk prints on, and the print queue. A job is one document (an order's tickets, a receipt,
-- a report, a test page) for one printer; `pages_done` moves forward with each page the printer
-- acknowledged, so a restart never prints an acknowledged page again. `page_in_flight` is the page sent
-- and not yet acknowledged: after a crash nobody knows whether it came out, and the desk asks.
CREATE TABLE printers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('tickets', 'receipts', 'reports')),
  connection TEXT NOT NULL CHECK (connection IN ('system', 'tcp', 'device')),
  -- The system printer's name ('' for the default), host:port, or the device file's path.
  address TEXT NOT NULL,
  protocol TEXT NOT NULL CHECK (protocol IN ('pdf', 'fgl', 'escpos')),
  dpi INTEGER NOT NULL CHECK (dpi BETWEEN 100 AND 1200),
  paper TEXT NOT NULL,
  -- Printable width in millimetres (the print head); wider pages are scaled down to it.
  print_width_mm REAL NOT NULL CHECK (print_width_mm > 0),
  enabled INTEGER NOT NULL DEFAULT 1,
  -- 'ready', or 'held' while it is out of paper, jammed or unreachable (reason in words).
  state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'held')),
  state_reason TEXT,
  state_since TEXT,
  created TEXT NOT NULL,
  -- A removed printer stays for the history of its jobs.
  removed TEXT
);

CREATE UNIQUE INDEX printers_name ON printers(name) WHERE removed IS NULL;

CREATE TABLE print_jobs (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  printer_id INTEGER NOT NULL REFERENCES printers(id),
  kind TEXT NOT NULL CHECK (kind IN ('tickets', 'pdf', 'test')),
  title TEXT NOT NULL,
  order_id INTEGER REFERENCES orders(id),
  -- JSON array of order position ids (tickets).
  position_ids TEXT,
  reprint INTEGER NOT NULL DEFAULT 0,
  -- The PDF of a receipt or report.
  document BLOB,
  state TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'done', 'failed', 'canceled')),
  reason TEXT,
  pages_total INTEGER,
  pages_done INTEGER NOT NULL DEFAULT 0,
  page_in_flight INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  finished TEXT
);

CREATE INDEX print_jobs_open ON print_jobs(state, printer_id, id);
CREATE INDEX print_jobs_order ON print_jobs(order_id);
