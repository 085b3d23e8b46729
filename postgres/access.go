package postgres

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"time"

	"github.com/passbookhq/passbook"
)

// CreateAccessToken stores a new access token of customerID valid until expires and returns it.
// Expired tokens of every customer are removed on the way.
func (db *DB) CreateAccessToken(ctx context.Context, customerID string, now, expires time.Time) (string, error) {
	token := passbook.NewID() + passbook.NewID()
	return token, db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM access_tokens WHERE expires_at <= $1`, now.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO access_tokens (hash, customer_id, expires_at) VALUES ($1, $2, $3)`,
			hashSecret(token), customerID, expires.UnixMilli())
		return err
	})
}

// CheckAccessToken reports whether token is a live access token of customerID at now.
func (db *DB) CheckAccessToken(ctx context.Context, customerID, token string, now time.Time) (bool, error) {
	var owner string
	err := db.SQL.QueryRowContext(ctx, `SELECT customer_id FROM access_tokens WHERE hash = $1 AND expires_at > $2`,
		hashSecret(token), now.UnixMilli()).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare([]byte(owner), []byte(customerID)) == 1, nil
}
