// Package storetest is the conformance suite of Passbook's storage: one set of tests of every
// storage method's contract, run against each implementation (sqlite's tests and postgres's tests
// call Run). An implementation passes when it behaves as the consumers' interfaces say, so that
// the server runs the same on either.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/dashboard"
	"github.com/passbookhq/passbook/upload"
	"github.com/passbookhq/passbook/webhook"
)

// Store is what a storage implementation provides: the union of the interfaces the consumers
// declare, and what only the commands use.
type Store interface {
	api.Store
	authorize.Store
	upload.Store
	upload.ProcessStore
	webhook.Store
	webhook.Deliveries
	dashboard.Store
	connect.Customers

	CreateCustomer(ctx context.Context, c *passbook.Customer) (passbook.CustomerKeys, error)
	EnsureDefaultCustomer(ctx context.Context) (c *passbook.Customer, keys *passbook.CustomerKeys, err error)
	ListCustomers(ctx context.Context) ([]passbook.CustomerRow, error)
	RotateCustomerKeys(ctx context.Context, id string) (passbook.CustomerKeys, error)
	SetCustomerDisabled(ctx context.Context, id string, disabled bool) error
	UpdateCustomerSettings(ctx context.Context, id string, s passbook.CustomerSettings) error
	SetLoginTag(ctx context.Context, loginID, tag string) error
	BlobReferenced(ctx context.Context, key string) (bool, error)
	// Not in any consumer's interface today, but part of the storage's method set.
	SetLoginCredentials(ctx context.Context, loginID string, sealed []byte) error
	Logins(ctx context.Context, customerID string) ([]*passbook.LoginRecord, error)
	CreateStaffUser(ctx context.Context, u *passbook.StaffUser) error
}

// Run runs the suite; open returns an empty, migrated store of the test's own (closed by the
// caller's cleanup). Subtests run in parallel when open allows it.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, Store)
	}{
		{"Customers", testCustomers},
		{"DefaultCustomerOnce", testDefaultCustomerOnce},
		{"AccessTokens", testAccessTokens},
		{"Logins", testLogins},
		{"Requests", testRequests},
		{"AuthorizeTokens", testAuthorizeTokens},
		{"Uploads", testUploads},
		{"UploadQuotaRace", testUploadQuotaRace},
		{"Webhooks", testWebhooks},
		{"Staff", testStaff},
		{"DecisionsAndAudit", testDecisionsAndAudit},
		{"LoginSummaries", testLoginSummaries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
}

// customer creates a customer named name and returns it with its keys.
func customer(t *testing.T, s Store, name string) (*passbook.Customer, passbook.CustomerKeys) {
	t.Helper()
	c := &passbook.Customer{Name: name}
	keys, err := s.CreateCustomer(ctx, c)
	must(t, err)
	if c.Id == "" || keys.APIKey == "" || keys.Secret == "" || keys.APIKey == keys.Secret {
		t.Fatalf("CreateCustomer: %+v %+v", c, keys)
	}
	return c, keys
}

func testCustomers(t *testing.T, s Store) {
	c, keys := customer(t, s, "Lender")
	other, otherKeys := customer(t, s, "Other")
	check := func(what string, ok bool, err error, want bool) {
		t.Helper()
		if err != nil || ok != want {
			t.Errorf("%s: %v %v, want %v", what, ok, err, want)
		}
	}
	ok, err := s.CheckAPIKey(ctx, c.Id, keys.APIKey)
	check("own API key", ok, err, true)
	ok, err = s.CheckSecret(ctx, c.Id, keys.Secret)
	check("own secret", ok, err, true)
	ok, err = s.CheckAPIKey(ctx, c.Id, keys.Secret)
	check("secret as API key", ok, err, false)
	ok, err = s.CheckAPIKey(ctx, c.Id, otherKeys.APIKey)
	check("another customer's key", ok, err, false)
	ok, err = s.CheckAPIKey(ctx, "nobody", keys.APIKey)
	check("unknown customer", ok, err, false)

	got, err := s.Customer(ctx, c.Id)
	must(t, err)
	if got.Id != c.Id || got.Name != "Lender" || got.Default {
		t.Errorf("Customer: %+v", got)
	}
	_, err = s.Customer(ctx, "nobody")
	wantErr(t, "unknown Customer", err, passbook.ErrNotFound)

	settings := got.Settings
	settings.UploadQuota = 7
	must(t, s.UpdateCustomerSettings(ctx, c.Id, settings))
	if got, err := s.Customer(ctx, c.Id); err != nil || got.Settings.UploadQuota != 7 {
		t.Errorf("settings after update: %+v %v", got, err)
	}
	wantErr(t, "UpdateCustomerSettings of nobody", s.UpdateCustomerSettings(ctx, "nobody", settings), passbook.ErrNotFound)

	// Rotating keys retires the old ones and the access tokens made with them.
	tok, err := s.CreateAccessToken(ctx, c.Id, time.Now(), time.Now().Add(time.Hour))
	must(t, err)
	fresh, err := s.RotateCustomerKeys(ctx, c.Id)
	must(t, err)
	ok, err = s.CheckAPIKey(ctx, c.Id, keys.APIKey)
	check("old key after rotation", ok, err, false)
	ok, err = s.CheckAPIKey(ctx, c.Id, fresh.APIKey)
	check("new key after rotation", ok, err, true)
	ok, err = s.CheckSecret(ctx, c.Id, fresh.Secret)
	check("new secret after rotation", ok, err, true)
	ok, err = s.CheckAccessToken(ctx, c.Id, tok, time.Now())
	check("access token after rotation", ok, err, false)
	_, err = s.RotateCustomerKeys(ctx, "nobody")
	wantErr(t, "RotateCustomerKeys of nobody", err, passbook.ErrNotFound)

	// A disabled customer keeps its data but is refused like an unknown one.
	tok, err = s.CreateAccessToken(ctx, other.Id, time.Now(), time.Now().Add(time.Hour))
	must(t, err)
	must(t, s.SetCustomerDisabled(ctx, other.Id, true))
	_, err = s.Customer(ctx, other.Id)
	wantErr(t, "disabled Customer", err, passbook.ErrNotFound)
	ok, err = s.CheckAPIKey(ctx, other.Id, otherKeys.APIKey)
	check("disabled customer's key", ok, err, false)
	ok, err = s.CheckSecret(ctx, other.Id, otherKeys.Secret)
	check("disabled customer's secret", ok, err, false)
	ok, err = s.CheckAccessToken(ctx, other.Id, tok, time.Now())
	check("disabled customer's access token", ok, err, false)
	rows, err := s.ListCustomers(ctx)
	must(t, err)
	// Oldest first; the two may share a creation time.
	if len(rows) == 2 && rows[0].Id == other.Id {
		rows[0], rows[1] = rows[1], rows[0]
	}
	if len(rows) != 2 || rows[0].Id != c.Id || rows[1].Id != other.Id || rows[0].Disabled || !rows[1].Disabled || rows[0].CreatedAt == "" {
		t.Errorf("ListCustomers: %+v", rows)
	}
	must(t, s.SetCustomerDisabled(ctx, other.Id, false))
	ok, err = s.CheckAPIKey(ctx, other.Id, otherKeys.APIKey)
	check("enabled again", ok, err, true)
	wantErr(t, "SetCustomerDisabled of nobody", s.SetCustomerDisabled(ctx, "nobody", true), passbook.ErrNotFound)
}

// The default customer is created once, however many servers start at the same time, and only
// its creator gets its keys.
func testDefaultCustomerOnce(t *testing.T, s Store) {
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	created := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			c, keys, err := s.EnsureDefaultCustomer(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], created[i] = c.Id, keys != nil
			if !c.Default {
				t.Errorf("default customer not marked default: %+v", c)
			}
		})
	}
	wg.Wait()
	if ids[0] == "" || slices.ContainsFunc(ids, func(id string) bool { return id != ids[0] }) {
		t.Fatalf("servers got different default customers: %v", ids)
	}
	if k := len(slices.DeleteFunc(created, func(b bool) bool { return !b })); k != 1 {
		t.Errorf("%d servers got the keys, want 1", k)
	}
	c, keys, err := s.EnsureDefaultCustomer(ctx)
	if err != nil || keys != nil || c.Id != ids[0] {
		t.Errorf("EnsureDefaultCustomer again: %+v %v %v", c, keys, err)
	}
	rows, err := s.ListCustomers(ctx)
	if err != nil || len(rows) != 1 || !rows[0].Default {
		t.Errorf("customers: %+v %v", rows, err)
	}
}

