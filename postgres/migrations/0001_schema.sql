-- Passbook's state on PostgreSQL: the tables of the SQLite schema (sqlite/migrations), with the
-- same names and meaning, in PostgreSQL's types. Times the code compares as instants are
-- timestamptz (kept to the millisecond, as SQLite's text times are); deadlines the code passes as
-- unix milliseconds stay bigint; secrets' hashes and sealed values are bytea. Customers' settings
-- are jsonb; accounts and documents are json (validated, kept as written): the database only
-- reads a few fields of them in the summaries' triggers, and jsonb would make every read rebuild
-- the text from its binary form. Webhook bodies are bytea: they are the
-- exact bytes that were signed.

-- pg_trgm (in Debian's postgresql package, trusted: a database owner may create it) indexes the
-- Dashboard's substring search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- now() to the millisecond, as every created_at is stored.
CREATE FUNCTION passbook_now() RETURNS timestamptz LANGUAGE sql STABLE
    AS $$ SELECT date_trunc('milliseconds', now()) $$;

-- Customers are the lenders that use Passbook. Their secrets are stored only as SHA-256 hashes.
CREATE TABLE customers (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    api_key_hash bytea NOT NULL,
    secret_hash  bytea NOT NULL,
    settings     jsonb NOT NULL DEFAULT '{}',   -- widget and upload settings
    is_default   boolean NOT NULL DEFAULT false,
    disabled     boolean NOT NULL DEFAULT false, -- keeps its data, no longer authenticates
    created_at   timestamptz NOT NULL DEFAULT passbook_now()
);
-- At most one default customer, however many replicas start at once.
CREATE UNIQUE INDEX customers_one_default ON customers(is_default) WHERE is_default;

-- Logins: linked (type Personal) or made from uploaded statements (type Upload). A processing
-- login with ready_at > 0 becomes ready by itself at that time (unix ms).
CREATE TABLE logins (
    id                   text PRIMARY KEY,
    customer_id          text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    institution          text NOT NULL,
    username             text NOT NULL DEFAULT '',
    type                 text NOT NULL DEFAULT 'Personal',
    status               text NOT NULL DEFAULT 'ready',
    pending_code         text NOT NULL DEFAULT '',
    ready_at             bigint NOT NULL DEFAULT 0,
    credentials          bytea,            -- AES-GCM sealed {Username, Password}, when saved
    is_scheduled_refresh boolean NOT NULL DEFAULT false,
    last_refresh         text NOT NULL DEFAULT '',
    version              bigint NOT NULL DEFAULT 0, -- bumped whenever its data changes
    tag                  text NOT NULL DEFAULT '',
    statements           text NOT NULL DEFAULT '', -- '', 'off', or Connect's monthsOfStatements
    created_at           timestamptz NOT NULL DEFAULT passbook_now()
);
CREATE UNIQUE INDEX logins_identity ON logins(customer_id, institution, username) WHERE type = 'Personal';
CREATE INDEX logins_customer ON logins(customer_id);

-- A login's accounts, each a passbook.Account (with its transactions), in display order.
CREATE TABLE login_accounts (
    login_id   text NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    position   integer NOT NULL,
    account_id text NOT NULL,
    data       json NOT NULL,
    PRIMARY KEY (login_id, position)
);

-- The documents an Upload login was made from, each a passbook.Document.
CREATE TABLE login_documents (
    login_id text NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    position integer NOT NULL,
    data     json NOT NULL,
    PRIMARY KEY (login_id, position)
);

-- Authorize sessions (RequestIds): waiting for MFA answers, waiting for data, or done.
CREATE TABLE login_requests (
    id          text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    text REFERENCES logins(id) ON DELETE CASCADE,
    institution text NOT NULL DEFAULT '',
    username    text NOT NULL DEFAULT '',
    status      text NOT NULL,             -- 'mfa', 'pending', 'done'
    state       bytea,                     -- AES-GCM sealed connector state and password
    challenges  text NOT NULL DEFAULT '',  -- JSON []passbook.SecurityChallenge of the current 203
    save        boolean NOT NULL DEFAULT false,
    language    text NOT NULL DEFAULT '',
    options     text NOT NULL DEFAULT '',  -- the data request's options, for the Async endpoints
    tag         text NOT NULL DEFAULT '',
    statements  text NOT NULL DEFAULT '',
    expires_at  bigint NOT NULL            -- unix ms
);
CREATE INDEX login_requests_expiry ON login_requests(expires_at);

-- One-use authorize tokens from GenerateAuthorizeToken, stored as SHA-256 hashes.
CREATE TABLE authorize_tokens (
    hash        bytea PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    expires_at  bigint NOT NULL,           -- unix ms
    used        boolean NOT NULL DEFAULT false
);

-- Access tokens from the Token call, reusable until they expire, stored as SHA-256 hashes.
CREATE TABLE access_tokens (
    hash        bytea PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    expires_at  bigint NOT NULL            -- unix ms
);
CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);

-- Uploads: the statement files sent in one request. Each makes one Upload login, counts once
-- against the customer's quota, and is processed by a job of the durable queue.
CREATE TABLE uploads (
    id          text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    text NOT NULL UNIQUE,
    institution text NOT NULL DEFAULT '',
    source      text NOT NULL DEFAULT 'api',      -- 'api' or 'widget'
    status      text NOT NULL DEFAULT 'received', -- 'received', 'completed', 'failed'
    error       text NOT NULL DEFAULT '',
    file_count  integer NOT NULL,
    total_bytes bigint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT passbook_now(),
    finished_at timestamptz
);
CREATE INDEX uploads_customer ON uploads(customer_id);
CREATE INDEX uploads_waiting ON uploads(customer_id) WHERE status = 'received';

-- The files of an upload, in the order they were sent; the bytes live in the blob store.
CREATE TABLE upload_files (
    upload_id  text NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    position   integer NOT NULL,
    file_name  text NOT NULL,
    blob_key   text NOT NULL,
    size       bigint NOT NULL,
    sha256     text NOT NULL,
    media_type text NOT NULL,
    PRIMARY KEY (upload_id, position)
);
CREATE INDEX upload_files_blob ON upload_files(blob_key);

-- Where a customer's webhooks go. The secret signs every delivery; it is shown once.
CREATE TABLE webhook_endpoints (
    id          text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    url         text NOT NULL,
    secret      text NOT NULL,
    event_types text NOT NULL DEFAULT '',  -- a JSON array of names, '' meaning every type
    created_at  timestamptz NOT NULL DEFAULT passbook_now()
);
CREATE INDEX webhook_endpoints_customer ON webhook_endpoints(customer_id);

-- Events, each with a stable id (the webhook-id of every delivery) and the exact body sent.
CREATE TABLE webhook_events (
    id          text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    text NOT NULL DEFAULT '',
    type        text NOT NULL,
    body        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT passbook_now()
);

-- One delivery per event and endpoint: the delivery log. seq orders deliveries per login.
CREATE TABLE webhook_deliveries (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    endpoint_id     text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    login_id        text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'pending', -- 'pending', 'delivered', 'failed'
    attempts        integer NOT NULL DEFAULT 0,
    last_status     integer NOT NULL DEFAULT 0,      -- HTTP status of the last attempt (0: none)
    last_error      text NOT NULL DEFAULT '',
    last_attempt_at bigint NOT NULL DEFAULT 0,       -- unix ms
    next_attempt_at bigint NOT NULL DEFAULT 0,       -- unix ms
    delivered_at    bigint NOT NULL DEFAULT 0,       -- unix ms
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, login_id, status, seq);

-- The review desk: staff users, server-side sessions, one-time invitations, decisions, the
-- audit log, and a one-row summary per login that the Dashboard's list filters, sorts and pages.
CREATE TABLE staff_users (
    id            text PRIMARY KEY,
    customer_id   text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    email         text NOT NULL,              -- the sign-in name, lower case
    name          text NOT NULL,
    role          text NOT NULL,              -- 'admin', 'analyst' or 'readonly'
    password_hash text NOT NULL,              -- argon2id, PHC string
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT passbook_now()
);
CREATE UNIQUE INDEX staff_users_email ON staff_users(email);
CREATE INDEX staff_users_customer ON staff_users(customer_id);

CREATE TABLE staff_sessions (
    hash       bytea PRIMARY KEY,
    user_id    text NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    created_at bigint NOT NULL,  -- unix ms
    expires_at bigint NOT NULL   -- unix ms
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions(expires_at);

CREATE TABLE staff_invites (
    hash        bytea PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    role        text NOT NULL,
    created_by  text NOT NULL DEFAULT '',  -- staff user id; '' for the first admin's link
    expires_at  bigint NOT NULL,           -- unix ms
    used        boolean NOT NULL DEFAULT false
);

-- Decisions on a login (document = -1) or on one of its documents (its position); the latest per
-- login and document is the current one.
CREATE TABLE decisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    text NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    document    integer NOT NULL DEFAULT -1,
    decision    text NOT NULL,  -- 'accepted', 'rejected', 'needs_info'
    note        text NOT NULL DEFAULT '',
    user_id     text NOT NULL,
    user_name   text NOT NULL,
    created_at  bigint NOT NULL  -- unix ms
);
CREATE INDEX decisions_login ON decisions(login_id, document, id);

-- Who did or saw what, and when. Kept when users or logins are deleted.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id text NOT NULL,
    user_id     text NOT NULL,
    user_name   text NOT NULL,
    action      text NOT NULL,
    login_id    text NOT NULL DEFAULT '',
    document    integer NOT NULL DEFAULT -1,
    detail      text NOT NULL DEFAULT '',
    created_at  bigint NOT NULL  -- unix ms
);
CREATE INDEX audit_log_customer ON audit_log(customer_id, id);
CREATE INDEX audit_log_login ON audit_log(login_id, id);

