-- Logins are the connections an end user made, by linking a bank (type Personal) or by uploading
-- statements (type Upload). A login's data is served only once its status is 'ready'; while it is
-- 'processing' the API answers 202 with pending_code (OPERATION_PENDING or OPERATION_DISPATCHED),
-- and a processing login with ready_at > 0 becomes ready by itself at that time (unix ms).
CREATE TABLE logins (
    id                   TEXT PRIMARY KEY,
    customer_id          TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    institution          TEXT NOT NULL,
    username             TEXT NOT NULL DEFAULT '',
    type                 TEXT NOT NULL DEFAULT 'Personal',
    status               TEXT NOT NULL DEFAULT 'ready',
    pending_code         TEXT NOT NULL DEFAULT '',
    ready_at             INTEGER NOT NULL DEFAULT 0,
    credentials          BLOB,            -- AES-GCM sealed {Username, Password}, when saved
    is_scheduled_refresh INTEGER NOT NULL DEFAULT 0,
    last_refresh         TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 0, -- bumped whenever its data changes
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
-- One LoginId per customer, institution and username, as Flinks keeps it.
CREATE UNIQUE INDEX logins_identity ON logins(customer_id, institution, username) WHERE type = 'Personal';
CREATE INDEX logins_customer ON logins(customer_id);

-- A login's accounts, each a JSON passbook.Account (with its transactions), in display order.
CREATE TABLE login_accounts (
    login_id   TEXT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (login_id, position)
);

-- The documents an Upload login was made from, each a JSON passbook.Document.
CREATE TABLE login_documents (
    login_id TEXT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    data     TEXT NOT NULL,
    PRIMARY KEY (login_id, position)
);

-- Authorize sessions (RequestIds): waiting for MFA answers, waiting for data, or done.
CREATE TABLE login_requests (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    TEXT REFERENCES logins(id) ON DELETE CASCADE,
    institution TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,            -- 'mfa', 'pending', 'done'
    state       BLOB,                     -- AES-GCM sealed connector state and password
    challenges  TEXT NOT NULL DEFAULT '', -- JSON []passbook.SecurityChallenge of the current 203
    save        INTEGER NOT NULL DEFAULT 0,
    language    TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL DEFAULT '',  -- the data request's options, for the Async endpoints
    expires_at  INTEGER NOT NULL          -- unix ms
);
CREATE INDEX login_requests_expiry ON login_requests(expires_at);

-- One-use authorize tokens from GenerateAuthorizeToken, stored as SHA-256 hashes.
CREATE TABLE authorize_tokens (
    hash        BLOB PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,         -- unix ms
    used        INTEGER NOT NULL DEFAULT 0
);
