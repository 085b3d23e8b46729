// Package testenv gives tests the servers of the scale path that .ci/run starts: a PostgreSQL
// (PASSBOOK_TEST_POSTGRES) and an S3-compatible store (PASSBOOK_TEST_S3, with the AWS_*
// credentials). Without the variable a test is skipped, except under CI, where it must run.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// need returns the variable's value, skipping t when it is unset outside CI.
func need(t testing.TB, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set under CI: .ci/run starts %s and sets it", name, what)
		}
		t.Skipf("set %s to run the tests that need %s", name, what)
	}
	return v
}

// Postgres returns the URL of the test PostgreSQL server.
func Postgres(t testing.TB) string {
	t.Helper()
	return need(t, "PASSBOOK_TEST_POSTGRES", "a PostgreSQL server")
}

// S3 returns an s3:// URL of the test bucket under a key prefix of the test's own, so that tests
// never see each other's objects.
func S3(t testing.TB) string {
	t.Helper()
	where := need(t, "PASSBOOK_TEST_S3", "an S3-compatible server (with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	base, query, _ := strings.Cut(where, "?")
	return fmt.Sprintf("%s/t%d?%s", strings.TrimSuffix(base, "/"), time.Now().UnixNano(), query)
}

// PostgresURL returns the URL of the test PostgreSQL server with a fresh, empty schema of the
// test's own first in its search_path (public, where the server's extensions live, second); the
// schema is dropped when the test ends. Tests that each take one can run in parallel.
func PostgresURL(t testing.TB) string {
	t.Helper()
	server := Postgres(t)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("PASSBOOK_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	// The trigram extension is the database's: made once, in public, before any schema needs it
	// (two migrations creating it at once would race).
	if _, err := admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"); err != nil {
		var again error
		if _, again = admin.ExecContext(ctx, "SELECT 'gin_trgm_ops'::regclass"); again != nil {
			if _, again = admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"); again != nil {
				t.Fatalf("pg_trgm: %v", err)
			}
		}
	}
	var b [6]byte
	rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			t.Logf("drop test schema %s: %v", name, err)
		}
	})
	q := u.Query()
	q.Set("search_path", name+",public")
	u.RawQuery = q.Encode()
	return u.String()
}