func testAccessTokens(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	now := time.Now()
	tok, err := s.CreateAccessToken(ctx, c.Id, now, now.Add(time.Minute))
	must(t, err)
	for _, tc := range []struct {
		what     string
		customer string
		token    string
		at       time.Time
		want     bool
	}{
		{"live", c.Id, tok, now, true},
		{"another customer's", o.Id, tok, now, false},
		{"expired", c.Id, tok, now.Add(time.Minute), false},
		{"unknown", c.Id, "nope", now, false},
	} {
		if ok, err := s.CheckAccessToken(ctx, tc.customer, tc.token, tc.at); err != nil || ok != tc.want {
			t.Errorf("%s token: %v %v, want %v", tc.what, ok, err, tc.want)
		}
	}
}

// account returns an account with n transactions from start, a day apart.
func account(number, holder string, current passbook.Money, start passbook.Date, n int) passbook.Account {
	a := passbook.Account{Title: "Chequing", AccountNumber: number, Type: "Chequing", Category: "Operations", Currency: "CAD",
		Balance: passbook.Balance{Current: passbook.M(current)}}
	if holder != "" {
		a.Holder = &passbook.Holder{Name: holder}
	}
	for i := range n {
		d := passbook.DateOf(start.Time().AddDate(0, 0, i))
		a.Transactions = append(a.Transactions, passbook.Transaction{Id: fmt.Sprintf("t%d", i), Date: d,
			Description: "Coffee", Debit: passbook.M(350)})
	}
	return a
}