-- The list's row of each login, kept by triggers from logins, login_accounts, login_documents
-- and decisions. search is the lower-cased text a search matches: holder name, LoginId, tag and
-- account numbers, indexed by trigrams so that any substring is found through the index.
CREATE TABLE login_summaries (
    login_id     text PRIMARY KEY REFERENCES logins(id) ON DELETE CASCADE,
    customer_id  text NOT NULL,
    created_at   timestamptz NOT NULL,
    type         text NOT NULL,
    institution  text NOT NULL,
    status       text NOT NULL,
    ready_at     bigint NOT NULL DEFAULT 0,
    tag          text NOT NULL DEFAULT '',
    holder       text NOT NULL DEFAULT '',
    accounts     integer NOT NULL DEFAULT 0,
    numbers      text NOT NULL DEFAULT '',   -- account numbers, space separated
    currency     text NOT NULL DEFAULT '',
    balance      bigint,                     -- sum of the accounts' current balances, cents
    period_start text NOT NULL DEFAULT '',
    period_end   text NOT NULL DEFAULT '',
    documents    integer NOT NULL DEFAULT 0,
    verdict      text NOT NULL DEFAULT '',   -- worst document verdict; '' for linked logins
    verdict_rank integer NOT NULL DEFAULT 0, -- 0 none, 1 pass, 2 review, 3 fail
    score        integer NOT NULL DEFAULT -1,-- highest document score; -1 when none
    decision     text NOT NULL DEFAULT '',   -- the latest login-level decision
    search       text NOT NULL DEFAULT ''
);
CREATE INDEX login_summaries_created ON login_summaries(customer_id, created_at DESC);
CREATE INDEX login_summaries_verdict ON login_summaries(customer_id, verdict_rank, created_at DESC);
CREATE INDEX login_summaries_verdict_score ON login_summaries(customer_id, verdict_rank, score DESC, created_at DESC);
CREATE INDEX login_summaries_type ON login_summaries(customer_id, type, created_at DESC);
CREATE INDEX login_summaries_decision ON login_summaries(customer_id, decision, created_at DESC);
CREATE INDEX login_summaries_score ON login_summaries(customer_id, score DESC, created_at DESC);
CREATE INDEX login_summaries_balance ON login_summaries(customer_id, balance DESC NULLS LAST, created_at DESC);
CREATE INDEX login_summaries_holder ON login_summaries(customer_id, (holder = ''), lower(holder), created_at DESC);
CREATE INDEX login_summaries_search ON login_summaries USING gin (search gin_trgm_ops);

