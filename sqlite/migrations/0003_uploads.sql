-- Uploads: the statement files an end user (through the widget) or staff (through the API) sent
-- in one request. Each makes one Upload login, counts once against the customer's quota, and is
-- processed by a job of the durable queue.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id     TEXT NOT NULL UNIQUE,
    institution  TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT 'api',      -- 'api' or 'widget'
    status       TEXT NOT NULL DEFAULT 'received', -- 'received', 'completed', 'failed'
    error        TEXT NOT NULL DEFAULT '',
    file_count   INTEGER NOT NULL,
    total_bytes  INTEGER NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    finished_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX uploads_customer ON uploads(customer_id);

-- The files of an upload, in the order they were sent; the bytes live in the blob store.
CREATE TABLE upload_files (
    upload_id  TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    blob_key   TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    media_type TEXT NOT NULL,
    PRIMARY KEY (upload_id, position)
);

-- Where a customer's webhooks go. The secret signs every delivery; it is shown once.
CREATE TABLE webhook_endpoints (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX webhook_endpoints_customer ON webhook_endpoints(customer_id);

-- Events, each with a stable id (the webhook-id of every delivery) and the exact body sent.
CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL,
    body        BLOB NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- One delivery per event and endpoint: the delivery log. seq orders deliveries per login.
CREATE TABLE webhook_deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    login_id        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending', -- 'pending', 'delivered', 'failed'
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER NOT NULL DEFAULT 0,      -- HTTP status of the last attempt (0: none)
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at INTEGER NOT NULL DEFAULT 0,      -- unix ms
    next_attempt_at INTEGER NOT NULL DEFAULT 0,      -- unix ms
    delivered_at    INTEGER NOT NULL DEFAULT 0,      -- unix ms
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, login_id, status, seq);
