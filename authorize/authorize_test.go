package authorize_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/sqlite"
)

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	db       *sqlite.DB
	svc      *authorize.Service
	clock    *clock
	customer *passbook.Customer
	other    *passbook.Customer
}

func setup(t *testing.T, hooks ...func(context.Context, authorize.LoginEvent)) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, err := authorize.LoadKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)}
	reg := institution.NewRegistry(sandbox.New(sandbox.Options{Now: clk.Now, PendingDelay: 5 * time.Second})...)
	cfg := authorize.Config{DB: db, Connectors: reg, Key: key, Now: clk.Now}
	if len(hooks) > 0 {
		cfg.OnLogin = hooks[0]
	}
	svc, err := authorize.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := &passbook.Customer{Name: "Other lender"}
	if _, err := db.CreateCustomer(ctx, o); err != nil {
		t.Fatal(err)
	}
	return &env{db: db, svc: svc, clock: clk, customer: c, other: o}
}

func answersFor(ch []passbook.SecurityChallenge) map[string][]string {
	known := map[string]string{sandbox.QuestionCity.Prompt: "Montreal", sandbox.QuestionCountry.Prompt: "Canada", sandbox.QuestionShape.Prompt: "Triangle"}
	out := map[string][]string{}
	for _, q := range ch {
		out[q.Prompt] = []string{known[q.Prompt]}
	}
	return out
}

// linkGreatday runs Greatday through its questions and returns the final result.
func (e *env) linkGreatday(t *testing.T, save bool) *passbook.AuthorizeResult {
	t.Helper()
	ctx := context.Background()
	res, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "Greatday", Password: sandbox.Password, Save: save})
	for err == nil && res.HTTPStatus == 203 {
		res, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: res.RequestId, SecurityResponses: answersFor(res.SecurityChallenges)})
	}
	if err != nil || res.HTTPStatus != 200 || res.Login == nil {
		t.Fatalf("Greatday: %+v %v", res, err)
	}
	return res
}

func TestMFAFlowAndRetries(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	res, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "flinkscapital", Username: "Greatday", Password: sandbox.Password})
	if err != nil || res.HTTPStatus != 203 || res.RequestId == "" || len(res.SecurityChallenges) != 1 {
		t.Fatalf("first step: %+v %v", res, err)
	}
	rid := res.RequestId
	// A wrong answer may be retried under the same RequestId.
	_, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: rid, SecurityResponses: map[string][]string{sandbox.QuestionCity.Prompt: {"Paris"}}})
	if passbook.ErrorCode(err) != passbook.InvalidSecurityResponse {
		t.Fatalf("wrong answer: %v", err)
	}
	// No answers: the same questions again.
	again, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: rid})
	if err != nil || again.HTTPStatus != 203 || again.SecurityChallenges[0].Prompt != sandbox.QuestionCity.Prompt {
		t.Fatalf("re-ask: %+v %v", again, err)
	}
	// Another customer cannot use this RequestId.
	if _, err := e.svc.Authorize(ctx, e.other, passbook.AuthorizeRequest{RequestId: rid, SecurityResponses: answersFor(res.SecurityChallenges)}); passbook.ErrorCode(err) != passbook.SessionNonexistent {
		t.Fatalf("other customer: %v", err)
	}
	res, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: rid, SecurityResponses: answersFor(res.SecurityChallenges)})
	if err != nil || res.HTTPStatus != 203 || len(res.SecurityChallenges) != 2 {
		t.Fatalf("second step: %+v %v", res, err)
	}
	// Data endpoints refuse a RequestId still in MFA.
	if _, _, err := e.svc.Session(ctx, e.customer.Id, rid); passbook.ErrorCode(err) != passbook.SessionNonexistent {
		t.Fatalf("session during MFA: %v", err)
	}
	res, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: rid, SecurityResponses: answersFor(res.SecurityChallenges)})
	if err != nil || res.HTTPStatus != 200 || res.Login.Username != "Greatday" || res.Login.Type != passbook.LoginPersonal {
		t.Fatalf("success: %+v %v", res, err)
	}
	if _, rec, err := e.svc.Session(ctx, e.customer.Id, rid); err != nil || rec.Id != res.Login.Id {
		t.Fatalf("session: %v", err)
	}
	// A non-retryable error ends the request.
	r2, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "test_security_no_retry", Password: "x"})
	if err != nil || r2.HTTPStatus != 203 {
		t.Fatalf("no-retry user: %+v %v", r2, err)
	}
	_, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: r2.RequestId, SecurityResponses: answersFor(r2.SecurityChallenges)})
	if passbook.ErrorCode(err) != passbook.InvalidSecurityResponseNoRetry {
		t.Fatalf("no retry: %v", err)
	}
	_, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: r2.RequestId, SecurityResponses: answersFor(r2.SecurityChallenges)})
	if passbook.ErrorCode(err) != passbook.SessionNonexistent {
		t.Fatalf("after no retry: %v", err)
	}
}