func testLogins(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	rec := &passbook.LoginRecord{Login: passbook.Login{Institution: "FlinksCapital", Username: "Greatday", Type: passbook.LoginPersonal},
		CustomerID: c.Id, Status: passbook.LoginProcessing, PendingCode: passbook.OperationDispatched,
		ReadyAt: time.UnixMilli(time.Now().Add(time.Minute).UnixMilli()).UTC(), Credentials: []byte{1, 2, 3}, Tag: "t-1", Statements: "Months3"}
	var out passbook.Login
	must(t, s.SaveLoginRecord(ctx, rec, &out))
	if rec.Id == "" || out.Id != rec.Id {
		t.Fatalf("SaveLoginRecord gave no id: %+v %+v", rec, out)
	}
	got, err := s.LoginRecord(ctx, c.Id, rec.Id)
	must(t, err)
	if got.Username != "Greatday" || got.Status != passbook.LoginProcessing || got.PendingCode != passbook.OperationDispatched ||
		!got.ReadyAt.Equal(rec.ReadyAt) || string(got.Credentials) != "\x01\x02\x03" || got.Tag != "t-1" || got.Statements != "Months3" || got.Version < 1 {
		t.Errorf("LoginRecord: %+v", got)
	}
	if st := got.StatusAt(rec.ReadyAt); st != passbook.LoginReady {
		t.Errorf("status at ReadyAt: %s", st)
	}
	_, err = s.LoginRecord(ctx, o.Id, rec.Id)
	wantErr(t, "another customer's LoginRecord", err, passbook.ErrNotFound)

	found, err := s.FindLogin(ctx, c.Id, "FlinksCapital", "Greatday")
	if err != nil || found == nil || found.Id != rec.Id {
		t.Errorf("FindLogin: %+v %v", found, err)
	}
	if found, err := s.FindLogin(ctx, c.Id, "FlinksCapital", "someone"); err != nil || found != nil {
		t.Errorf("FindLogin of nobody: %+v %v", found, err)
	}

	// Saving again updates; credentials and tag are kept when the update has none.
	again := *got
	again.Status, again.PendingCode, again.ReadyAt, again.Credentials, again.Tag = passbook.LoginReady, "", time.Time{}, nil, ""
	must(t, s.SaveLoginRecord(ctx, &again, nil))
	got2, err := s.LoginRecord(ctx, c.Id, rec.Id)
	must(t, err)
	if got2.Status != passbook.LoginReady || len(got2.Credentials) != 3 || got2.Tag != "t-1" || got2.Version <= got.Version {
		t.Errorf("after update: %+v (before %+v)", got2, got)
	}
	must(t, s.SetLoginCredentials(ctx, rec.Id, nil))
	if got, _ := s.LoginRecord(ctx, c.Id, rec.Id); got == nil || got.Credentials != nil {
		t.Errorf("credentials after removal: %+v", got)
	}

	// Accounts, in order, with ids given to those without; saving bumps the version.
	start := passbook.NewDate(2026, time.March, 1)
	accts := []passbook.Account{account("111", "Jane Roe", 12345, start, 3), account("222", "", -500, start, 0)}
	accts[1].Id = "fixed-id"
	must(t, s.SaveAccounts(ctx, rec.Id, accts))
	back, err := s.Accounts(ctx, rec.Id)
	must(t, err)
	if len(back) != 2 || back[0].Id == "" || back[1].Id != "fixed-id" || back[0].AccountNumber != "111" ||
		len(back[0].Transactions) != 3 || *back[0].Balance.Current != 12345 || back[0].Transactions[2].Date != passbook.NewDate(2026, time.March, 3) {
		t.Errorf("Accounts: %+v", back)
	}
	got3, _ := s.LoginRecord(ctx, c.Id, rec.Id)
	if got3 == nil || got3.Version <= got2.Version {
		t.Errorf("version after SaveAccounts: %+v", got3)
	}
	wantErr(t, "SaveAccounts of an unknown login", s.SaveAccounts(ctx, "nobody", accts), passbook.ErrNotFound)
	must(t, s.SaveAccounts(ctx, rec.Id, accts[:1]))
	if back, _ := s.Accounts(ctx, rec.Id); len(back) != 1 {
		t.Errorf("SaveAccounts replaces: %d accounts", len(back))
	}

	second := &passbook.LoginRecord{Login: passbook.Login{Institution: "FlinksCapital", Username: "Other"}, CustomerID: c.Id}
	must(t, s.SaveLoginRecord(ctx, second, nil))
	list, err := s.Logins(ctx, c.Id)
	must(t, err)
	if len(list) != 2 {
		t.Errorf("Logins: %d", len(list))
	}

	wantErr(t, "DeleteLogin of another customer", s.DeleteLogin(ctx, o.Id, rec.Id), passbook.ErrNotFound)
	must(t, s.DeleteLogin(ctx, c.Id, rec.Id))
	_, err = s.LoginRecord(ctx, c.Id, rec.Id)
	wantErr(t, "deleted login", err, passbook.ErrNotFound)
	if back, _ := s.Accounts(ctx, rec.Id); len(back) != 0 {
		t.Errorf("a deleted login's accounts remain: %d", len(back))
	}
}

func testRequests(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	now := time.Now()
	r := &passbook.LoginRequest{CustomerID: c.Id, Institution: "FlinksCapital", Username: "u", Status: passbook.RequestMFA,
		State: []byte("sealed"), Challenges: []passbook.SecurityChallenge{{Prompt: "What city?", Type: "QuestionAndAnswer"}},
		Save: true, Language: "fr", ExpiresAt: now.Add(time.Minute), Tag: "x", Statements: "off"}
	must(t, s.SaveRequest(ctx, r))
	if r.Id == "" {
		t.Fatal("SaveRequest gave no id")
	}
	got, err := s.Request(ctx, c.Id, r.Id, now)
	must(t, err)
	if got.Status != passbook.RequestMFA || string(got.State) != "sealed" || len(got.Challenges) != 1 || got.Challenges[0].Prompt != "What city?" ||
		!got.Save || got.Language != "fr" || got.Tag != "x" || got.Statements != "off" || got.LoginID != "" {
		t.Errorf("Request: %+v", got)
	}
	_, err = s.Request(ctx, o.Id, r.Id, now)
	wantErr(t, "another customer's request", err, passbook.ErrNotFound)
	_, err = s.Request(ctx, c.Id, r.Id, now.Add(time.Minute))
	wantErr(t, "expired request", err, passbook.ErrNotFound)
	req, login, err := s.RequestLogin(ctx, c.Id, r.Id, now)
	if err != nil || req == nil || login != nil {
		t.Errorf("RequestLogin without a login: %+v %+v %v", req, login, err)
	}

	rec := &passbook.LoginRecord{Login: passbook.Login{Institution: "FlinksCapital", Username: "u"}, CustomerID: c.Id, Tag: "x"}
	must(t, s.SaveLoginRecord(ctx, rec, nil))
	r.LoginID, r.Status, r.Challenges = rec.Id, passbook.RequestDone, nil
	must(t, s.SaveRequest(ctx, r))
	must(t, s.SetRequestOptions(ctx, r.Id, `{"WithTransactions":true}`))
	req, login, err = s.RequestLogin(ctx, c.Id, r.Id, now)
	if err != nil || req.LoginID != rec.Id || req.Options != `{"WithTransactions":true}` || login == nil || login.Id != rec.Id || login.Tag != "x" || login.Status != passbook.LoginReady {
		t.Errorf("RequestLogin: %+v %+v %v", req, login, err)
	}
	_, _, err = s.RequestLogin(ctx, o.Id, r.Id, now)
	wantErr(t, "another customer's RequestLogin", err, passbook.ErrNotFound)

	must(t, s.DeleteRequest(ctx, r.Id))
	_, err = s.Request(ctx, c.Id, r.Id, now)
	wantErr(t, "deleted request", err, passbook.ErrNotFound)

	old := &passbook.LoginRequest{CustomerID: c.Id, Status: passbook.RequestPending, ExpiresAt: now.Add(-time.Second)}
	live := &passbook.LoginRequest{CustomerID: c.Id, Status: passbook.RequestPending, ExpiresAt: now.Add(time.Hour)}
	must(t, s.SaveRequest(ctx, old))
	must(t, s.SaveRequest(ctx, live))
	must(t, s.DeleteExpiredRequests(ctx, now))
	if _, err := s.Request(ctx, c.Id, live.Id, now); err != nil {
		t.Errorf("a live request was removed: %v", err)
	}
	// Deleting a login ends its requests.
	r2 := &passbook.LoginRequest{CustomerID: c.Id, LoginID: rec.Id, Status: passbook.RequestDone, ExpiresAt: now.Add(time.Hour)}
	must(t, s.SaveRequest(ctx, r2))
	must(t, s.DeleteLogin(ctx, c.Id, rec.Id))
	_, err = s.Request(ctx, c.Id, r2.Id, now)
	wantErr(t, "request of a deleted login", err, passbook.ErrNotFound)
}

