package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/passbookhq/passbook/postgres"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/sqlite"
)

// runMigrate applies the database's migrations (Passbook's schema and River's job tables) and
// exits: on PostgreSQL, before starting or upgrading replicas that run with --migrate=false.
//
//	passbook migrate --database postgres://…    (or PASSBOOK_DATABASE)
//	passbook migrate --data DIR                 the SQLite file DIR/passbook.db
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("passbook migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", envOr("PASSBOOK_DATA", "./passbook-data"), "the server's data `directory` (for its SQLite file)")
	database := fs.String("database", envOr("PASSBOOK_DATABASE", ""), "postgres://… `URL` or SQLite file (default: DIR/passbook.db)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: passbook migrate [--database URL | --data DIR]\n\nApplies the database's migrations, then exits.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if postgres.IsURL(*database) {
		db, err := postgres.Open(ctx, *database)
		if err != nil {
			return err
		}
		defer db.Close()
		applied, err := migratePostgres(ctx, db)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(stdout, "The PostgreSQL database is up to date.")
		} else {
			fmt.Fprintf(stdout, "Applied %s; the PostgreSQL database is up to date.\n", strings.Join(applied, ", "))
		}
		return nil
	}
	path := *database
	if path == "" {
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
		path = filepath.Join(*dataDir, "passbook.db")
	}
	db, err := sqlite.Open(ctx, path) // applies the schema's migrations
	if err != nil {
		return err
	}
	defer db.Close()
	if err := queue.Migrate(ctx, db.Write, false); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The SQLite database %s is up to date.\n", path)
	return nil
}

// migratePostgres applies Passbook's migrations, then River's, under one lock so that replicas
// and `passbook migrate` running at the same time apply each once. It returns the names of
// Passbook's migrations it applied.
func migratePostgres(ctx context.Context, db *postgres.DB) ([]string, error) {
	applied, err := db.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	err = db.Exclusive(ctx, func(ctx context.Context) error { return queue.Migrate(ctx, db.SQL, true) })
	return applied, err
}