func TestRequestsExpire(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	res := e.linkGreatday(t, false)
	e.clock.Add(29 * time.Minute)
	if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	e.clock.Add(2 * time.Minute)
	if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); passbook.ErrorCode(err) != passbook.SessionNonexistent {
		t.Fatalf("after expiry: %v", err)
	}
	// The login outlives its request: a cached Authorize opens a new session.
	c, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{LoginId: res.Login.Id, MostRecentCached: true})
	if err != nil || c.HTTPStatus != 200 || c.RequestId == res.RequestId || c.Login.Id != res.Login.Id {
		t.Fatalf("cached: %+v %v", c, err)
	}
	if _, err := e.svc.Authorize(ctx, e.other, passbook.AuthorizeRequest{LoginId: res.Login.Id, MostRecentCached: true}); passbook.ErrorCode(err) != passbook.InvalidLogin {
		t.Fatalf("other customer's cached login: %v", err)
	}
}

func TestSavedCredentialsAreEncrypted(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	res := e.linkGreatday(t, true)
	accts, err := e.db.Accounts(ctx, res.Login.Id)
	if err != nil || len(accts) == 0 {
		t.Fatal(accts, err)
	}
	// The password appears nowhere in the database file.
	if _, err := e.db.Write.ExecContext(ctx, "PRAGMA wal_checkpoint(FULL)"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{e.db.Path, e.db.Path + "-wal"} {
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(sandbox.Password)) {
			t.Fatalf("the password is in %s in clear", p)
		}
	}
	creds, ok, err := e.svc.SavedCredentials(ctx, e.customer.Id, res.Login.Id)
	if err != nil || !ok || creds.Password != sandbox.Password || creds.Username != "Greatday" {
		t.Fatalf("saved credentials: %+v %v %v", creds, ok, err)
	}
	// A live refresh with them (MostRecentCached false) asks the questions again and keeps the
	// LoginId and the account Ids.
	e.clock.Add(24 * time.Hour)
	r, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{LoginId: res.Login.Id})
	for err == nil && r.HTTPStatus == 203 {
		r, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: r.RequestId, SecurityResponses: answersFor(r.SecurityChallenges)})
	}
	if err != nil || r.Login.Id != res.Login.Id || !r.Login.LastRefresh.After(res.Login.LastRefresh) {
		t.Fatalf("refresh: %+v %v", r, err)
	}
	after, err := e.db.Accounts(ctx, res.Login.Id)
	if err != nil || len(after) != len(accts) || after[0].Id != accts[0].Id {
		t.Fatalf("account ids changed on refresh")
	}
	if after[0].Transactions[0].Date == accts[0].Transactions[0].Date {
		t.Fatalf("refresh did not move the history forward")
	}
	// A login linked without Save cannot be refreshed live.
	e2 := e.linkNoMFA(t)
	if _, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{LoginId: e2}); passbook.ErrorCode(err) != passbook.InvalidRequest {
		t.Fatalf("refresh without saved credentials: %v", err)
	}
	// Another key cannot open the saved credentials.
	other, err := authorize.New(authorize.Config{DB: e.db, Connectors: institution.NewRegistry(), Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.SavedCredentials(ctx, e.customer.Id, res.Login.Id); err == nil {
		t.Fatal("saved credentials opened with another key")
	}
}

func (e *env) linkNoMFA(t *testing.T) string {
	res, err := e.svc.Authorize(context.Background(), e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "greatday_nomfa", Password: sandbox.Password})
	if err != nil || res.HTTPStatus != 200 {
		t.Fatalf("nomfa: %+v %v", res, err)
	}
	return res.Login.Id
}

