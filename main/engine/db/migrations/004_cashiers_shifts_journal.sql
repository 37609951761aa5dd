-- Cashiers, shifts, cash movements, receipts and Z closings, with a hash-chained append-only journal.

-- People who sell at a desk. The PIN is stored as a salted scrypt hash, never in clear.
CREATE TABLE cashiers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created TEXT NOT NULL
);
CREATE UNIQUE INDEX cashiers_name ON cashiers(name COLLATE NOCASE) WHERE active = 1;

-- Who is selling at each desk right now (survives a reload or a restart of the desk).
CREATE TABLE desk_sign_ins (
  desk TEXT PRIMARY KEY,
  cashier_id INTEGER NOT NULL REFERENCES cashiers(id),
  since TEXT NOT NULL
);

-- A drawer handed to a desk from opening float to Z closing. One open shift per desk.
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  desk TEXT NOT NULL,
  currency TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  opened TEXT NOT NULL,
  opened_by INTEGER NOT NULL REFERENCES cashiers(id),
  opening_float TEXT NOT NULL,
  closed TEXT,
  closed_by INTEGER REFERENCES cashiers(id),
  z_number INTEGER,
  expected_cash TEXT,
  counted_cash TEXT,
  difference TEXT,
  denominations TEXT,
  comment TEXT,
  figures TEXT,
  UNIQUE (desk, z_number)
);
CREATE UNIQUE INDEX shifts_one_open_per_desk ON shifts(desk) WHERE state = 'open';

-- Change drops into and paid-outs from the drawer.
CREATE TABLE cash_movements (
  id INTEGER PRIMARY KEY,
  shift_id INTEGER NOT NULL REFERENCES shifts(id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  amount TEXT NOT NULL,
  reason TEXT NOT NULL,
  cashier_id INTEGER NOT NULL REFERENCES cashiers(id),
  authorised_by INTEGER REFERENCES cashiers(id),
  created TEXT NOT NULL
);

-- Customer receipts of desk sales and refunds; numbers run without gaps per desk.
CREATE TABLE receipts (
  id INTEGER PRIMARY KEY,
  desk TEXT NOT NULL,
  number INTEGER NOT NULL,
  shift_id INTEGER NOT NULL REFERENCES shifts(id),
  kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
  order_id INTEGER NOT NULL REFERENCES orders(id),
  cashier_id INTEGER NOT NULL REFERENCES cashiers(id),
  created TEXT NOT NULL,
  payment_method TEXT NOT NULL CHECK (payment_method IN ('cash', 'card', 'other', 'free')),
  total TEXT NOT NULL,
  given TEXT,
  change TEXT,
  content TEXT NOT NULL,
  UNIQUE (desk, number)
);
CREATE INDEX receipts_shift ON receipts(shift_id);
CREATE INDEX receipts_order ON receipts(order_id);

-- A manager's PIN given for something a cashier may not do alone.
CREATE TABLE authorisations (
  id INTEGER PRIMARY KEY,
  desk TEXT NOT NULL,
  shift_id INTEGER REFERENCES shifts(id),
  action TEXT NOT NULL,
  manager_id INTEGER NOT NULL REFERENCES cashiers(id),
  cashier_id INTEGER NOT NULL REFERENCES cashiers(id),
  detail TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL
);

-- Each entry carries the hash of the one before; `guichet journal verify` recomputes the chain and
-- compares every entry with the row it describes.
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  desk TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref_id INTEGER NOT NULL,
  created TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'The journal is append-only.'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'The journal is append-only.'); END;
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'Receipts cannot be changed.'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'Receipts cannot be deleted.'); END;
CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'Cash movements cannot be changed.'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'Cash movements cannot be deleted.'); END;
CREATE TRIGGER authorisations_no_update BEFORE UPDATE ON authorisations
BEGIN SELECT RAISE(ABORT, 'Authorisations cannot be changed.'); END;
CREATE TRIGGER authorisations_no_delete BEFORE DELETE ON authorisations
BEGIN SELECT RAISE(ABORT, 'Authorisations cannot be deleted.'); END;
CREATE TRIGGER shifts_closed_no_update BEFORE UPDATE ON shifts WHEN OLD.state = 'closed'
BEGIN SELECT RAISE(ABORT, 'A closed shift cannot be changed.'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'Shifts cannot be deleted.'); END;