func testAuthorizeTokens(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	now := time.Now()
	tok, err := s.CreateAuthorizeToken(ctx, c.Id, now.Add(time.Minute))
	must(t, err)
	wantErr(t, "another customer's token", s.UseAuthorizeToken(ctx, o.Id, tok, now), passbook.ErrNotFound)
	wantErr(t, "expired token", s.UseAuthorizeToken(ctx, c.Id, tok, now.Add(time.Minute)), passbook.ErrExpired)
	must(t, s.UseAuthorizeToken(ctx, c.Id, tok, now))
	wantErr(t, "used token", s.UseAuthorizeToken(ctx, c.Id, tok, now), passbook.ErrConflict)
	wantErr(t, "unknown token", s.UseAuthorizeToken(ctx, c.Id, "nope", now), passbook.ErrNotFound)

	// Spent once, however many use it at the same time.
	tok, err = s.CreateAuthorizeToken(ctx, c.Id, now.Add(time.Minute))
	must(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	spent := 0
	for range 6 {
		wg.Go(func() {
			if err := s.UseAuthorizeToken(ctx, c.Id, tok, now); err == nil {
				mu.Lock()
				spent++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if spent != 1 {
		t.Errorf("a one-use token was spent %d times", spent)
	}
	// Expired tokens are removed with expired requests.
	old, err := s.CreateAuthorizeToken(ctx, c.Id, now.Add(-time.Second))
	must(t, err)
	must(t, s.DeleteExpiredRequests(ctx, now))
	wantErr(t, "removed expired token", s.UseAuthorizeToken(ctx, c.Id, old, now), passbook.ErrNotFound)
}

// newUpload returns an upload of customerID with n files.
func newUpload(customerID string, n int) *passbook.Upload {
	u := &passbook.Upload{Id: passbook.NewID(), CustomerID: customerID, LoginID: passbook.NewID(), Institution: "Maple", Source: "api"}
	for i := range n {
		u.Files = append(u.Files, passbook.UploadFile{Position: i, FileName: fmt.Sprintf("f%d.pdf", i),
			BlobKey: "uploads/" + u.Id + fmt.Sprintf("/%d", i), Size: int64(100 + i), SHA256: fmt.Sprintf("%064d", i), MediaType: "application/pdf"})
		u.TotalBytes += int64(100 + i)
	}
	return u
}

func testUploads(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	u := newUpload(c.Id, 2)
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, u, 0) }))
	got, err := s.Upload(ctx, u.Id)
	must(t, err)
	if got.CustomerID != c.Id || got.LoginID != u.LoginID || got.Status != passbook.UploadReceived || got.Source != "api" ||
		got.TotalBytes != 201 || len(got.Files) != 2 || got.Files[1] != u.Files[1] || got.CreatedAt.IsZero() {
		t.Errorf("Upload: %+v", got)
	}
	login, err := s.LoginRecord(ctx, c.Id, u.LoginID)
	must(t, err)
	if login.Type != passbook.LoginUpload || login.Status != passbook.LoginProcessing || login.PendingCode != passbook.OperationPending {
		t.Errorf("upload's login: %+v", login)
	}
	if byLogin, err := s.UploadOfLogin(ctx, c.Id, u.LoginID); err != nil || byLogin.Id != u.Id {
		t.Errorf("UploadOfLogin: %+v %v", byLogin, err)
	}
	_, err = s.UploadOfLogin(ctx, o.Id, u.LoginID)
	wantErr(t, "another customer's UploadOfLogin", err, passbook.ErrNotFound)
	_, err = s.Upload(ctx, "nobody")
	wantErr(t, "unknown Upload", err, passbook.ErrNotFound)
	for key, want := range map[string]bool{u.Files[0].BlobKey: true, "uploads/" + u.Id + "/9": false, "tmp/x": false} {
		if ok, err := s.BlobReferenced(ctx, key); err != nil || ok != want {
			t.Errorf("BlobReferenced(%s): %v %v", key, ok, err)
		}
	}
	// A rolled-back transaction stores nothing.
	lost := newUpload(c.Id, 1)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.CreateUploadTx(ctx, tx, lost, 0); err != nil {
			return err
		}
		return errors.New("rollback")
	})
	if err == nil {
		t.Fatal("Tx did not return fn's error")
	}
	_, err = s.Upload(ctx, lost.Id)
	wantErr(t, "rolled-back upload", err, passbook.ErrNotFound)

	if n, err := s.CountUploads(ctx, c.Id); err != nil || n != 1 {
		t.Errorf("CountUploads: %d %v", n, err)
	}
	if n, err := s.CountPendingUploads(ctx, c.Id); err != nil || n != 1 {
		t.Errorf("CountPendingUploads: %d %v", n, err)
	}
	// The quota counts every upload made.
	err = s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, newUpload(c.Id, 1), 1) })
	wantErr(t, "upload over quota", err, passbook.ErrQuotaExceeded)

	docs := []passbook.Document{{FileName: "f0.pdf", Pages: 2, Status: "read", Authenticity: &passbook.Authenticity{Verdict: passbook.Review, Score: 40}},
		{FileName: "f1.pdf", Pages: 1, Status: "failed", Error: "not a statement"}}
	must(t, s.SaveLoginDocuments(ctx, u.LoginID, docs))
	must(t, s.SaveAccounts(ctx, u.LoginID, []passbook.Account{account("333", "Jo", 100, passbook.NewDate(2026, time.January, 5), 2)}))
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.FinishUploadTx(ctx, tx, u, passbook.UploadCompleted, "") }))
	if got, _ := s.Upload(ctx, u.Id); got == nil || got.Status != passbook.UploadCompleted {
		t.Errorf("finished upload: %+v", got)
	}
	if login, _ := s.LoginRecord(ctx, c.Id, u.LoginID); login == nil || login.Status != passbook.LoginReady || login.PendingCode != "" {
		t.Errorf("login of a completed upload: %+v", login)
	}
	if n, _ := s.CountPendingUploads(ctx, c.Id); n != 0 {
		t.Errorf("pending after completion: %d", n)
	}
	back, err := s.LoginDocuments(ctx, u.LoginID)
	must(t, err)
	if len(back) != 2 || back[0].Authenticity == nil || back[0].Authenticity.Score != 40 || back[1].Error != "not a statement" || back[0].Review != nil {
		t.Errorf("LoginDocuments: %+v", back)
	}

	failed := newUpload(c.Id, 1)
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, failed, 0) }))
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.FinishUploadTx(ctx, tx, failed, passbook.UploadFailed, "unreadable") }))
	if got, _ := s.Upload(ctx, failed.Id); got == nil || got.Status != passbook.UploadFailed || got.Error != "unreadable" {
		t.Errorf("failed upload: %+v", got)
	}
	if login, _ := s.LoginRecord(ctx, c.Id, failed.LoginID); login == nil || login.Status != passbook.LoginFailed {
		t.Errorf("login of a failed upload: %+v", login)
	}
}

