-- Device initialization tokens are kept as SHA-256 hashes, like API tokens: a stolen database file must not
-- let anyone pair a scanner. `sha256_hex` is provided by the migration runner.
UPDATE devices SET initialization_token = sha256_hex(initialization_token);
