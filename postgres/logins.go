package postgres

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
)

// SaveLogin stores l for customerID with the given status (LoginProcessing or LoginReady),
// creating it (and giving it an Id) when l.Id is empty or unknown, updating it otherwise. Upload
// logins use it as linked logins do: save as processing, SaveAccounts, then SetLoginStatus ready.
func (db *DB) SaveLogin(ctx context.Context, customerID string, l *passbook.Login, status string) error {
	return db.SaveLoginRecord(ctx, &passbook.LoginRecord{Login: *l, CustomerID: customerID, Status: status}, l)
}

// SaveLoginRecord stores rec, creating or updating it; when out is not nil it receives the
// stored login (with its Id).
func (db *DB) SaveLoginRecord(ctx context.Context, rec *passbook.LoginRecord, out *passbook.Login) error {
	if rec.Id == "" {
		rec.Id = passbook.NewID()
	}
	if rec.Type == "" {
		rec.Type = passbook.LoginPersonal
	}
	if rec.Status == "" {
		rec.Status = passbook.LoginReady
	}
	if rec.LastRefresh.IsZero() {
		rec.LastRefresh = time.Now().UTC()
	}
	var readyAt int64
	if !rec.ReadyAt.IsZero() {
		readyAt = rec.ReadyAt.UnixMilli()
	}
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO logins
		(id, customer_id, institution, username, type, status, pending_code, ready_at, credentials, is_scheduled_refresh, last_refresh, version, tag, statements)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13)
		ON CONFLICT(id) DO UPDATE SET institution = excluded.institution, username = excluded.username,
			type = excluded.type, status = excluded.status, pending_code = excluded.pending_code,
			ready_at = excluded.ready_at, credentials = COALESCE(excluded.credentials, logins.credentials),
			is_scheduled_refresh = excluded.is_scheduled_refresh, last_refresh = excluded.last_refresh,
			version = logins.version + 1,
			tag = CASE WHEN excluded.tag != '' THEN excluded.tag ELSE logins.tag END,
			statements = CASE WHEN excluded.statements != '' THEN excluded.statements ELSE logins.statements END
		WHERE logins.customer_id = excluded.customer_id`,
		rec.Id, rec.CustomerID, rec.Institution, rec.Username, rec.Type, rec.Status, string(rec.PendingCode),
		readyAt, rec.Credentials, rec.IsScheduledRefresh, rec.LastRefresh.UTC().Format(time.RFC3339Nano), rec.Tag, rec.Statements)
	if err != nil {
		return fmt.Errorf("postgres: save login: %w", err)
	}
	if out != nil {
		*out = rec.Login
	}
	return nil
}

// SetLoginStatus changes a login's status (for example to LoginReady once an upload is
// processed); passbook.ErrNotFound for an unknown login.
func (db *DB) SetLoginStatus(ctx context.Context, loginID, status string) error {
	res, err := db.SQL.ExecContext(ctx, `UPDATE logins SET status = $1, ready_at = 0, version = version + 1 WHERE id = $2`, status, loginID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("login %s: %w", loginID, passbook.ErrNotFound)
	}
	return nil
}

// SetLoginCredentials replaces (or, with nil, removes) a login's sealed saved credentials.
func (db *DB) SetLoginCredentials(ctx context.Context, loginID string, sealed []byte) error {
	_, err := db.SQL.ExecContext(ctx, `UPDATE logins SET credentials = $1 WHERE id = $2`, sealed, loginID)
	return err
}

const loginColumns = `id, customer_id, institution, username, type, status, pending_code, ready_at, credentials, is_scheduled_refresh, last_refresh, version, tag, statements`

func scanLogin(row interface{ Scan(...any) error }) (*passbook.LoginRecord, error) {
	var r passbook.LoginRecord
	var readyAt int64
	var last, code string
	if err := row.Scan(&r.Id, &r.CustomerID, &r.Institution, &r.Username, &r.Type, &r.Status, &code, &readyAt,
		&r.Credentials, &r.IsScheduledRefresh, &last, &r.Version, &r.Tag, &r.Statements); err != nil {
		return nil, err
	}
	r.PendingCode = passbook.Code(code)
	if readyAt > 0 {
		r.ReadyAt = time.UnixMilli(readyAt).UTC()
	}
	r.LastRefresh, _ = time.Parse(time.RFC3339Nano, last)
	return &r, nil
}

// LoginRecord returns customer customerID's login loginID; passbook.ErrNotFound when there is none.
func (db *DB) LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error) {
	r, err := scanLogin(db.SQL.QueryRowContext(ctx, `SELECT `+loginColumns+` FROM logins WHERE id = $1 AND customer_id = $2`, loginID, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("login %s: %w", loginID, passbook.ErrNotFound)
	}
	return r, err
}

// FindLogin returns the Personal login of customerID at institution for username, or nil.
func (db *DB) FindLogin(ctx context.Context, customerID, institution, username string) (*passbook.LoginRecord, error) {
	r, err := scanLogin(db.SQL.QueryRowContext(ctx, `SELECT `+loginColumns+` FROM logins
		WHERE customer_id = $1 AND institution = $2 AND username = $3 AND type = 'Personal'`, customerID, institution, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// Logins returns customerID's logins, newest first.
func (db *DB) Logins(ctx context.Context, customerID string) ([]*passbook.LoginRecord, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT `+loginColumns+` FROM logins WHERE customer_id = $1 ORDER BY created_at DESC, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*passbook.LoginRecord
	for rows.Next() {
		r, err := scanLogin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteLogin removes a login with its accounts, documents and requests (Flinks' DeleteCard);
// passbook.ErrNotFound when the customer has no such login.
func (db *DB) DeleteLogin(ctx context.Context, customerID, loginID string) error {
	res, err := db.SQL.ExecContext(ctx, `DELETE FROM logins WHERE id = $1 AND customer_id = $2`, loginID, customerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("login %s: %w", loginID, passbook.ErrNotFound)
	}
	return nil
}

// SaveAccounts replaces the accounts of a login (with their transactions) and bumps its version.
// Accounts without an Id get one.
func (db *DB) SaveAccounts(ctx context.Context, loginID string, accounts []passbook.Account) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE logins SET version = version + 1 WHERE id = $1`, loginID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("login %s: %w", loginID, passbook.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_accounts WHERE login_id = $1`, loginID); err != nil {
			return err
		}
		for i := range accounts {
			a := &accounts[i]
			if a.Id == "" {
				a.Id = passbook.NewID()
			}
			b, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_accounts (login_id, position, account_id, data) VALUES ($1, $2, $3, $4)`,
				loginID, i, a.Id, string(b)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Accounts returns a login's accounts with their transactions, in the order they were saved.
func (db *DB) Accounts(ctx context.Context, loginID string) ([]passbook.Account, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT data::text FROM login_accounts WHERE login_id = $1 ORDER BY position`, loginID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.Account
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var a passbook.Account
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return nil, fmt.Errorf("postgres: account of login %s: %w", loginID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaveLoginDocuments replaces the documents an Upload login was made from.
func (db *DB) SaveLoginDocuments(ctx context.Context, loginID string, docs []passbook.Document) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_documents WHERE login_id = $1`, loginID); err != nil {
			return err
		}
		for i, d := range docs {
			b, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_documents (login_id, position, data) VALUES ($1, $2, $3)`, loginID, i, string(b)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE logins SET version = version + 1 WHERE id = $1`, loginID)
		return err
	})
}

