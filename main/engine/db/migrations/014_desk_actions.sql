-- A money action at the desk (a cash movement, a refund, a payment taken, a shift closed) carries a key the
-- desk chose for it. The key is stored in the same transaction as the rows the action wrote, with a digest
-- of what was asked and the answer given: a retry after a lost answer gets that answer and writes nothing.
CREATE TABLE desk_actions (
  action_key TEXT PRIMARY KEY,
  action TEXT NOT NULL,
  request_digest TEXT NOT NULL,
  result TEXT NOT NULL,
  created TEXT NOT NULL
);
