package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
)

func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// CreateCustomer stores a new customer with fresh keys and returns them; only their hashes are kept.
func (db *DB) CreateCustomer(ctx context.Context, c *passbook.Customer) (passbook.CustomerKeys, error) {
	if c.Id == "" {
		c.Id = passbook.NewID()
	}
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return passbook.CustomerKeys{}, err
	}
	keys := passbook.CustomerKeys{APIKey: newSecret(), Secret: newSecret()}
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO customers (id, name, api_key_hash, secret_hash, settings, is_default)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.Id, c.Name, hashSecret(keys.APIKey), hashSecret(keys.Secret), string(settings), c.Default)
	if err != nil {
		return passbook.CustomerKeys{}, err
	}
	return keys, nil
}

// EnsureDefaultCustomer returns the default customer, creating it on first start. keys is set
// only when it was created now: the caller prints them once; they cannot be read back later.
// Replicas starting together create it once: the unique index on is_default refuses a second,
// and the loser reads the winner's.
func (db *DB) EnsureDefaultCustomer(ctx context.Context) (c *passbook.Customer, keys *passbook.CustomerKeys, err error) {
	const query = `SELECT id, name, settings::text, is_default FROM customers WHERE is_default`
	c, err = db.scanCustomer(db.SQL.QueryRowContext(ctx, query))
	if err == nil {
		return c, nil, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	c = &passbook.Customer{Name: "Demo lender", Default: true}
	k, err := db.CreateCustomer(ctx, c)
	if isUniqueViolation(err) {
		c, err = db.scanCustomer(db.SQL.QueryRowContext(ctx, query))
		return c, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	return c, &k, nil
}

// Customer returns the customer with the given id; passbook.ErrNotFound when there is none (also
// for a disabled customer).
func (db *DB) Customer(ctx context.Context, id string) (*passbook.Customer, error) {
	c, err := db.scanCustomer(db.SQL.QueryRowContext(ctx, `SELECT id, name, settings::text, is_default FROM customers WHERE id = $1 AND NOT disabled`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("customer %s: %w", id, passbook.ErrNotFound)
	}
	return c, err
}

// UpdateCustomerSettings replaces a customer's settings; passbook.ErrNotFound for an unknown id.
func (db *DB) UpdateCustomerSettings(ctx context.Context, id string, s passbook.CustomerSettings) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	res, err := db.SQL.ExecContext(ctx, `UPDATE customers SET settings = $1 WHERE id = $2`, string(b), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("customer %s: %w", id, passbook.ErrNotFound)
	}
	return nil
}

// CheckAPIKey reports whether key is customer id's API key, comparing hashes in constant time.
func (db *DB) CheckAPIKey(ctx context.Context, id, key string) (bool, error) {
	return db.checkHash(ctx, `SELECT api_key_hash FROM customers WHERE id = $1 AND NOT disabled`, id, key)
}

// CheckSecret reports whether secret is customer id's secret (the flinks-auth-key).
func (db *DB) CheckSecret(ctx context.Context, id, secret string) (bool, error) {
	return db.checkHash(ctx, `SELECT secret_hash FROM customers WHERE id = $1 AND NOT disabled`, id, secret)
}

func (db *DB) checkHash(ctx context.Context, query, id, secret string) (bool, error) {
	var stored []byte
	err := db.SQL.QueryRowContext(ctx, query, id).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		// Compare anyway so an unknown id costs the same as a wrong key.
		subtle.ConstantTimeCompare(hashSecret(secret), make([]byte, sha256.Size))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(hashSecret(secret), stored) == 1, nil
}

func (db *DB) scanCustomer(row *sql.Row) (*passbook.Customer, error) {
	var c passbook.Customer
	var settings string
	if err := row.Scan(&c.Id, &c.Name, &settings, &c.Default); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, err
	}
	return &c, nil
}

// ListCustomers returns every customer, disabled ones included, oldest first.
func (db *DB) ListCustomers(ctx context.Context) ([]passbook.CustomerRow, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, name, settings::text, is_default, disabled, created_at FROM customers ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []passbook.CustomerRow
	for rows.Next() {
		var c passbook.CustomerRow
		var settings string
		var created time.Time
		if err := rows.Scan(&c.Id, &c.Name, &settings, &c.Default, &c.Disabled, &created); err != nil {
			return nil, err
		}
		c.CreatedAt = created.UTC().Format("2006-01-02T15:04:05.000Z")
		if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RotateCustomerKeys gives the customer new keys and returns them (once); the old keys and the
// access tokens made with them stop working at once.
func (db *DB) RotateCustomerKeys(ctx context.Context, id string) (passbook.CustomerKeys, error) {
	keys := passbook.CustomerKeys{APIKey: newSecret(), Secret: newSecret()}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET api_key_hash = $1, secret_hash = $2 WHERE id = $3`,
			hashSecret(keys.APIKey), hashSecret(keys.Secret), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("customer %s: %w", id, passbook.ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM access_tokens WHERE customer_id = $1`, id)
		return err
	})
	if err != nil {
		return passbook.CustomerKeys{}, err
	}
	return keys, nil
}

// SetCustomerDisabled disables (or enables again) a customer: a disabled one keeps its data, but
// its keys, access tokens and widget sessions are refused, as for an unknown customer.
func (db *DB) SetCustomerDisabled(ctx context.Context, id string, disabled bool) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET disabled = $1 WHERE id = $2`, disabled, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("customer %s: %w", id, passbook.ErrNotFound)
		}
		if !disabled {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM access_tokens WHERE customer_id = $1`, id)
		return err
	})
}
