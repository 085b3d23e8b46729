package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/passbookhq/passbook"
)

// --- staff users, sessions and invitations -------------------------------------------------

const staffColumns = `id, customer_id, email, name, role, password_hash, disabled, created_at`

func scanStaff(row interface{ Scan(...any) error }) (*passbook.StaffUser, error) {
	var u passbook.StaffUser
	if err := row.Scan(&u.Id, &u.CustomerID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("staff user: %w", passbook.ErrNotFound)
		}
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// CreateStaffUser stores u (giving it an Id); an e-mail address already used is
// passbook.ErrConflict.
func (db *DB) CreateStaffUser(ctx context.Context, u *passbook.StaffUser) error {
	if u.Id == "" {
		u.Id = passbook.NewID()
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_users (id, customer_id, email, name, role, password_hash)
		VALUES ($1, $2, $3, $4, $5, $6)`, u.Id, u.CustomerID, u.Email, u.Name, u.Role, u.PasswordHash)
	if isUniqueViolation(err) {
		return fmt.Errorf("staff user %s: e-mail address already used: %w", u.Email, passbook.ErrConflict)
	}
	return err
}

// StaffUserByEmail returns the staff user signing in as email; passbook.ErrNotFound when there is none.
func (db *DB) StaffUserByEmail(ctx context.Context, email string) (*passbook.StaffUser, error) {
	return scanStaff(db.SQL.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM staff_users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
}

// StaffUsers lists a customer's staff users by name.
func (db *DB) StaffUsers(ctx context.Context, customerID string) ([]*passbook.StaffUser, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff_users WHERE customer_id = $1 ORDER BY name, email`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*passbook.StaffUser
	for rows.Next() {
		u, err := scanStaff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountStaffUsers returns how many staff users a customer has.
func (db *DB) CountStaffUsers(ctx context.Context, customerID string) (int, error) {
	var n int
	err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM staff_users WHERE customer_id = $1`, customerID).Scan(&n)
	return n, err
}

// SetStaffUserDisabled disables (ending every session) or enables a customer's staff user.
func (db *DB) SetStaffUserDisabled(ctx context.Context, customerID, userID string, disabled bool) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_users SET disabled = $1 WHERE id = $2 AND customer_id = $3`, disabled, userID, customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("staff user %s: %w", userID, passbook.ErrNotFound)
		}
		if disabled {
			_, err = tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = $1`, userID)
		}
		return err
	})
}

// CreateStaffSession starts a session for userID until expires and returns its token; only the
// token's hash is stored.
func (db *DB) CreateStaffSession(ctx context.Context, userID string, now, expires time.Time) (string, error) {
	token := newSecret()
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		hashSecret(token), userID, now.UnixMilli(), expires.UnixMilli())
	if err != nil {
		return "", err
	}
	return token, nil
}

// StaffSession returns the enabled user of an unexpired session token;
// passbook.ErrNotFound otherwise.
func (db *DB) StaffSession(ctx context.Context, token string, now time.Time) (*passbook.StaffUser, error) {
	u, err := scanStaff(db.SQL.QueryRowContext(ctx, `SELECT u.id, u.customer_id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at
		FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, hashSecret(token), now.UnixMilli()))
	if err != nil {
		return nil, fmt.Errorf("staff session: %w", err)
	}
	return u, nil
}

// DeleteStaffSession ends a session (sign-out).
func (db *DB) DeleteStaffSession(ctx context.Context, token string) error {
	_, err := db.SQL.ExecContext(ctx, `DELETE FROM staff_sessions WHERE hash = $1`, hashSecret(token))
	return err
}

// DeleteExpiredStaffSessions removes sessions and invitations that ended before now.
func (db *DB) DeleteExpiredStaffSessions(ctx context.Context, now time.Time) error {
	if _, err := db.SQL.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at <= $1`, now.UnixMilli()); err != nil {
		return err
	}
	_, err := db.SQL.ExecContext(ctx, `DELETE FROM staff_invites WHERE expires_at <= $1`, now.UnixMilli())
	return err
}

// CreateStaffInvite stores a one-time link token that creates a staff user of customerID with
// role until expires, and returns the token.
func (db *DB) CreateStaffInvite(ctx context.Context, customerID, role, createdBy string, expires time.Time) (string, error) {
	token := newSecret()
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_invites (hash, customer_id, role, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hashSecret(token), customerID, role, createdBy, expires.UnixMilli())
	if err != nil {
		return "", err
	}
	return token, nil
}

// StaffInvite returns the customer and role of an unused, unexpired invitation;
// passbook.ErrNotFound otherwise.
func (db *DB) StaffInvite(ctx context.Context, token string, now time.Time) (customerID, role string, err error) {
	err = db.SQL.QueryRowContext(ctx, `SELECT customer_id, role FROM staff_invites WHERE hash = $1 AND NOT used AND expires_at > $2`,
		hashSecret(token), now.UnixMilli()).Scan(&customerID, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("staff invitation: %w", passbook.ErrNotFound)
	}
	return customerID, role, err
}

// AcceptStaffInvite spends the invitation token and creates u with its customer and role, in one
// transaction: a link creates one user. A spent or expired link is passbook.ErrNotFound, an
// e-mail address already used passbook.ErrConflict.
func (db *DB) AcceptStaffInvite(ctx context.Context, token string, u *passbook.StaffUser, now time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE staff_invites SET used = true WHERE hash = $1 AND NOT used AND expires_at > $2
			RETURNING customer_id, role`, hashSecret(token), now.UnixMilli()).Scan(&u.CustomerID, &u.Role)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("staff invitation: %w", passbook.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if u.Id == "" {
			u.Id = passbook.NewID()
		}
		u.Email = strings.ToLower(strings.TrimSpace(u.Email))
		_, err = tx.ExecContext(ctx, `INSERT INTO staff_users (id, customer_id, email, name, role, password_hash)
			VALUES ($1, $2, $3, $4, $5, $6)`, u.Id, u.CustomerID, u.Email, u.Name, u.Role, u.PasswordHash)
		if isUniqueViolation(err) {
			return fmt.Errorf("staff user %s: e-mail address already used: %w", u.Email, passbook.ErrConflict)
		}
		return err
	})
}

