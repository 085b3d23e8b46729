package queue

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
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
	db, err := sql.Open("pgx", testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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

// A job running on a replica that died is made available again as soon as another replica looks,
// and runs there; a job of a replica that is alive is left alone.
func TestRescueOrphansOfDeadReplica(t *testing.T) {
	db := postgresDB(t)
	ctx := context.Background()
	w := &pingWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	self := NewClientID()
	c, err := New(ctx, db, workers, Options{Postgres: true, ID: self, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Insert(ctx, pingArgs{N: 1}, &river.InsertOpts{Queue: QueueUploads})
	if err != nil {
		t.Fatal(err)
	}
	// Replica A took the job and is working on it.
	other := NewClientID()
	a, err := HoldLiveness(ctx, db, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := HoldLiveness(ctx, db, other); err == nil {
		t.Fatal("two replicas held the same client id")
	}
	if _, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now(),
		attempted_by = ARRAY[$1] WHERE id = $2`, other, res.Job.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := RescueOrphans(ctx, db, self); err != nil || n != 0 {
		t.Fatalf("rescued %d jobs of a live replica: %v", n, err)
	}
	// A dies: its connection ends, and with it the lock.
	if err := a.conn.Raw(func(any) error { return sqldriver.ErrBadConn }); err != nil && !errors.Is(err, sqldriver.ErrBadConn) {
		t.Fatal(err)
	}
	a.conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	var n int64
	for n == 0 && time.Now().Before(deadline) {
		if n, err = RescueOrphans(ctx, db, self); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n != 1 {
		t.Fatalf("rescued %d jobs of the dead replica, want 1", n)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(ctx)
	for w.done.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the rescued job never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