// The quota holds when a customer's uploads arrive at the same time (on several servers).
func testUploadQuotaRace(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	const quota, tries = 3, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	made, refused := 0, 0
	for range tries {
		wg.Go(func() {
			err := s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, newUpload(c.Id, 1), quota) })
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				made++
			case errors.Is(err, passbook.ErrQuotaExceeded):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if made != quota || refused != tries-quota {
		t.Errorf("%d uploads made and %d refused, want %d and %d", made, refused, quota, tries-quota)
	}
	if n, _ := s.CountUploads(ctx, c.Id); n != quota {
		t.Errorf("CountUploads: %d", n)
	}
}

func testWebhooks(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	all := &passbook.WebhookEndpoint{CustomerID: c.Id, URL: "https://a.example/hook", Secret: "s1"}
	must(t, s.CreateWebhookEndpoint(ctx, all))
	time.Sleep(2 * time.Millisecond) // endpoints are listed oldest first
	kyc := &passbook.WebhookEndpoint{CustomerID: c.Id, URL: "https://b.example/hook", Secret: "s2", EventTypes: []string{"KYC"}}
	must(t, s.CreateWebhookEndpoint(ctx, kyc))
	must(t, s.CreateWebhookEndpoint(ctx, &passbook.WebhookEndpoint{CustomerID: o.Id, URL: "https://c.example/hook", Secret: "s3"}))
	if all.Id == "" || all.CreatedAt.IsZero() {
		t.Fatalf("CreateWebhookEndpoint: %+v", all)
	}
	eps, err := s.WebhookEndpoints(ctx, c.Id)
	must(t, err)
	if len(eps) != 2 || eps[0].Id != all.Id || eps[1].Id != kyc.Id || !slices.Equal(eps[1].EventTypes, []string{"KYC"}) || eps[0].EventTypes != nil || eps[0].Secret != "s1" {
		t.Errorf("WebhookEndpoints: %+v", eps)
	}

	emit := func(ev passbook.WebhookEvent) []int64 {
		t.Helper()
		var ids []int64
		must(t, s.Tx(ctx, func(tx *sql.Tx) (err error) { ids, err = s.InsertWebhookEventTx(ctx, tx, ev); return err }))
		return ids
	}
	// An event goes to the endpoints that take its type; the opt-in type only where listed.
	ev1 := passbook.WebhookEvent{Id: passbook.NewID(), CustomerID: c.Id, LoginID: "L1", Type: "GetAccountsDetail", Body: []byte(`{"a": 1}`)}
	ids1 := emit(ev1)
	if len(ids1) != 1 {
		t.Fatalf("deliveries of a plain event: %v", ids1)
	}
	idsKYC := emit(passbook.WebhookEvent{Id: passbook.NewID(), CustomerID: c.Id, LoginID: "L1", Type: "KYC", Body: []byte(`{}`)})
	if len(idsKYC) != 1 {
		t.Fatalf("deliveries of an opt-in event: %v", idsKYC)
	}
	// The same event id again (a retried job) yields no delivery.
	if again := emit(ev1); len(again) != 0 {
		t.Errorf("an event emitted twice got deliveries again: %v", again)
	}
	ids2 := emit(passbook.WebhookEvent{Id: passbook.NewID(), CustomerID: c.Id, LoginID: "L1", Type: "GetAccountsDetail", Body: []byte(`{"b":2}`)})
	if len(ids2) != 1 || ids2[0] <= ids1[0] {
		t.Fatalf("later delivery ids: %v after %v", ids2, ids1)
	}

	d, err := s.WebhookDelivery(ctx, ids1[0])
	must(t, err)
	if d.EventID != ev1.Id || d.EventType != "GetAccountsDetail" || d.EndpointID != all.Id || d.LoginID != "L1" || d.Status != passbook.DeliveryPending ||
		d.URL != all.URL || d.Secret != "s1" || string(d.Body) != `{"a": 1}` || d.CreatedAt.IsZero() {
		t.Errorf("WebhookDelivery: %+v", d)
	}
	if k, _ := s.WebhookDelivery(ctx, idsKYC[0]); k == nil || k.EndpointID != kyc.Id {
		t.Errorf("the opt-in event went to %+v", k)
	}
	_, err = s.WebhookDelivery(ctx, 1<<40)
	wantErr(t, "unknown delivery", err, passbook.ErrNotFound)

	// A login's deliveries to an endpoint go in order.
	d2, err := s.WebhookDelivery(ctx, ids2[0])
	must(t, err)
	if e, err := s.EarlierPendingDelivery(ctx, d2); err != nil || e == nil || e.Id != ids1[0] {
		t.Errorf("EarlierPendingDelivery: %+v %v", e, err)
	}
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	must(t, s.RecordDeliveryAttempt(ctx, ids1[0], passbook.DeliveryPending, 503, "unavailable", at, at.Add(time.Minute)))
	d, _ = s.WebhookDelivery(ctx, ids1[0])
	if d.Attempts != 1 || d.LastStatus != 503 || d.LastError != "unavailable" || !d.LastAttemptAt.Equal(at) || !d.NextAttemptAt.Equal(at.Add(time.Minute)) || !d.DeliveredAt.IsZero() {
		t.Errorf("after a failed attempt: %+v", d)
	}
	must(t, s.RecordDeliveryAttempt(ctx, ids1[0], passbook.DeliveryDelivered, 200, "", at, time.Time{}))
	d, _ = s.WebhookDelivery(ctx, ids1[0])
	if d.Status != passbook.DeliveryDelivered || d.Attempts != 2 || !d.DeliveredAt.Equal(at) || !d.NextAttemptAt.IsZero() {
		t.Errorf("after delivery: %+v", d)
	}
	if e, err := s.EarlierPendingDelivery(ctx, d2); err != nil || e != nil {
		t.Errorf("EarlierPendingDelivery once delivered: %+v %v", e, err)
	}

	log, err := s.WebhookDeliveries(ctx, c.Id, all.Id, 10)
	must(t, err)
	if len(log) != 2 || log[0].Id != ids2[0] || log[1].Id != ids1[0] {
		t.Errorf("WebhookDeliveries: %+v", log)
	}
	if log, _ := s.WebhookDeliveries(ctx, o.Id, all.Id, 10); len(log) != 0 {
		t.Errorf("another customer sees the log: %+v", log)
	}
	if log, _ := s.WebhookDeliveries(ctx, c.Id, all.Id, 1); len(log) != 1 {
		t.Errorf("limit: %d", len(log))
	}

	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.ResetWebhookDeliveryTx(ctx, tx, c.Id, ids1[0]) }))
	if d, _ := s.WebhookDelivery(ctx, ids1[0]); d == nil || d.Status != passbook.DeliveryPending {
		t.Errorf("after reset: %+v", d)
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error { return s.ResetWebhookDeliveryTx(ctx, tx, o.Id, ids1[0]) })
	wantErr(t, "another customer's reset", err, passbook.ErrNotFound)

	wantErr(t, "another customer's DeleteWebhookEndpoint", s.DeleteWebhookEndpoint(ctx, o.Id, all.Id), passbook.ErrNotFound)
	must(t, s.DeleteWebhookEndpoint(ctx, c.Id, all.Id))
	_, err = s.WebhookDelivery(ctx, ids1[0])
	wantErr(t, "delivery of a deleted endpoint", err, passbook.ErrNotFound)
	if eps, _ := s.WebhookEndpoints(ctx, c.Id); len(eps) != 1 {
		t.Errorf("endpoints after delete: %+v", eps)
	}
}

