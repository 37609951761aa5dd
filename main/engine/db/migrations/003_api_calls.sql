-- Idempotent API calls (pretix's ApiCall): the stored response of a write request, found again by its
-- X-Idempotency-Key and a hash of the caller's Authorization. `locked` is set while the first request runs.
CREATE TABLE api_calls (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL,
  auth_hash TEXT NOT NULL,
  created TEXT NOT NULL,
  locked TEXT,
  request_method TEXT NOT NULL,
  request_path TEXT NOT NULL,
  response_code INTEGER NOT NULL DEFAULT 0,
  response_headers TEXT NOT NULL DEFAULT '{}',
  response_body BLOB NOT NULL DEFAULT x''
);
CREATE UNIQUE INDEX api_calls_key ON api_calls(auth_hash, idempotency_key);
CREATE INDEX api_calls_created ON api_calls(created);
