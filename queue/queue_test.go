package queue

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook/sqlite"
)

type pingArgs struct{ N int }

func (pingArgs) Kind() string { return "test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	done atomic.Int64
}

func (w *pingWorker) Work(ctx context.Context, job *river.Job[pingArgs]) error {
	w.done.Add(1)
	return nil
}

// A job left running by a killed process is run again at the next start, at once.
func TestRecoverOrphans(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := &pingWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	c, err := New(ctx, db.Write, workers, Options{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Insert(ctx, pingArgs{N: 1}, &river.InsertOpts{Queue: QueueUploads})
	if err != nil {
		t.Fatal(err)
	}
	// What a crash mid-job leaves: the job marked running, no process working it.
	if _, err := db.Write.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1 WHERE id = ?`, res.Job.ID); err != nil {
		t.Fatal(err)
	}
	n, err := RecoverOrphans(ctx, db.Write)
	if err != nil || n != 1 {
		t.Fatalf("recovered %d, %v", n, err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for w.done.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the recovered job never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, _ := RecoverOrphans(ctx, db.Write); n > 1 {
		t.Fatalf("recovered again: %d", n)
	}
}
