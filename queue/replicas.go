package queue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"time"
)

// On PostgreSQL several replicas share the queue, and one may die in the middle of a job (killed,
// its machine lost). River's own rescuer makes such a job available again once it has been
// running for RescueAfter, which must exceed the longest job (an upload of many scanned pages
// takes minutes), so a lost replica would delay its jobs by that much. Replicas therefore say
// they are alive: each holds, on a connection of its own, a session advisory lock named after its
// River client id, which PostgreSQL releases the moment that connection ends (the process died,
// or its machine is cut off long enough for the server to drop it). Every replica looks, every
// so often, at the jobs that are running: a job whose last attempt belongs to a client whose
// lock is free is orphaned and is made available again at once.

// NewClientID returns a River client id for this process: unique per process, readable in the
// jobs' attempted_by (host name and process id, then random bytes).
func NewClientID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// livenessKey is the advisory lock key of a client id.
func livenessKey(clientID string) int64 {
	h := fnv.New64a()
	h.Write([]byte("passbook-replica:" + clientID))
	return int64(h.Sum64())
}

// Liveness is a replica's proof of life on PostgreSQL: the advisory lock of its client id, held
// until Release (or until the process dies).
type Liveness struct {
	conn *sql.Conn
	id   string
}

// HoldLiveness takes the advisory lock of clientID on a connection of its own. Call it before the
// River client starts, so that no job this replica runs is ever seen without it.
func HoldLiveness(ctx context.Context, db *sql.DB, clientID string) (*Liveness, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: liveness: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, livenessKey(clientID)).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("queue: liveness: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("queue: liveness: client id %s is already in use", clientID)
	}
	return &Liveness{conn: conn, id: clientID}, nil
}

// Release gives the lock up (at a clean stop, after the client has stopped).
func (l *Liveness) Release() error {
	if l == nil {
		return nil
	}
	l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, livenessKey(l.id))
	return l.conn.Close()
}

// alive reports whether the lock of clientID is held by some session.
func alive(ctx context.Context, db *sql.DB, clientID string) (bool, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var got bool
	key := livenessKey(clientID)
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		return false, err
	}
	if got {
		_, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, key)
		return false, err
	}
	return true, nil
}

// RescueOrphans makes available again, at once, the running jobs whose last attempt belongs to a
// client (other than self) that no live replica holds, and returns how many it rescued.
func RescueOrphans(ctx context.Context, db *sql.DB, self string) (int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT attempted_by[array_length(attempted_by, 1)] FROM river_job
		WHERE state = 'running' AND array_length(attempted_by, 1) > 0`)
	if err != nil {
		return 0, fmt.Errorf("queue: running jobs: %w", err)
	}
	var owners []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		if id != self {
			owners = append(owners, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var total int64
	for _, owner := range owners {
		ok, err := alive(ctx, db, owner)
		if err != nil {
			return total, fmt.Errorf("queue: liveness of %s: %w", owner, err)
		}
		if ok {
			continue
		}
		res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now()
			WHERE state = 'running' AND attempted_by[array_length(attempted_by, 1)] = $1`, owner)
		if err != nil {
			return total, fmt.Errorf("queue: rescue jobs of %s: %w", owner, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// WatchReplicas runs RescueOrphans every interval until ctx ends, logging what it rescued.
func WatchReplicas(ctx context.Context, db *sql.DB, self string, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := RescueOrphans(ctx, db, self)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("rescue jobs of stopped replicas", "err", err)
		case n > 0:
			log.Info("rescued jobs of a replica that stopped while running them", "jobs", n)
		}
	}
}