-- A login's summary is made with it; its tag is the Dashboard's (SetLoginTag), not Flinks' Tag.
CREATE FUNCTION login_summaries_of_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO login_summaries (login_id, customer_id, created_at, type, institution, status, ready_at, search)
        VALUES (NEW.id, NEW.customer_id, NEW.created_at, NEW.type, NEW.institution, NEW.status, NEW.ready_at, lower(NEW.id));
    ELSE
        UPDATE login_summaries SET type = NEW.type, institution = NEW.institution, status = NEW.status, ready_at = NEW.ready_at
        WHERE login_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER login_summaries_insert AFTER INSERT ON logins
    FOR EACH ROW EXECUTE FUNCTION login_summaries_of_login();
CREATE TRIGGER login_summaries_update AFTER UPDATE OF type, institution, status, ready_at ON logins
    FOR EACH ROW EXECUTE FUNCTION login_summaries_of_login();

-- Accounts: recomputed from all of the login's accounts whenever one is added or removed.
CREATE FUNCTION login_summaries_of_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lid text;
BEGIN
    IF TG_OP = 'DELETE' THEN lid := OLD.login_id; ELSE lid := NEW.login_id; END IF;
    UPDATE login_summaries s SET
        holder = coalesce((SELECT a.data->'Holder'->>'Name' FROM login_accounts a
                           WHERE a.login_id = lid AND coalesce(a.data->'Holder'->>'Name', '') <> '' ORDER BY a.position LIMIT 1), ''),
        accounts = (SELECT count(*) FROM login_accounts a WHERE a.login_id = lid),
        numbers = coalesce((SELECT string_agg(a.data->>'AccountNumber', ' ' ORDER BY a.position) FROM login_accounts a WHERE a.login_id = lid), ''),
        currency = coalesce((SELECT a.data->>'Currency' FROM login_accounts a WHERE a.login_id = lid ORDER BY a.position LIMIT 1), ''),
        balance = (SELECT round(sum((a.data->'Balance'->>'Current')::numeric) * 100)::bigint FROM login_accounts a WHERE a.login_id = lid),
        period_start = coalesce((SELECT min(nullif(coalesce(a.data->'Statement'->>'PeriodStart',
                                     least(a.data->'Transactions'->0->>'Date', a.data->'Transactions'->-1->>'Date')), ''))
                                 FROM login_accounts a WHERE a.login_id = lid), ''),
        period_end = coalesce((SELECT max(coalesce(a.data->'Statement'->>'PeriodEnd',
                                   greatest(a.data->'Transactions'->0->>'Date', a.data->'Transactions'->-1->>'Date')))
                               FROM login_accounts a WHERE a.login_id = lid), '')
    WHERE s.login_id = lid;
    UPDATE login_summaries SET search = lower(login_id || ' ' || holder || ' ' || tag || ' ' || numbers) WHERE login_id = lid;
    RETURN NULL;
