-- The review desk: named staff users of a customer with their own passwords and roles,
-- server-side sessions (revocable: sign-out deletes the row), one-time invitation links (the
-- first admin's is printed on start), decisions on logins and documents, an audit log of who
-- did and saw what, and a one-row summary per login that the Dashboard's list filters, sorts
-- and pages on in SQL.
CREATE TABLE staff_users (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    email         TEXT NOT NULL,                  -- the sign-in name, lower case
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,                  -- 'admin', 'analyst' or 'readonly'
    password_hash TEXT NOT NULL,                  -- argon2id, PHC string
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE UNIQUE INDEX staff_users_email ON staff_users(email);
CREATE INDEX staff_users_customer ON staff_users(customer_id);

-- Sessions are random tokens stored as SHA-256 hashes; a session ends at expires_at or when its
-- row is deleted (sign-out, user disabled).
CREATE TABLE staff_sessions (
    hash       BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,  -- unix ms
    expires_at INTEGER NOT NULL   -- unix ms
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions(expires_at);

-- One-time links that create a staff user with a given role.
CREATE TABLE staff_invites (
    hash        BLOB PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',  -- staff user id; '' for the first admin's link
    expires_at  INTEGER NOT NULL,          -- unix ms
    used        INTEGER NOT NULL DEFAULT 0
);

-- Decisions on a login (document = -1) or on one of its documents (its position). The latest
-- decision per login and document is the current one; earlier ones stay as history.
CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    login_id    TEXT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    document    INTEGER NOT NULL DEFAULT -1,
    decision    TEXT NOT NULL,  -- 'accepted', 'rejected', 'needs_info'
    note        TEXT NOT NULL DEFAULT '',
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    created_at  INTEGER NOT NULL  -- unix ms
);
CREATE INDEX decisions_login ON decisions(login_id, document, id);

-- Who did or saw what, and when. Kept when users or logins are deleted.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    action      TEXT NOT NULL,  -- 'view_document', 'download_document', 'decision', 'export', 'sign_in', …
    login_id    TEXT NOT NULL DEFAULT '',
    document    INTEGER NOT NULL DEFAULT -1,
    detail      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL  -- unix ms
);
CREATE INDEX audit_log_customer ON audit_log(customer_id, id);
CREATE INDEX audit_log_login ON audit_log(login_id, id);

-- The list's row of each login, kept by triggers from logins, login_accounts and
-- login_documents, so that a page of the list is one indexed query. search is the lower-cased
-- text a search matches: holder name, LoginId, tag and account numbers.
CREATE TABLE login_summaries (
    id           INTEGER PRIMARY KEY,        -- the search index's rowid
    login_id     TEXT NOT NULL UNIQUE REFERENCES logins(id) ON DELETE CASCADE,
    customer_id  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    type         TEXT NOT NULL,
    institution  TEXT NOT NULL,
    status       TEXT NOT NULL,
    ready_at     INTEGER NOT NULL DEFAULT 0,
    tag          TEXT NOT NULL DEFAULT '',
    holder       TEXT NOT NULL DEFAULT '',
    accounts     INTEGER NOT NULL DEFAULT 0,
    numbers      TEXT NOT NULL DEFAULT '',   -- account numbers, space separated
    currency     TEXT NOT NULL DEFAULT '',
    balance      INTEGER,                    -- sum of the accounts' current balances, cents
    period_start TEXT NOT NULL DEFAULT '',
    period_end   TEXT NOT NULL DEFAULT '',
    documents    INTEGER NOT NULL DEFAULT 0,
    verdict      TEXT NOT NULL DEFAULT '',   -- worst document verdict; '' for linked logins
    verdict_rank INTEGER NOT NULL DEFAULT 0, -- 0 none, 1 pass, 2 review, 3 fail
    score        INTEGER NOT NULL DEFAULT -1,-- highest document score; -1 when none
    decision     TEXT NOT NULL DEFAULT '',   -- the latest login-level decision
    search       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_summaries_created ON login_summaries(customer_id, created_at DESC);
CREATE INDEX login_summaries_verdict ON login_summaries(customer_id, verdict_rank, created_at DESC);
CREATE INDEX login_summaries_verdict_score ON login_summaries(customer_id, verdict_rank, score DESC, created_at DESC);
CREATE INDEX login_summaries_type ON login_summaries(customer_id, type, created_at DESC);
CREATE INDEX login_summaries_decision ON login_summaries(customer_id, decision, created_at DESC);
CREATE INDEX login_summaries_score ON login_summaries(customer_id, score DESC, created_at DESC);
CREATE INDEX login_summaries_balance ON login_summaries(customer_id, balance DESC, created_at DESC);
CREATE INDEX login_summaries_holder ON login_summaries(customer_id, holder = '', holder COLLATE NOCASE, created_at DESC);

-- Substring search (names, LoginIds, tags, account digits) through a trigram index of search.
CREATE VIRTUAL TABLE login_search USING fts5(search, content='login_summaries', content_rowid='id', tokenize='trigram');
CREATE TRIGGER login_search_insert AFTER INSERT ON login_summaries BEGIN
    INSERT INTO login_search (rowid, search) VALUES (NEW.id, NEW.search);
END;
CREATE TRIGGER login_search_delete AFTER DELETE ON login_summaries BEGIN
    INSERT INTO login_search (login_search, rowid, search) VALUES ('delete', OLD.id, OLD.search);
END;
CREATE TRIGGER login_search_update AFTER UPDATE OF search ON login_summaries BEGIN
    INSERT INTO login_search (login_search, rowid, search) VALUES ('delete', OLD.id, OLD.search);
    INSERT INTO login_search (rowid, search) VALUES (NEW.id, NEW.search);
END;

INSERT INTO login_summaries (login_id, customer_id, created_at, type, institution, status, ready_at, search)
    SELECT id, customer_id, created_at, type, institution, status, ready_at, lower(id) FROM logins;

CREATE TRIGGER login_summaries_insert AFTER INSERT ON logins BEGIN
    INSERT INTO login_summaries (login_id, customer_id, created_at, type, institution, status, ready_at, search)
    VALUES (NEW.id, NEW.customer_id, NEW.created_at, NEW.type, NEW.institution, NEW.status, NEW.ready_at, lower(NEW.id));
END;

CREATE TRIGGER login_summaries_update AFTER UPDATE OF type, institution, status, ready_at ON logins BEGIN
    UPDATE login_summaries SET type = NEW.type, institution = NEW.institution, status = NEW.status, ready_at = NEW.ready_at
    WHERE login_id = NEW.id;
END;

-- Accounts: recomputed from all of the login's accounts whenever one is added or removed.
CREATE TRIGGER login_summaries_account_insert AFTER INSERT ON login_accounts BEGIN
    UPDATE login_summaries SET
        holder = coalesce((SELECT json_extract(data, '$.Holder.Name') FROM login_accounts
                           WHERE login_id = NEW.login_id AND json_extract(data, '$.Holder.Name') <> '' ORDER BY position LIMIT 1), ''),
        accounts = (SELECT count(*) FROM login_accounts WHERE login_id = NEW.login_id),
        numbers = coalesce((SELECT group_concat(json_extract(data, '$.AccountNumber'), ' ') FROM login_accounts WHERE login_id = NEW.login_id), ''),
        currency = coalesce((SELECT json_extract(data, '$.Currency') FROM login_accounts WHERE login_id = NEW.login_id ORDER BY position LIMIT 1), ''),
        balance = (SELECT CAST(round(sum(json_extract(data, '$.Balance.Current')) * 100) AS INTEGER) FROM login_accounts WHERE login_id = NEW.login_id),
        period_start = coalesce((SELECT min(nullif(coalesce(json_extract(data, '$.Statement.PeriodStart'),
                                     min(json_extract(data, '$.Transactions[0].Date'), json_extract(data, '$.Transactions[#-1].Date'))), ''))
                                 FROM login_accounts WHERE login_id = NEW.login_id), ''),
        period_end = coalesce((SELECT max(coalesce(json_extract(data, '$.Statement.PeriodEnd'),
                                   max(json_extract(data, '$.Transactions[0].Date'), json_extract(data, '$.Transactions[#-1].Date'))))
                               FROM login_accounts WHERE login_id = NEW.login_id), '')
    WHERE login_id = NEW.login_id;
    UPDATE login_summaries SET search = lower(login_id || ' ' || holder || ' ' || tag || ' ' || numbers) WHERE login_id = NEW.login_id;
END;

CREATE TRIGGER login_summaries_account_delete AFTER DELETE ON login_accounts BEGIN
    UPDATE login_summaries SET holder = '', accounts = 0, numbers = '', currency = '', balance = NULL,
        period_start = '', period_end = '', search = lower(login_id || ' ' || tag)
    WHERE login_id = OLD.login_id;
END;

-- Documents: the worst verdict and the highest score.
CREATE TRIGGER login_summaries_document_insert AFTER INSERT ON login_documents BEGIN
    UPDATE login_summaries SET
        documents = (SELECT count(*) FROM login_documents WHERE login_id = NEW.login_id),
        verdict_rank = (SELECT coalesce(max(CASE json_extract(data, '$.Authenticity.Verdict')
                            WHEN 'pass' THEN 1 WHEN 'review' THEN 2 WHEN 'fail' THEN 3 ELSE 0 END), 0)
                        FROM login_documents WHERE login_id = NEW.login_id),
        score = (SELECT coalesce(max(json_extract(data, '$.Authenticity.Score')), -1) FROM login_documents WHERE login_id = NEW.login_id)
    WHERE login_id = NEW.login_id;
    UPDATE login_summaries SET verdict = CASE verdict_rank WHEN 1 THEN 'pass' WHEN 2 THEN 'review' WHEN 3 THEN 'fail' ELSE '' END
    WHERE login_id = NEW.login_id;
END;

CREATE TRIGGER login_summaries_document_delete AFTER DELETE ON login_documents BEGIN
    UPDATE login_summaries SET documents = 0, verdict = '', verdict_rank = 0, score = -1 WHERE login_id = OLD.login_id;
END;

CREATE TRIGGER login_summaries_decision AFTER INSERT ON decisions BEGIN
    UPDATE login_summaries SET decision = NEW.decision WHERE login_id = NEW.login_id AND NEW.document = -1;
    -- The API shows documents' decisions: its cached answers are keyed by the login's version.
    UPDATE logins SET version = version + 1 WHERE id = NEW.login_id;
END;

-- Logins stored before this migration get their summaries now.
    UPDATE login_summaries SET
        holder = coalesce((SELECT json_extract(data, '$.Holder.Name') FROM login_accounts
                           WHERE login_id = login_summaries.login_id AND json_extract(data, '$.Holder.Name') <> '' ORDER BY position LIMIT 1), ''),
        accounts = (SELECT count(*) FROM login_accounts WHERE login_id = login_summaries.login_id),
        numbers = coalesce((SELECT group_concat(json_extract(data, '$.AccountNumber'), ' ') FROM login_accounts WHERE login_id = login_summaries.login_id), ''),
        currency = coalesce((SELECT json_extract(data, '$.Currency') FROM login_accounts WHERE login_id = login_summaries.login_id ORDER BY position LIMIT 1), ''),
        balance = (SELECT CAST(round(sum(json_extract(data, '$.Balance.Current')) * 100) AS INTEGER) FROM login_accounts WHERE login_id = login_summaries.login_id),
        period_start = coalesce((SELECT min(nullif(coalesce(json_extract(data, '$.Statement.PeriodStart'),
                                     min(json_extract(data, '$.Transactions[0].Date'), json_extract(data, '$.Transactions[#-1].Date'))), ''))
                                 FROM login_accounts WHERE login_id = login_summaries.login_id), ''),
        period_end = coalesce((SELECT max(coalesce(json_extract(data, '$.Statement.PeriodEnd'),
                                   max(json_extract(data, '$.Transactions[0].Date'), json_extract(data, '$.Transactions[#-1].Date'))))
                               FROM login_accounts WHERE login_id = login_summaries.login_id), '')
    WHERE login_id IN (SELECT login_id FROM login_accounts UNION SELECT login_id FROM login_documents);
    UPDATE login_summaries SET search = lower(login_id || ' ' || holder || ' ' || tag || ' ' || numbers) WHERE login_id = login_summaries.login_id;
    UPDATE login_summaries SET
        documents = (SELECT count(*) FROM login_documents WHERE login_id = login_summaries.login_id),
        verdict_rank = (SELECT coalesce(max(CASE json_extract(data, '$.Authenticity.Verdict')
                            WHEN 'pass' THEN 1 WHEN 'review' THEN 2 WHEN 'fail' THEN 3 ELSE 0 END), 0)
                        FROM login_documents WHERE login_id = login_summaries.login_id),
        score = (SELECT coalesce(max(json_extract(data, '$.Authenticity.Score')), -1) FROM login_documents WHERE login_id = login_summaries.login_id)
    WHERE login_id IN (SELECT login_id FROM login_accounts UNION SELECT login_id FROM login_documents);
    UPDATE login_summaries SET verdict = CASE verdict_rank WHEN 1 THEN 'pass' WHEN 2 THEN 'review' WHEN 3 THEN 'fail' ELSE '' END
    WHERE login_id = login_summaries.login_id;
