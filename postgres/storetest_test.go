package postgres_test

import (
	"context"
	"testing"

	"github.com/passbookhq/passbook/internal/storetest"
	"github.com/passbookhq/passbook/internal/testenv"
	"github.com/passbookhq/passbook/postgres"
)

// TestConformance runs the storage conformance suite on PostgreSQL, each test on a database of
// its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		ctx := context.Background()
		db, err := postgres.Open(ctx, testenv.PostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	})
}