func testStaff(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	now := time.Now()
	ann := &passbook.StaffUser{CustomerID: c.Id, Email: " Ann@Example.com ", Name: "Ann", Role: passbook.RoleAdmin, PasswordHash: "$argon2id$x"}
	must(t, s.CreateStaffUser(ctx, ann))
	if ann.Id == "" || ann.Email != "ann@example.com" {
		t.Errorf("CreateStaffUser: %+v", ann)
	}
	dup := &passbook.StaffUser{CustomerID: c.Id, Email: "ANN@example.com", Name: "Other Ann", Role: passbook.RoleAnalyst, PasswordHash: "h"}
	wantErr(t, "e-mail used twice", s.CreateStaffUser(ctx, dup), passbook.ErrConflict)
	got, err := s.StaffUserByEmail(ctx, "ANN@example.COM")
	must(t, err)
	if got.Id != ann.Id || got.Role != passbook.RoleAdmin || got.PasswordHash != "$argon2id$x" || got.Disabled || got.CreatedAt.IsZero() {
		t.Errorf("StaffUserByEmail: %+v", got)
	}
	_, err = s.StaffUserByEmail(ctx, "nobody@example.com")
	wantErr(t, "unknown staff user", err, passbook.ErrNotFound)

	// Invitations: one user per link.
	tok, err := s.CreateStaffInvite(ctx, c.Id, passbook.RoleAnalyst, ann.Id, now.Add(time.Hour))
	must(t, err)
	if cid, role, err := s.StaffInvite(ctx, tok, now); err != nil || cid != c.Id || role != passbook.RoleAnalyst {
		t.Errorf("StaffInvite: %s %s %v", cid, role, err)
	}
	_, _, err = s.StaffInvite(ctx, tok, now.Add(time.Hour))
	wantErr(t, "expired invitation", err, passbook.ErrNotFound)
	used := &passbook.StaffUser{Email: "ann@example.com", Name: "Ann again", PasswordHash: "h"}
	wantErr(t, "invitation for a used e-mail", s.AcceptStaffInvite(ctx, tok, used, now), passbook.ErrConflict)
	bob := &passbook.StaffUser{Email: "bob@example.com", Name: "Bob", PasswordHash: "h"}
	must(t, s.AcceptStaffInvite(ctx, tok, bob, now))
	if bob.CustomerID != c.Id || bob.Role != passbook.RoleAnalyst || bob.Id == "" {
		t.Errorf("accepted: %+v", bob)
	}
	wantErr(t, "invitation used twice", s.AcceptStaffInvite(ctx, tok, &passbook.StaffUser{Email: "cy@example.com", Name: "Cy", PasswordHash: "h"}, now), passbook.ErrNotFound)
	users, err := s.StaffUsers(ctx, c.Id)
	must(t, err)
	if len(users) != 2 || users[0].Name != "Ann" || users[1].Name != "Bob" {
		t.Errorf("StaffUsers: %+v", users)
	}
	if n, err := s.CountStaffUsers(ctx, c.Id); err != nil || n != 2 {
		t.Errorf("CountStaffUsers: %d %v", n, err)
	}

	// Sessions end at their time, at sign-out, and when the user is disabled.
	sess, err := s.CreateStaffSession(ctx, bob.Id, now, now.Add(time.Hour))
	must(t, err)
	if u, err := s.StaffSession(ctx, sess, now); err != nil || u.Id != bob.Id {
		t.Errorf("StaffSession: %+v %v", u, err)
	}
	_, err = s.StaffSession(ctx, sess, now.Add(time.Hour))
	wantErr(t, "expired session", err, passbook.ErrNotFound)
	must(t, s.SetStaffUserDisabled(ctx, c.Id, bob.Id, true))
	_, err = s.StaffSession(ctx, sess, now)
	wantErr(t, "session of a disabled user", err, passbook.ErrNotFound)
	must(t, s.SetStaffUserDisabled(ctx, c.Id, bob.Id, false))
	_, err = s.StaffSession(ctx, sess, now)
	wantErr(t, "a disabled user's session stays ended", err, passbook.ErrNotFound)
	wantErr(t, "SetStaffUserDisabled of nobody", s.SetStaffUserDisabled(ctx, c.Id, "nobody", true), passbook.ErrNotFound)
	sess, err = s.CreateStaffSession(ctx, bob.Id, now, now.Add(time.Hour))
	must(t, err)
	must(t, s.DeleteStaffSession(ctx, sess))
	_, err = s.StaffSession(ctx, sess, now)
	wantErr(t, "signed-out session", err, passbook.ErrNotFound)
}

