-- Access tokens from the Token call (Authorization: Bearer …): reusable until they expire,
-- stored as SHA-256 hashes like the one-use authorize tokens.
CREATE TABLE access_tokens (
    hash        BLOB PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL          -- unix ms
);
CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);
