package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/sqlite"
)

func openTest(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestDefaultCustomerKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c, keys, err := db.EnsureDefaultCustomer(ctx)
	if err != nil || keys == nil {
		t.Fatalf("first start: %v %v", keys, err)
	}
	if ok, _ := db.CheckAPIKey(ctx, c.Id, keys.APIKey); !ok {
		t.Fatal("API key not accepted")
	}
	if ok, _ := db.CheckAPIKey(ctx, c.Id, keys.Secret); ok {
		t.Fatal("the secret was accepted as API key")
	}
	if ok, _ := db.CheckSecret(ctx, c.Id, keys.Secret); !ok {
		t.Fatal("secret not accepted")
	}
	if ok, _ := db.CheckSecret(ctx, "nobody", keys.Secret); ok {
		t.Fatal("unknown customer accepted")
	}
	db.Close()

	// A restart finds the same customer, applies no migration twice and shows no keys again.
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c2, keys2, err := db.EnsureDefaultCustomer(ctx)
	if err != nil || keys2 != nil || c2.Id != c.Id {
		t.Fatalf("restart: %v %v %v", c2, keys2, err)
	}
}

func TestCustomerSettings(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c := &passbook.Customer{Name: "Lender"}
	if _, err := db.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	s := passbook.CustomerSettings{AllowedOrigins: []string{"https://lender.example"}, UploadMode: "primary", UploadQuota: 3}
	if err := db.UpdateCustomerSettings(ctx, c.Id, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.Customer(ctx, c.Id)
	if err != nil || got.Settings.UploadMode != "primary" || got.Settings.AllowedOrigins[0] != "https://lender.example" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := db.Customer(ctx, "missing"); !errors.Is(err, passbook.ErrNotFound) {
		t.Fatalf("missing customer: %v", err)
	}
}