func testDecisionsAndAudit(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	u := newUpload(c.Id, 1)
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, u, 0) }))
	must(t, s.SaveLoginDocuments(ctx, u.LoginID, []passbook.Document{{FileName: "a.pdf", Pages: 1}}))
	before, _ := s.LoginRecord(ctx, c.Id, u.LoginID)
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	decide := func(doc int, decision, note string) passbook.Decision {
		d := passbook.Decision{CustomerID: c.Id, LoginID: u.LoginID, Document: doc, Decision: decision, Note: note, UserID: "u1", UserName: "Ann", CreatedAt: at}
		must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.AddDecisionTx(ctx, tx, &d) }))
		if d.Id == 0 {
			t.Fatal("AddDecisionTx gave no id")
		}
		return d
	}
	decide(0, passbook.DecisionNeedsInfo, "blurry")
	decide(0, passbook.DecisionAccepted, "fine")
	decide(-1, passbook.DecisionRejected, "")
	ds, err := s.Decisions(ctx, c.Id, u.LoginID)
	must(t, err)
	if len(ds) != 3 || ds[0].Document != -1 || ds[1].Decision != passbook.DecisionAccepted || !ds[2].CreatedAt.Equal(at) {
		t.Errorf("Decisions: %+v", ds)
	}
	docs, err := s.LoginDocuments(ctx, u.LoginID)
	must(t, err)
	if len(docs) != 1 || docs[0].Review == nil || docs[0].Review.Decision != passbook.DecisionAccepted || docs[0].Review.Note != "fine" ||
		docs[0].Review.DecidedBy != "Ann" || !docs[0].Review.DecidedAt.Equal(at) {
		t.Errorf("document review: %+v", docs)
	}
	// A decision changes what the API shows: the login's version moves.
	if after, _ := s.LoginRecord(ctx, c.Id, u.LoginID); after == nil || after.Version <= before.Version {
		t.Errorf("version after decisions: %+v (before %+v)", after, before)
	}
	rows, _, err := s.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Decision: passbook.DecisionRejected}, time.Now())
	if err != nil || len(rows) != 1 || rows[0].Decision != passbook.DecisionRejected {
		t.Errorf("list by decision: %+v %v", rows, err)
	}

	for i := range 5 {
		must(t, s.Audit(ctx, passbook.AuditEntry{CustomerID: c.Id, UserID: "u1", UserName: "Ann", Action: "view_document",
			LoginID: u.LoginID, Document: 0, Detail: fmt.Sprint(i), CreatedAt: at}))
	}
	must(t, s.Audit(ctx, passbook.AuditEntry{CustomerID: c.Id, UserID: "u1", UserName: "Ann", Action: "sign_in", Document: -1, CreatedAt: at}))
	all, err := s.AuditLog(ctx, c.Id, "", 0, 100)
	must(t, err)
	if len(all) != 9 || all[0].Action != "sign_in" || all[1].Detail != "4" || !all[0].CreatedAt.Equal(at) { // 3 decisions, 5 views, 1 sign-in
		t.Errorf("AuditLog: %d entries, first %+v", len(all), all[0])
	}
	page, err := s.AuditLog(ctx, c.Id, u.LoginID, all[1].Id, 2)
	must(t, err)
	if len(page) != 2 || page[0].Detail != "3" || page[1].Detail != "2" {
		t.Errorf("AuditLog page: %+v", page)
	}
	if other, _ := s.AuditLog(ctx, "nobody", "", 0, 100); len(other) != 0 {
		t.Errorf("another customer's audit log: %d", len(other))
	}
}

