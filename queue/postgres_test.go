package queue

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/testenv"
)

// postgresDB opens the PostgreSQL server named by PASSBOOK_TEST_POSTGRES (.ci/run starts one)
// in a fresh schema of its own, dropped when the test ends.
func postgresDB(t *testing.T) *sql.DB {
	t.Helper()
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("t_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if a, err := sql.Open("pgx", dsn); err == nil {
			a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			a.Close()
		}
	})
	return db
}

// The same client, workers and transactional enqueueing run on PostgreSQL: River's migrations
// apply, a job inserted in a transaction that rolls back never runs, one that commits runs once.
func TestQueueOnPostgres(t *testing.T) {
	db := postgresDB(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE uploads (id TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	w := &pingWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	c, err := New(ctx, db, workers, Options{Postgres: true, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	enqueue := func(commit bool) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO uploads (id) VALUES ($1)`, passbook.NewID()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.InsertTx(ctx, tx, pingArgs{N: 1}, &river.InsertOpts{Queue: QueueUploads}); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	enqueue(false)
	enqueue(true)
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for w.done.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // time for a wrongly enqueued second job to run too
	if n := w.done.Load(); n != 1 {
		t.Fatalf("%d jobs ran, want 1 (the rolled-back one must not)", n)
	}
	var rows int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM uploads`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("uploads: %d %v", rows, err)
	}
	// Migrating again is a no-op.
	if err := Migrate(ctx, db, true); err != nil {
		t.Fatal(err)
	}
}