func TestPendingBecomesReady(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		user string
		code passbook.Code
	}{{"test_pending", passbook.OperationPending}, {"test_dispatched", passbook.OperationDispatched}} {
		res, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: tc.user, Password: sandbox.Password})
		if err != nil || res.HTTPStatus != 202 || res.Code != tc.code || res.Login == nil {
			t.Fatalf("%s: %+v %v", tc.user, res, err)
		}
		poll, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: res.RequestId})
		if err != nil || poll.HTTPStatus != 202 || poll.Code != tc.code {
			t.Fatalf("%s poll: %+v %v", tc.user, poll, err)
		}
		if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); passbook.ErrorCode(err) != tc.code {
			t.Fatalf("%s session while pending: %v", tc.user, err)
		}
		e.clock.Add(6 * time.Second)
		poll, err = e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{RequestId: res.RequestId})
		if err != nil || poll.HTTPStatus != 200 || poll.Login.Id != res.Login.Id {
			t.Fatalf("%s ready: %+v %v", tc.user, poll, err)
		}
		if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); err != nil {
			t.Fatalf("%s session when ready: %v", tc.user, err)
		}
	}
}

func TestUploadLoginsShareTheStore(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	l := &passbook.Login{Username: "Camille Tremblay", Institution: "Upload", Type: passbook.LoginUpload}
	if err := e.db.SaveLogin(ctx, e.customer.Id, l, passbook.LoginProcessing); err != nil || l.Id == "" {
		t.Fatal(l, err)
	}
	res, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{LoginId: l.Id, MostRecentCached: true})
	if err != nil || res.HTTPStatus != 200 {
		t.Fatalf("authorize upload login: %+v %v", res, err)
	}
	if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); passbook.ErrorCode(err) != passbook.OperationPending {
		t.Fatalf("processing upload: %v", err)
	}
	if err := e.db.SaveAccounts(ctx, l.Id, sandbox.MembershipAccounts("u", passbook.NewDate(2026, 2, 28))); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetLoginStatus(ctx, l.Id, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	if _, rec, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); err != nil || rec.Type != passbook.LoginUpload {
		t.Fatalf("ready upload: %v", err)
	}
	if err := e.db.SetLoginStatus(ctx, l.Id, passbook.LoginFailed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); passbook.ErrorCode(err) != passbook.AggregationError {
		t.Fatalf("failed upload: %v", err)
	}
	if err := e.svc.DeleteLogin(ctx, e.customer.Id, l.Id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Session(ctx, e.customer.Id, res.RequestId); passbook.ErrorCode(err) != passbook.SessionNonexistent {
		t.Fatalf("deleted login: %v", err)
	}
}

