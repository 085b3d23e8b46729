-- Customers are the lenders that use Passbook. Their secrets are stored only as SHA-256 hashes:
-- they are 256-bit random values, so a plain hash is as strong as a slow one and lets a lookup
-- by hash stay constant-time in the comparison that follows it.
CREATE TABLE customers (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    api_key_hash    BLOB NOT NULL,
    secret_hash     BLOB NOT NULL,
    settings        TEXT NOT NULL DEFAULT '{}',   -- JSON: widget and upload settings
    is_default      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE UNIQUE INDEX customers_one_default ON customers(is_default) WHERE is_default = 1;
