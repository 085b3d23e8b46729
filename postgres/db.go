// Package postgres stores Passbook's state in PostgreSQL, the database of the scale path: any
// number of `passbook serve` replicas share one database (and River's job tables in it). It
// implements the same storage interfaces as package sqlite and passes the same conformance suite.
// The schema migrations are embedded in the binary; they are applied by Migrate (`passbook
// migrate`, or serve at start unless told not to), under an advisory lock so that replicas
// starting together apply each migration once.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open PostgreSQL database. JSON columns are read as ::text, the bytes the code decodes.
type DB struct {
	// SQL is the connection pool, for River (queue.New with Postgres) and the metrics' queries.
	SQL *sql.DB
}

// IsURL reports whether s names a PostgreSQL database (postgres:// or postgresql://).
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Open connects to the database at url (postgres://user:password@host:port/dbname?sslmode=…, or
// any connection string pgx accepts) and checks that it answers. It applies no migration: see
// Migrate and Pending.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &DB{SQL: db}, nil
}

// Close closes the pool.
func (db *DB) Close() error { return db.SQL.Close() }

// Tx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// migrationLock is the key of the session advisory lock that serialises migrations (an arbitrary
// constant: "passbook" in ASCII).
const migrationLock = 0x70617373626f6f6b

// Exclusive runs fn while holding the migration lock, so that of several processes doing the
// same (replicas starting together, or `passbook migrate` beside them) one runs at a time. It is
// how River's migrations are applied beside the schema's.
func (db *DB) Exclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	return fn(ctx)
}

// names returns the embedded migrations' names, in order.
func names() ([]string, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(path.Base(f), ".sql"))
	}
	sort.Strings(out)
	return out, nil
}

// Migrate applies, in name order, every embedded migration not yet recorded in
// schema_migrations, each in one transaction with its record. It returns the names it applied.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	err = db.Exclusive(ctx, func(ctx context.Context) error {
		if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("postgres: create schema_migrations: %w", err)
		}
		pending, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		for _, name := range pending {
			body, err := migrations.ReadFile("migrations/" + name + ".sql")
			if err != nil {
				return err
			}
			err = db.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, string(body)); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
				return err
			})
			if err != nil {
				return fmt.Errorf("postgres: migration %s: %w", name, err)
			}
			applied = append(applied, name)
		}
		return nil
	})
	return applied, err
}

// Pending returns the embedded migrations not yet applied to the database, in order: all of
// them on an empty database.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	all, err := names()
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := db.SQL.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !exists {
		return all, nil
	}
	done := map[string]bool{}
	rows, err := db.SQL.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		done[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range all {
		if !done[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

// ErrNotMigrated is returned by CheckMigrated for a database whose schema is behind the binary's.
var ErrNotMigrated = errors.New("postgres: the database schema is not up to date (run `passbook migrate`)")

// CheckMigrated returns ErrNotMigrated, naming what is missing, unless every embedded migration
// has been applied: what a server told not to migrate checks at start.
func (db *DB) CheckMigrated(ctx context.Context) error {
	pending, err := db.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w: missing %s", ErrNotMigrated, strings.Join(pending, ", "))
	}
	return nil
}