// LoginDocuments returns the documents of an Upload login (none for a linked login), each with
// the latest decision staff recorded on it.
func (db *DB) LoginDocuments(ctx context.Context, loginID string) ([]passbook.Document, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT d.data::text, x.decision, x.note, x.user_name, x.created_at FROM login_documents d
		LEFT JOIN decisions x ON x.id = (SELECT max(id) FROM decisions WHERE login_id = d.login_id AND document = d.position)
		WHERE d.login_id = $1 ORDER BY d.position`, loginID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.Document
	for rows.Next() {
		var data string
		var decision, note, by sql.NullString
		var at sql.NullInt64
		if err := rows.Scan(&data, &decision, &note, &by, &at); err != nil {
			return nil, err
		}
		var d passbook.Document
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			return nil, err
		}
		d.Review = nil
		if decision.Valid {
			d.Review = &passbook.StaffReview{Decision: decision.String, Note: note.String, DecidedBy: by.String,
				DecidedAt: time.UnixMilli(at.Int64).UTC()}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveRequest creates or replaces a request.
func (db *DB) SaveRequest(ctx context.Context, r *passbook.LoginRequest) error {
	if r.Id == "" {
		r.Id = passbook.NewID()
	}
	ch := ""
	if len(r.Challenges) > 0 {
		b, err := json.Marshal(r.Challenges)
		if err != nil {
			return err
		}
		ch = string(b)
	}
	var login any
	if r.LoginID != "" {
		login = r.LoginID
	}
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO login_requests
		(id, customer_id, login_id, institution, username, status, state, challenges, save, language, expires_at, tag, statements)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT(id) DO UPDATE SET login_id = excluded.login_id, institution = excluded.institution,
			username = excluded.username, status = excluded.status, state = excluded.state,
			challenges = excluded.challenges, save = excluded.save, language = excluded.language,
			expires_at = excluded.expires_at
		WHERE login_requests.customer_id = excluded.customer_id`,
		r.Id, r.CustomerID, login, r.Institution, r.Username, r.Status, r.State, ch, r.Save, r.Language, r.ExpiresAt.UnixMilli(), r.Tag, r.Statements)
	if err != nil {
		return fmt.Errorf("postgres: save request: %w", err)
	}
	return nil
}