func TestAuthorizeTokens(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	tok, err := e.svc.NewAuthorizeToken(ctx, e.customer.Id)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.UseAuthorizeToken(ctx, e.other.Id, tok); passbook.ErrorCode(err) != passbook.Unauthorized {
		t.Fatalf("other customer's token: %v", err)
	}
	if err := e.svc.UseAuthorizeToken(ctx, e.customer.Id, tok); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := e.svc.UseAuthorizeToken(ctx, e.customer.Id, tok); passbook.ErrorCode(err) != passbook.Unauthorized {
		t.Fatalf("second use: %v", err)
	}
	old, _ := e.svc.NewAuthorizeToken(ctx, e.customer.Id)
	e.clock.Add(31 * time.Minute)
	if err := e.svc.UseAuthorizeToken(ctx, e.customer.Id, old); passbook.ErrorCode(err) != passbook.Unauthorized {
		t.Fatalf("expired token: %v", err)
	}
	if err := e.svc.UseAuthorizeToken(ctx, e.customer.Id, ""); passbook.ErrorCode(err) != passbook.Unauthorized {
		t.Fatalf("empty token: %v", err)
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := authorize.LoadKey(dir, "")
	if err != nil || len(k1) != 32 {
		t.Fatal(k1, err)
	}
	fi, err := os.Stat(filepath.Join(dir, authorize.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
	k2, err := authorize.LoadKey(dir, "")
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("the key changed between starts")
	}
	hexKey := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	k3, err := authorize.LoadKey(dir, hexKey)
	if err != nil || k3[31] != 0x1f {
		t.Fatal(k3, err)
	}
	for _, bad := range []string{"short", "AAAA", hexKey[:62]} {
		if _, err := authorize.LoadKey(dir, bad); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

func TestCredentialErrors(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		req  passbook.AuthorizeRequest
		want passbook.Code
	}{
		{passbook.AuthorizeRequest{Username: "Greatday", Password: "Everyday"}, passbook.InvalidRequest},
		{passbook.AuthorizeRequest{Institution: "Nowhere Bank", Username: "Greatday", Password: "Everyday"}, passbook.InvalidRequest},
		{passbook.AuthorizeRequest{Institution: sandbox.ClosedBank, Username: "Greatday", Password: "Everyday"}, passbook.DisabledInstitution},
		{passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "Greatday", Password: "nope"}, passbook.InvalidPassword},
		{passbook.AuthorizeRequest{LoginId: "00000000-0000-4000-8000-000000000000", MostRecentCached: true}, passbook.InvalidLogin},
		{passbook.AuthorizeRequest{RequestId: "00000000-0000-4000-8000-000000000000"}, passbook.SessionNonexistent},
	} {
		if _, err := e.svc.Authorize(ctx, e.customer, tc.req); passbook.ErrorCode(err) != tc.want {
			t.Errorf("%+v: %v, want %s", tc.req, err, tc.want)
		}
	}
}

// Simultaneous logins of the same username end in one login, not an error.
func TestConcurrentLoginsShareOneLogin(t *testing.T) {
	e := setup(t)
	var wg sync.WaitGroup
	ids := make([]string, 6)
	errs := make([]error, 6)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.svc.Authorize(context.Background(), e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "greatday_nomfa", Password: sandbox.Password, Save: i%2 == 0})
			if err == nil {
				ids[i] = res.Login.Id
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("login %d: %q %v (first %q)", i, ids[i], errs[i], ids[0])
		}
	}
	logins, err := e.db.Logins(context.Background(), e.customer.Id)
	if err != nil || len(logins) != 1 {
		t.Fatalf("%d logins: %v", len(logins), err)
	}
}

func TestOnLoginAnnouncesStoredLogins(t *testing.T) {
	type event struct {
		customer, login, status string
	}
	var mu sync.Mutex
	var events []event
	e := setup(t, func(_ context.Context, ev authorize.LoginEvent) {
		mu.Lock()
		events = append(events, event{ev.CustomerID, ev.Login.Id, ev.Status})
		mu.Unlock()
	})
	ctx := context.Background()
	res, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "Greatday", Password: sandbox.Password})
	if err != nil || res.HTTPStatus != 203 || len(events) != 0 {
		t.Fatalf("a 203 announced a login: %v %v", events, err)
	}
	done := e.linkGreatday(t, false)
	pending, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "test_pending", Password: sandbox.Password})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "test_unauthorized", Password: "x"}); err == nil {
		t.Fatal("test_unauthorized succeeded")
	}
	// A failed refresh of an existing login is announced with its LoginId; a failure without a
	// login with none.
	if _, err := e.svc.Authorize(ctx, e.customer, passbook.AuthorizeRequest{Institution: "FlinksCapital", Username: "Greatday", Password: "wrong"}); err == nil {
		t.Fatal("wrong password succeeded")
	}
	want := []event{{e.customer.Id, done.Login.Id, passbook.LoginReady}, {e.customer.Id, pending.Login.Id, passbook.LoginProcessing},
		{e.customer.Id, "", passbook.LoginFailed}, {e.customer.Id, done.Login.Id, passbook.LoginFailed}}
	if len(events) != len(want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events %v, want %v", events, want)
		}
	}
}