func testLoginSummaries(t *testing.T, s Store) {
	c, _ := customer(t, s, "A")
	o, _ := customer(t, s, "B")
	now := time.Now()
	// Three uploads made a moment apart (the list is newest first), and a linked login.
	type made struct {
		u       *passbook.Upload
		holder  string
		number  string
		balance passbook.Money
		verdict passbook.Verdict
		score   int
	}
	ms := []made{
		{newUpload(c.Id, 1), "Jane Roe", "00123-4567890", 150000, passbook.Pass, 5},
		{newUpload(c.Id, 1), "", "00999-1112223", -2500, passbook.Fail, 90},
		{newUpload(c.Id, 1), "Ada Lovelace", "00555-0000001", 700, passbook.Review, 50},
	}
	for i, m := range ms {
		must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, m.u, 0) }))
		start := passbook.NewDate(2026, time.Month(i+1), 1)
		must(t, s.SaveAccounts(ctx, m.u.LoginID, []passbook.Account{account(m.number, m.holder, m.balance, start, 10)}))
		must(t, s.SaveLoginDocuments(ctx, m.u.LoginID, []passbook.Document{{FileName: "a.pdf", Pages: 1,
			Authenticity: &passbook.Authenticity{Verdict: m.verdict, Score: m.score}}}))
		if i < 2 {
			must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.FinishUploadTx(ctx, tx, m.u, passbook.UploadCompleted, "") }))
		}
		time.Sleep(3 * time.Millisecond)
	}
	linked := &passbook.LoginRecord{Login: passbook.Login{Institution: "FlinksCapital", Username: "u"}, CustomerID: c.Id,
		Status: passbook.LoginProcessing, ReadyAt: now.Add(-time.Second)}
	must(t, s.SaveLoginRecord(ctx, linked, nil))
	must(t, s.SetLoginTag(ctx, linked.Id, "Campaign-42"))
	otherU := newUpload(o.Id, 1)
	must(t, s.Tx(ctx, func(tx *sql.Tx) error { return s.CreateUploadTx(ctx, tx, otherU, 0) }))

	list := func(f passbook.LoginFilter) ([]string, bool) {
		t.Helper()
		rows, more, err := s.LoginSummaries(ctx, c.Id, f, now)
		must(t, err)
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.LoginID)
		}
		return ids, more
	}
	l0, l1, l2, lk := ms[0].u.LoginID, ms[1].u.LoginID, ms[2].u.LoginID, linked.Id
	eq := func(what string, got []string, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	all, more := list(passbook.LoginFilter{})
	eq("newest first", all, lk, l2, l1, l0)
	if more {
		t.Error("more after the whole list")
	}
	got, _ := list(passbook.LoginFilter{Sort: passbook.SortOldest})
	eq("oldest first", got, l0, l1, l2, lk)
	got, _ = list(passbook.LoginFilter{Sort: passbook.SortScore})
	eq("by score", got, l1, l2, l0, lk)
	got, _ = list(passbook.LoginFilter{Sort: passbook.SortBalance})
	eq("by balance", got, l0, l2, l1, lk)
	got, _ = list(passbook.LoginFilter{Sort: passbook.SortHolder})
	eq("by holder", got, l2, l0, lk, l1)
	got, more = list(passbook.LoginFilter{Limit: 2, Offset: 1})
	eq("page", got, l2, l1)
	if !more {
		t.Error("no more after a middle page")
	}
	got, _ = list(passbook.LoginFilter{Verdict: passbook.Fail})
	eq("verdict fail", got, l1)
	got, _ = list(passbook.LoginFilter{Type: passbook.LoginPersonal})
	eq("linked", got, lk)
	got, _ = list(passbook.LoginFilter{Status: passbook.LoginProcessing})
	eq("processing (the linked login's ReadyAt has passed)", got, l2)
	got, _ = list(passbook.LoginFilter{Status: passbook.LoginReady})
	eq("ready", got, lk, l1, l0)
	got, _ = list(passbook.LoginFilter{Decision: "none"})
	eq("no decision", got, lk, l2, l1, l0)
	// Search: words of the holder's name, account digits, the tag, the LoginId, any case, any length.
	got, _ = list(passbook.LoginFilter{Query: "jane"})
	eq("search holder", got, l0)
	got, _ = list(passbook.LoginFilter{Query: "roe JANE"})
	eq("search two words", got, l0)
	got, _ = list(passbook.LoginFilter{Query: "1112223"})
	eq("search account digits", got, l1) // digits long enough never to be in a LoginId
	got, _ = list(passbook.LoginFilter{Query: "campaign-42"})
	eq("search tag", got, lk)
	got, _ = list(passbook.LoginFilter{Query: l2[:8]})
	eq("search login id", got, l2)
	got, _ = list(passbook.LoginFilter{Query: "lo"})
	eq("search two letters", got, l2)
	got, _ = list(passbook.LoginFilter{Query: "100%"})
	eq("search with a LIKE wildcard", got)
	got, _ = list(passbook.LoginFilter{Query: "jane ada"})
	eq("search words in different logins", got)

	rows, _, err := s.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Query: "jane"}, now)
	must(t, err)
	r := rows[0]
	if r.Holder != "Jane Roe" || r.Accounts != 1 || r.Numbers != "00123-4567890" || r.Currency != "CAD" || r.Balance == nil || *r.Balance != 150000 ||
		r.PeriodStart != "2026/01/01" || r.PeriodEnd != "2026/01/10" || r.Documents != 1 || r.Verdict != passbook.Pass || r.Score != 5 ||
		r.Type != passbook.LoginUpload || r.Status != passbook.LoginReady || r.Institution != "Maple" || r.CreatedAt.IsZero() {
		t.Errorf("summary: %+v", r)
	}
	rows, _, _ = s.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Type: passbook.LoginPersonal}, now)
	if len(rows) != 1 || rows[0].Balance != nil || rows[0].Score != -1 || rows[0].Verdict != "" || rows[0].Tag != "Campaign-42" || rows[0].Status != passbook.LoginReady {
		t.Errorf("linked summary: %+v", rows)
	}
	// Created between: the window holds the middle upload only (they were made 3 ms apart).
	mid, _ := s.Upload(ctx, ms[1].u.Id)
	got, _ = list(passbook.LoginFilter{From: mid.CreatedAt.Add(-time.Millisecond), To: mid.CreatedAt.Add(2 * time.Millisecond), Type: passbook.LoginUpload})
	eq("created between", got, l1)
	// Saving accounts again replaces the summary's.
	must(t, s.SaveAccounts(ctx, l0, nil))
	if got, _ := list(passbook.LoginFilter{Query: "jane"}); len(got) != 0 {
		t.Errorf("a removed holder is still found: %v", got)
	}
	_, _, err = s.LoginSummaries(ctx, c.Id, passbook.LoginFilter{Sort: "sideways"}, now)
	if err == nil {
		t.Error("an unknown sort was accepted")
	}
	if rows, _, _ := s.LoginSummaries(ctx, o.Id, passbook.LoginFilter{}, now); len(rows) != 1 || rows[0].LoginID != otherU.LoginID {
		t.Errorf("another customer's list: %+v", rows)
	}
}
