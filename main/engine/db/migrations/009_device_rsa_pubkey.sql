-- The RSA public key a scanner sends when it is paired or updated (pretix's Device.rsa_pubkey): set once,
-- never changed, and the key medium key sets are encrypted with for that device.
ALTER TABLE devices ADD COLUMN rsa_pubkey TEXT;