// Request returns customerID's request id if it exists and has not expired at now; otherwise
// passbook.ErrNotFound (an expired request and another customer's look like an unknown one).
func (db *DB) Request(ctx context.Context, customerID, id string, now time.Time) (*passbook.LoginRequest, error) {
	var r passbook.LoginRequest
	var login sql.NullString
	var ch string
	var exp int64
	err := db.SQL.QueryRowContext(ctx, `SELECT id, customer_id, login_id, institution, username, status, state, challenges, save, language, options, expires_at, tag, statements
		FROM login_requests WHERE id = $1`, id).Scan(&r.Id, &r.CustomerID, &login, &r.Institution, &r.Username, &r.Status, &r.State, &ch, &r.Save, &r.Language, &r.Options, &exp, &r.Tag, &r.Statements)
	gone := fmt.Errorf("request %s: %w", id, passbook.ErrNotFound)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gone
	}
	if err != nil {
		return nil, err
	}
	// The customer is compared after the lookup, in constant time, so that a RequestId of another
	// customer looks exactly like an unknown one.
	if subtle.ConstantTimeCompare([]byte(r.CustomerID), []byte(customerID)) != 1 || now.UnixMilli() >= exp {
		return nil, gone
	}
	r.LoginID = login.String
	r.ExpiresAt = time.UnixMilli(exp).UTC()
	if ch != "" {
		if err := json.Unmarshal([]byte(ch), &r.Challenges); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

const requestLoginQuery = `SELECT r.id, r.customer_id, r.institution, r.username, r.status, r.state, r.challenges,
		r.save, r.language, r.options, r.expires_at,
		l.id, l.customer_id, l.institution, l.username, l.type, l.status, l.pending_code, l.ready_at, l.credentials,
		l.is_scheduled_refresh, l.last_refresh, l.version, l.tag, l.statements
		FROM login_requests r LEFT JOIN logins l ON l.id = r.login_id WHERE r.id = $1`

// RequestLogin returns customerID's request id (unexpired at now) and its login in one query
// (the data endpoints use it on every call; pgx keeps it prepared on each connection); login is nil when the request has none yet. A
// missing or expired request is passbook.ErrNotFound.
func (db *DB) RequestLogin(ctx context.Context, customerID, id string, now time.Time) (*passbook.LoginRequest, *passbook.LoginRecord, error) {
	var r passbook.LoginRequest
	var ch string
	var exp int64
	var l struct {
		id, customer, inst, user, typ, status, code, last sql.NullString
		tag, statements                                   sql.NullString
		ready, version                                    sql.NullInt64
		sched                                             sql.NullBool
		creds                                             []byte
	}
	err := db.SQL.QueryRowContext(ctx, requestLoginQuery, id).Scan(
		&r.Id, &r.CustomerID, &r.Institution, &r.Username, &r.Status, &r.State, &ch, &r.Save, &r.Language, &r.Options, &exp,
		&l.id, &l.customer, &l.inst, &l.user, &l.typ, &l.status, &l.code, &l.ready, &l.creds, &l.sched, &l.last, &l.version, &l.tag, &l.statements)
	gone := fmt.Errorf("request %s: %w", id, passbook.ErrNotFound)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, gone
	}
	if err != nil {
		return nil, nil, err
	}
	if subtle.ConstantTimeCompare([]byte(r.CustomerID), []byte(customerID)) != 1 || now.UnixMilli() >= exp {
		return nil, nil, gone
	}
	r.ExpiresAt = time.UnixMilli(exp).UTC()
	if ch != "" {
		if err := json.Unmarshal([]byte(ch), &r.Challenges); err != nil {
			return nil, nil, err
		}
	}
	if !l.id.Valid {
		return &r, nil, nil
	}
	r.LoginID = l.id.String
	rec := &passbook.LoginRecord{
		Login: passbook.Login{Id: l.id.String, Username: l.user.String, Institution: l.inst.String, Type: l.typ.String,
			IsScheduledRefresh: l.sched.Bool},
		CustomerID: l.customer.String, Status: l.status.String, PendingCode: passbook.Code(l.code.String),
		Credentials: l.creds, Version: l.version.Int64, Tag: l.tag.String, Statements: l.statements.String,
	}
	if l.ready.Int64 > 0 {
		rec.ReadyAt = time.UnixMilli(l.ready.Int64).UTC()
	}
	rec.LastRefresh, _ = time.Parse(time.RFC3339Nano, l.last.String)
	return &r, rec, nil
}

