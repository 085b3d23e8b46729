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

// PostgresDatabase creates an empty database of the test's own on the test PostgreSQL server
// and returns its URL; the database is dropped when the test ends. Tests that each take one can
// run in parallel.
func PostgresDatabase(t testing.TB) string {
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
	var b [6]byte
	rand.Read(b[:])
	name := "passbook_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", server)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
