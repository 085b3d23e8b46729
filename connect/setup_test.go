package connect_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/sqlite"
)

// env is a real Passbook for the widget's tests: SQLite in a temp dir, the sandbox institutions,
// the real login service, and the widget's handler, wired as `passbook serve` wires them.
type env struct {
	db       *sqlite.DB
	svc      *authorize.Service
	customer *passbook.Customer
	keys     *passbook.CustomerKeys
	widget   *connect.Handler
	mux      *http.ServeMux
}

// newEnv builds the env; cfg, when given, may adjust the widget's config before New.
func newEnv(t testing.TB, cfg ...func(*connect.Config)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "passbook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cust, keys, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	reg := institution.NewRegistry(sandbox.New(sandbox.Options{PendingDelay: 400 * time.Millisecond})...)
	svc, err := authorize.New(authorize.Config{DB: db, Connectors: reg, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	c := connect.Config{
		Authorizer:        svc,
		Customers:         db,
		DefaultCustomerID: cust.Id,
		RedeemToken:       svc.UseAuthorizeToken,
		LoginAccounts: func(ctx context.Context, customerID, loginID string) ([]passbook.Account, error) {
			if _, err := db.LoginRecord(ctx, customerID, loginID); err != nil {
				return nil, err
			}
			return db.Accounts(ctx, loginID)
		},
		TestUsers:  testUsers(),
		SessionKey: connect.DeriveKey(key),
		TagLogin:   db.SetLoginTag,
	}
	for _, f := range cfg {
		f(&c)
	}
	h, err := connect.New(c)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(api.Config{DB: db, Auth: svc, Log: slog.New(slog.DiscardHandler)}).Register(mux)
	h.Register(mux)
	return &env{db: db, svc: svc, customer: cust, keys: keys, widget: h, mux: mux}
}

// testUsers lists the sandbox's documented usernames for the demo mode.
func testUsers() []connect.TestUser {
	var out []connect.TestUser
	for _, u := range sandbox.TestUsers() {
		outcome := string(u.Code)
		if u.Code == "" {
			outcome = "Success"
		}
		out = append(out, connect.TestUser{Institution: sandbox.FlinksCapital, Username: u.Username, Password: u.Password, Outcome: outcome, Notes: u.Notes})
	}
	return out
}