// SetRequestOptions records the options of the data call made with a request (GetAccountsDetail's
// body), so that its Async poll answers with the same.
func (db *DB) SetRequestOptions(ctx context.Context, id, options string) error {
	_, err := db.SQL.ExecContext(ctx, `UPDATE login_requests SET options = $1 WHERE id = $2`, options, id)
	return err
}

// DeleteRequest forgets a request.
func (db *DB) DeleteRequest(ctx context.Context, id string) error {
	_, err := db.SQL.ExecContext(ctx, `DELETE FROM login_requests WHERE id = $1`, id)
	return err
}

// DeleteExpiredRequests removes requests and authorize tokens that expired before now.
func (db *DB) DeleteExpiredRequests(ctx context.Context, now time.Time) error {
	if _, err := db.SQL.ExecContext(ctx, `DELETE FROM login_requests WHERE expires_at <= $1`, now.UnixMilli()); err != nil {
		return err
	}
	_, err := db.SQL.ExecContext(ctx, `DELETE FROM authorize_tokens WHERE expires_at <= $1`, now.UnixMilli())
	return err
}

// CreateAuthorizeToken stores a new one-use token for customerID, valid until expires, and
// returns it; only its hash is kept.
func (db *DB) CreateAuthorizeToken(ctx context.Context, customerID string, expires time.Time) (string, error) {
	token := passbook.NewID()
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO authorize_tokens (hash, customer_id, expires_at) VALUES ($1, $2, $3)`,
		hashSecret(token), customerID, expires.UnixMilli())
	if err != nil {
		return "", err
	}
	return token, nil
}

// UseAuthorizeToken spends token for customerID at now. It fails with passbook.ErrNotFound when
// the token is unknown or another customer's, passbook.ErrExpired when it has expired and
// passbook.ErrConflict when it was already used.
func (db *DB) UseAuthorizeToken(ctx context.Context, customerID, token string, now time.Time) error {
	res, err := db.SQL.ExecContext(ctx, `UPDATE authorize_tokens SET used = true
		WHERE hash = $1 AND customer_id = $2 AND NOT used AND expires_at > $3`, hashSecret(token), customerID, now.UnixMilli())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var used bool
	err = db.SQL.QueryRowContext(ctx, `SELECT used FROM authorize_tokens WHERE hash = $1 AND customer_id = $2`, hashSecret(token), customerID).Scan(&used)
	switch {
	case err == nil && used:
		return fmt.Errorf("authorize token already used: %w", passbook.ErrConflict)
	case err == nil:
		return fmt.Errorf("authorize token: %w", passbook.ErrExpired)
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("authorize token: %w", passbook.ErrNotFound)
	}
	return err
}
