package postgres

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/passbookhq/passbook/internal/testenv"
)

// open returns a database of the test's own on the test server, not migrated.
func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Migrations apply on an empty database, once, even when several processes start at the same
// time; a database behind the binary is reported as such.
func TestMigrate(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	if err := db.CheckMigrated(ctx); !errors.Is(err, ErrNotMigrated) {
		t.Fatalf("CheckMigrated on an empty database: %v", err)
	}
	all, err := names()
	if err != nil || len(all) == 0 {
		t.Fatalf("embedded migrations: %v %v", all, err)
	}
	// Four replicas starting together: each migration is applied by exactly one of them.
	var mu sync.Mutex
	var applied []string
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := db.Migrate(ctx)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			applied = append(applied, got...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(applied)
	if !slices.Equal(applied, all) {
		t.Fatalf("applied %v, want each of %v once", applied, all)
	}
	if err := db.CheckMigrated(ctx); err != nil {
		t.Fatal(err)
	}
	// The trigram index serves the Dashboard's substring search.
	var ext string
	if err := db.SQL.QueryRowContext(ctx, `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`).Scan(&ext); err != nil {
		t.Fatalf("pg_trgm: %v", err)
	}
}
