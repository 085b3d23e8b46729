package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/passbookhq/passbook/internal/storetest"
	"github.com/passbookhq/passbook/sqlite"
)

// TestConformance runs the storage conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "passbook.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