// --- decisions and audit ----------------------------------------------------------------------

// AddDecisionTx records d (and its audit entry) in tx and gives it an Id.
func (db *DB) AddDecisionTx(ctx context.Context, tx *sql.Tx, d *passbook.Decision) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO decisions (customer_id, login_id, document, decision, note, user_id, user_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, d.CustomerID, d.LoginID, d.Document, d.Decision, d.Note, d.UserID, d.UserName,
		d.CreatedAt.UnixMilli()).Scan(&d.Id)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (customer_id, user_id, user_name, action, login_id, document, detail, created_at)
		VALUES ($1, $2, $3, 'decision', $4, $5, $6, $7)`, d.CustomerID, d.UserID, d.UserName, d.LoginID, d.Document,
		d.Decision+": "+d.Note, d.CreatedAt.UnixMilli())
	return err
}

// Decisions returns a login's decisions, newest first.
func (db *DB) Decisions(ctx context.Context, customerID, loginID string) ([]passbook.Decision, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, customer_id, login_id, document, decision, note, user_id, user_name, created_at
		FROM decisions WHERE customer_id = $1 AND login_id = $2 ORDER BY id DESC`, customerID, loginID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.Decision
	for rows.Next() {
		var d passbook.Decision
		var at int64
		if err := rows.Scan(&d.Id, &d.CustomerID, &d.LoginID, &d.Document, &d.Decision, &d.Note, &d.UserID, &d.UserName, &at); err != nil {
			return nil, err
		}
		d.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// Audit appends e to the audit log.
func (db *DB) Audit(ctx context.Context, e passbook.AuditEntry) error {
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO audit_log (customer_id, user_id, user_name, action, login_id, document, detail, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.CustomerID, e.UserID, e.UserName, e.Action, e.LoginID, e.Document, e.Detail, e.CreatedAt.UnixMilli())
	return err
}

// AuditLog returns a customer's audit entries, newest first, for one login when loginID is set;
// at most limit entries before the entry id before (0: from the newest).
func (db *DB) AuditLog(ctx context.Context, customerID, loginID string, before int64, limit int) ([]passbook.AuditEntry, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	q := `SELECT id, customer_id, user_id, user_name, action, login_id, document, detail, created_at FROM audit_log WHERE customer_id = ` + arg(customerID)
	if loginID != "" {
		q += ` AND login_id = ` + arg(loginID)
	}
	if before > 0 {
		q += ` AND id < ` + arg(before)
	}
	q += ` ORDER BY id DESC LIMIT ` + arg(limit)
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.AuditEntry
	for rows.Next() {
		var e passbook.AuditEntry
		var at int64
		if err := rows.Scan(&e.Id, &e.CustomerID, &e.UserID, &e.UserName, &e.Action, &e.LoginID, &e.Document, &e.Detail, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetLoginTag records the tag a login was made with (Connect's and Authorize's Tag), which the
// Dashboard shows and searches.
func (db *DB) SetLoginTag(ctx context.Context, loginID, tag string) error {
	_, err := db.SQL.ExecContext(ctx, `UPDATE login_summaries SET tag = $1,
		search = lower(login_id || ' ' || holder || ' ' || $2 || ' ' || numbers) WHERE login_id = $3`, tag, tag, loginID)
	return err
}

// --- the logins list --------------------------------------------------------------------------

var loginSorts = map[string]string{
	"":                   "created_at DESC, login_id",
	passbook.SortCreated: "created_at DESC, login_id",
	passbook.SortOldest:  "created_at, login_id",
	passbook.SortScore:   "score DESC, created_at DESC, login_id",
	passbook.SortBalance: "balance DESC NULLS LAST, created_at DESC, login_id",
	passbook.SortHolder:  "holder = '', lower(holder), created_at DESC, login_id",
}

// LoginSummaries returns one page of customerID's logins matching f at now, in one query, and
// whether more follow.
func (db *DB) LoginSummaries(ctx context.Context, customerID string, f passbook.LoginFilter, now time.Time) ([]passbook.LoginSummary, bool, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	order, ok := loginSorts[f.Sort]
	if !ok {
		return nil, false, fmt.Errorf("postgres: unknown sort %q of the logins list", f.Sort)
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	nowMS := arg(now.UnixMilli())
	effectiveStatus := `CASE WHEN status = 'processing' AND ready_at > 0 AND ready_at <= ` + nowMS + ` THEN 'ready' ELSE status END`
	q := `SELECT login_id, created_at, type, institution, ` + effectiveStatus + `, tag, holder, accounts, numbers, currency, balance,
		period_start, period_end, documents, verdict, score, decision FROM login_summaries WHERE customer_id = ` + arg(customerID)
	// Each word of the search must appear in the search text: the trigram index finds them.
	for _, w := range strings.Fields(strings.ToLower(f.Query)) {
		q += ` AND search LIKE ` + arg("%"+likeEscaper.Replace(w)+"%")
	}
	if f.Verdict != "" {
		rank := map[passbook.Verdict]int{passbook.Pass: 1, passbook.Review: 2, passbook.Fail: 3}[f.Verdict]
		q += ` AND verdict_rank = ` + arg(rank)
	}
	if f.Type != "" {
		q += ` AND type = ` + arg(f.Type)
	}
	if f.Status != "" {
		q += ` AND ` + effectiveStatus + ` = ` + arg(f.Status)
	}
	switch f.Decision {
	case "":
	case "none":
		q += ` AND decision = ''`
	default:
		q += ` AND decision = ` + arg(f.Decision)
	}
	if !f.From.IsZero() {
		q += ` AND created_at >= ` + arg(f.From.UTC())
	}
	if !f.To.IsZero() {
		q += ` AND created_at < ` + arg(f.To.UTC())
	}
	q += ` ORDER BY ` + order + ` LIMIT ` + arg(f.Limit+1) + ` OFFSET ` + arg(max(f.Offset, 0))
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	out := make([]passbook.LoginSummary, 0, f.Limit)
	for rows.Next() {
		var s passbook.LoginSummary
		var verdict string
		var balance sql.NullInt64
		if err := rows.Scan(&s.LoginID, &s.CreatedAt, &s.Type, &s.Institution, &s.Status, &s.Tag, &s.Holder, &s.Accounts, &s.Numbers,
			&s.Currency, &balance, &s.PeriodStart, &s.PeriodEnd, &s.Documents, &verdict, &s.Score, &s.Decision); err != nil {
			return nil, false, err
		}
		s.CreatedAt = s.CreatedAt.UTC()
		s.Verdict = passbook.Verdict(verdict)
		if balance.Valid {
			s.Balance = passbook.M(passbook.Money(balance.Int64))
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// isUniqueViolation reports whether err is PostgreSQL's unique_violation (23505).
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}