END $$;
CREATE TRIGGER login_summaries_accounts AFTER INSERT OR DELETE ON login_accounts
    FOR EACH ROW EXECUTE FUNCTION login_summaries_of_accounts();

-- Documents: the worst verdict and the highest score.
CREATE FUNCTION login_summaries_of_documents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lid text;
BEGIN
    IF TG_OP = 'DELETE' THEN lid := OLD.login_id; ELSE lid := NEW.login_id; END IF;
    UPDATE login_summaries SET
        documents = (SELECT count(*) FROM login_documents d WHERE d.login_id = lid),
        verdict_rank = (SELECT coalesce(max(CASE d.data->'Authenticity'->>'Verdict'
                            WHEN 'pass' THEN 1 WHEN 'review' THEN 2 WHEN 'fail' THEN 3 ELSE 0 END), 0)
                        FROM login_documents d WHERE d.login_id = lid),
        score = (SELECT coalesce(max((d.data->'Authenticity'->>'Score')::numeric)::integer, -1) FROM login_documents d WHERE d.login_id = lid)
    WHERE login_id = lid;
    UPDATE login_summaries SET verdict = CASE verdict_rank WHEN 1 THEN 'pass' WHEN 2 THEN 'review' WHEN 3 THEN 'fail' ELSE '' END
    WHERE login_id = lid;
    RETURN NULL;
END $$;
CREATE TRIGGER login_summaries_documents AFTER INSERT OR DELETE ON login_documents
    FOR EACH ROW EXECUTE FUNCTION login_summaries_of_documents();

CREATE FUNCTION login_summaries_of_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.document = -1 THEN
        UPDATE login_summaries SET decision = NEW.decision WHERE login_id = NEW.login_id;
    END IF;
    -- The API shows documents' decisions: its cached answers are keyed by the login's version.
    UPDATE logins SET version = version + 1 WHERE id = NEW.login_id;
    RETURN NULL;
END $$;
CREATE TRIGGER login_summaries_decision AFTER INSERT ON decisions
    FOR EACH ROW EXECUTE FUNCTION login_summaries_of_decision();
