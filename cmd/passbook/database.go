package main

import (
	"context"
	"database/sql"

	"github.com/passbookhq/passbook/postgres"
	"github.com/passbookhq/passbook/sqlite"
)

// database is the server's storage, chosen by --database: a SQLite file (one server) or
// PostgreSQL (any number of replicas), with the handles the rest of the wiring needs.
type database struct {
	store
	// write is where River keeps its jobs, in the storage's own transactions: SQLite's single
	// writer, or PostgreSQL's pool.
	write *sql.DB
	// read answers /readyz, /healthz and the metrics' queries.
	read *sql.DB
	// pg is set on PostgreSQL.
	pg *postgres.DB
}

var (
	_ store = (*sqlite.DB)(nil)
	_ store = (*postgres.DB)(nil)
)

// openDatabase opens the storage cfg names. On PostgreSQL it applies the migrations (Passbook's
// and River's, under the migration lock) when cfg.Migrate is set, and otherwise refuses a
// database `passbook migrate` has not brought up to date. A SQLite file is always migrated at
// open: the one server that owns it is the only one to do it.
func openDatabase(ctx context.Context, cfg *config) (*database, error) {
	if postgres.IsURL(cfg.Database) {
		pg, err := postgres.Open(ctx, cfg.Database)
		if err != nil {
			return nil, err
		}
		if cfg.Migrate {
			_, err = migratePostgres(ctx, pg)
		} else {
			err = pg.CheckMigrated(ctx)
		}
		if err != nil {
			pg.Close()
			return nil, err
		}
		return &database{store: pg, write: pg.SQL, read: pg.SQL, pg: pg}, nil
	}
	db, err := sqlite.Open(ctx, cfg.sqlitePath())
	if err != nil {
		return nil, err
	}
	return &database{store: db, write: db.Write, read: db.Read}, nil
}

// postgres reports whether the storage is PostgreSQL.
func (d *database) postgres() bool { return d.pg != nil }

// exclusive runs fn so that of several replicas doing the same at start (registering the
// --webhook-url endpoint, making the first admin's link) one runs at a time: under PostgreSQL's
// migration lock, or simply on SQLite's one server.
func (d *database) exclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	if d.pg == nil {
		return fn(ctx)
	}
	return d.pg.Exclusive(ctx, fn)
}
