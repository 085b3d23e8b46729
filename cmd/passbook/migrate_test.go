package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passbookhq/passbook/internal/testenv"
	"github.com/passbookhq/passbook/postgres"
)

// migrate runs `passbook migrate` with args and returns what it printed.
func migrate(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"migrate"}, args...), &out, &errb); err != nil {
		t.Fatalf("migrate %v: %v %s", args, err, errb.String())
	}
	return out.String()
}

// `passbook migrate` makes a SQLite file with Passbook's tables and River's.
func TestMigrateSQLite(t *testing.T) {
	dir := t.TempDir()
	if out := migrate(t, "--data", dir); !strings.Contains(out, "is up to date") {
		t.Fatalf("migrate: %q", out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "passbook.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"customers", "login_summaries", "river_job"} {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d %v", table, n, err)
		}
	}
}

// `passbook migrate` on PostgreSQL applies Passbook's migrations and River's once; run again,
// it has nothing to do.
func TestMigratePostgres(t *testing.T) {
	t.Parallel()
	url := testenv.PostgresURL(t)
	if out := migrate(t, "--database", url); !strings.Contains(out, "Applied 0001_schema") {
		t.Fatalf("first migrate: %q", out)
	}
	if out := migrate(t, "--database", url); out != "The PostgreSQL database is up to date.\n" {
		t.Fatalf("second migrate: %q", out)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"customers", "login_summaries", "river_job", "river_leader"} {
		var ok bool
		if err := db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s: %v %v", table, ok, err)
		}
	}
}

// --database names the SQLite file when it is not a PostgreSQL URL.
func TestServeSQLiteDatabaseFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elsewhere.db")
	startServer(t, "--database", path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where --database says: %v", err)
	}
}

// serve --migrate=false refuses a PostgreSQL database `passbook migrate` has not brought up to
// date, and runs on one it has.
func TestServeWithoutMigrating(t *testing.T) {
	t.Parallel()
	url := testenv.PostgresURL(t)
	cfg, err := parseConfig("serve", []string{"--database", url, "--migrate=false", "--data", t.TempDir()}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newServer(context.Background(), cfg, io.Discard, cfg.logger(io.Discard)); !errors.Is(err, postgres.ErrNotMigrated) {
		t.Fatalf("serve on an empty database without migrating: %v", err)
	}
	migrate(t, "--database", url)
	base, out := startServer(t, "--database", url, "--migrate=false")
	keys := keysFrom(t, out.String())
	var v map[string]any
	if st := postJSON(t, base+"/v3/"+keys.CustomerID+"/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": keys.AuthKey}, "", &v); st != 200 {
		t.Fatalf("GenerateAuthorizeToken on PostgreSQL: %d %v", st, v)
	}
}
