// Package queue runs Passbook's durable background jobs on River (github.com/riverqueue/river).
// By default the jobs live in the same SQLite file as the rest of the state (driver riversqlite),
// so a job is enqueued in the same transaction as the row it is about and survives a crash. The
// same client runs on PostgreSQL (Options.Postgres, River's database/sql driver over pgx), which
// is the scale path: several replicas sharing one queue.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Queue names.
const (
	QueueUploads  = "uploads"
	QueueWebhooks = "webhooks"
)

// Client is the River client on SQLite. Jobs are enqueued with InsertTx inside the write
// transaction of the rows they are about.
type Client = river.Client[*sql.Tx]

// Inserter enqueues jobs in a caller's transaction; *Client is one.
type Inserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Options tune the client; the zero value is a sensible default.
type Options struct {
	Logger *slog.Logger
	// UploadWorkers and WebhookWorkers are how many jobs of each queue run at once.
	UploadWorkers, WebhookWorkers int
	// PollInterval is how often idle workers look for new jobs (default 100ms).
	PollInterval time.Duration
	// Postgres says db is a PostgreSQL database (opened with the "pgx" database/sql driver)
	// rather than the SQLite write pool. Orphaned jobs are then left to River's rescuer, since
	// another replica may really be running them.
	Postgres bool
	// ID is the client's id, unique per process (NewClientID); River makes one when empty. On
	// PostgreSQL it names the replica's liveness lock (HoldLiveness).
	ID string
	// JobTimeout bounds one run of a job (default 10 minutes); RescueAfter is how long a job may
	// be running before River's rescuer makes it available again (default: JobTimeout + 1 hour).
	// Replicas that die are noticed sooner (WatchReplicas); RescueAfter is the last resort.
	JobTimeout, RescueAfter time.Duration
	// Migrated says River's migrations have been applied already (`passbook migrate`, or the
	// caller under its migration lock): New then does not apply them.
	Migrated bool
}

// driver returns River's driver for db.
func driver(db *sql.DB, postgres bool) riverdriver.Driver[*sql.Tx] {
	if postgres {
		return riverdatabasesql.New(db)
	}
	return riversqlite.New(db)
}

// Migrate applies River's own migrations to db (the write pool of the SQLite database, or a
// PostgreSQL database when postgres is set).
func Migrate(ctx context.Context, db *sql.DB, postgres bool) error {
	m, err := rivermigrate.New(driver(db, postgres), nil)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: river migrations: %w", err)
	}
	return nil
}

// RecoverOrphans makes jobs that were running when the process died available again at once.
// SQLite is owned by one process, so at start no job can really be running; River's own rescuer
// would wait an hour. (On PostgreSQL with several replicas, rely on the rescuer instead.)
func RecoverOrphans(ctx context.Context, db *sql.DB) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = datetime('now', 'subsec')
		WHERE state = 'running'`)
	if err != nil {
		return 0, fmt.Errorf("queue: recover running jobs: %w", err)
	}
	return res.RowsAffected()
}

// New applies River's migrations, recovers orphaned jobs (SQLite only) and returns a client (not
// started) with workers on db: the single-connection write pool of the SQLite database, or a
// PostgreSQL database with opts.Postgres.
func New(ctx context.Context, db *sql.DB, workers *river.Workers, opts Options) (*Client, error) {
	if !opts.Migrated {
		if err := Migrate(ctx, db, opts.Postgres); err != nil {
			return nil, err
		}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if !opts.Postgres {
		n, err := RecoverOrphans(ctx, db)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			log.Info("recovered jobs interrupted by the last stop", "jobs", n)
		}
	}
	poll := opts.PollInterval
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	timeout := opts.JobTimeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	c, err := river.NewClient(driver(db, opts.Postgres), &river.Config{
		ID:     opts.ID,
		Logger: log,
		Queues: map[string]river.QueueConfig{
			QueueUploads:  {MaxWorkers: max(1, opts.UploadWorkers)},
			QueueWebhooks: {MaxWorkers: max(1, opts.WebhookWorkers)},
		},
		Workers:              workers,
		FetchCooldown:        river.FetchCooldownMin,
		FetchPollInterval:    poll,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: opts.RescueAfter,
		MaxAttempts:          10,
	})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return c, nil
}
