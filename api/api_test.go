package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/sqlite"
)

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

// exchange is one request and its response, kept to check them against the OpenAPI document.
type exchange struct {
	method, route string // route: the OpenAPI path template
	status        int
	body          []byte
}

type env struct {
	t        testing.TB
	url      string
	handler  http.Handler
	db       *sqlite.DB
	clock    *clock
	customer string
	apiKey   string
	secret   string
	mu       sync.Mutex
	seen     []exchange
	record   bool
}

type options struct {
	burst int
}

func setup(t testing.TB, opts ...options) *env {
	t.Helper()
	o := options{burst: 1000}
	if len(opts) > 0 {
		o = opts[0]
	}
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
	svc, err := authorize.New(authorize.Config{DB: db, Connectors: reg, Key: key, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, keys, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(api.Config{DB: db, Auth: svc, Now: clk.Now, AuthorizeRate: 1, AuthorizeBurst: o.burst,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		Log:            nil, Statements: sandboxStatements}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, handler: mux, db: db, clock: clk, customer: c.Id, apiKey: keys.APIKey, secret: keys.Secret, record: true}
}

// sandboxStatements serves the sandbox's monthly statements of a linked login's accounts, as
// the server wires it (uploads are not part of these tests).
func sandboxStatements(_ context.Context, rec *passbook.LoginRecord, accts []passbook.Account, months int) ([]api.AccountStatements, error) {
	var out []api.AccountStatements
	for _, a := range accts {
		g := api.AccountStatements{AccountId: a.Id, AccountNumber: a.AccountNumber}
		for _, st := range sandbox.MonthlyStatements(rec.Institution, a, months, passbook.DateOf(rec.LastRefresh)) {
			g.Statements = append(g.Statements, api.StatementFile{UniqueId: a.Id + st.Start.ISO(), FileName: st.Start.ISO() + ".pdf", Start: st.Start, End: st.End, Data: st.PDF})
		}
		out = append(out, g)
	}
	return out, nil
}

// call sends a request and decodes the JSON response into a map. route names the OpenAPI path
// (with {customerId}) the request is for; "" when none.
func (e *env) call(method, route, path string, headers map[string]string, body string) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Fatalf("%s %s: Content-Type %q: %s", method, path, ct, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		e.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
	}
	if hs, ok := m["HttpStatusCode"].(float64); !ok || int(hs) != resp.StatusCode {
		e.t.Fatalf("%s %s: HttpStatusCode %v in a %d response", method, path, m["HttpStatusCode"], resp.StatusCode)
	}
	if route != "" && e.record {
		e.mu.Lock()
		e.seen = append(e.seen, exchange{method, route, resp.StatusCode, raw})
		e.mu.Unlock()
	}
	return resp.StatusCode, m
}

const bs = "/v3/{customerId}/BankingServices/"

func (e *env) p(endpoint string) string { return "/v3/" + e.customer + "/BankingServices/" + endpoint }

func (e *env) token() string {
	e.t.Helper()
	st, m := e.call("POST", bs+"GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), map[string]string{"flinks-auth-key": e.secret}, "")
	if st != 200 || m["Token"] == "" {
		e.t.Fatalf("GenerateAuthorizeToken: %d %v", st, m)
	}
	return m["Token"].(string)
}

func (e *env) authorize(body string) (int, map[string]any) {
	e.t.Helper()
	return e.call("POST", bs+"Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": e.token()}, body)
}

func (e *env) data(endpoint, body string) (int, map[string]any) {
	e.t.Helper()
	return e.call("POST", bs+endpoint, e.p(endpoint), map[string]string{"x-api-key": e.apiKey}, body)
}

func (e *env) async(endpoint, rid string) (int, map[string]any) {
	e.t.Helper()
	return e.call("GET", bs+endpoint+"/{requestId}", e.p(endpoint+"/"+rid), map[string]string{"x-api-key": e.apiKey}, "")
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// answers returns the right answers to a 203's SecurityChallenges.
func answers(m map[string]any) map[string][]string {
	known := map[string]string{sandbox.QuestionCity.Prompt: "Montreal", sandbox.QuestionCountry.Prompt: "Canada", sandbox.QuestionShape.Prompt: "Triangle"}
	out := map[string][]string{}
	for _, c := range m["SecurityChallenges"].([]any) {
		p := c.(map[string]any)["Prompt"].(string)
		out[p] = []string{known[p]}
	}
	return out
}

// linkGreatday authorizes Greatday through its questions and returns the 200's RequestId and LoginId.
func (e *env) linkGreatday() (rid, loginID string) {
	e.t.Helper()
	st, m := e.authorize(`{"Institution":"FlinksCapital","Username":"Greatday","Password":"Everyday","Save":true}`)
	steps := 0
	for st == 203 {
		steps++
		if links := m["Links"].([]any); len(links) == 0 {
			e.t.Fatal("203 without Links")
		}
		st, m = e.authorize(js(map[string]any{"RequestId": m["RequestId"], "SecurityResponses": answers(m)}))
	}
	if st != 200 || steps != 2 {
		e.t.Fatalf("Greatday: %d after %d question steps: %v", st, steps, m)
	}
	login := m["Login"].(map[string]any)
	if login["Username"] != "Greatday" || m["Institution"] != "FlinksCapital" || login["Type"] != "Personal" {
		e.t.Fatalf("login: %v", m)
	}
	return m["RequestId"].(string), login["Id"].(string)
}

func accounts(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, a := range m["Accounts"].([]any) {
		out = append(out, a.(map[string]any))
	}
	return out
}

func txs(a map[string]any) []map[string]any {
	var out []map[string]any
	for _, t := range a["Transactions"].([]any) {
		out = append(out, t.(map[string]any))
	}
	return out
}

func TestLinkThenGetAccountsDetail(t *testing.T) {
	e := setup(t)
	rid, loginID := e.linkGreatday()
	today := passbook.DateOf(e.clock.Now())

	st, m := e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid}))
	if st != 200 || m["RequestId"] != rid || m["Institution"] != "FlinksCapital" || m["Login"].(map[string]any)["Id"] != loginID {
		t.Fatalf("GetAccountsDetail: %d %v", st, m["Login"])
	}
	accts := accounts(m)
	if len(accts) != 6 {
		t.Fatalf("%d accounts", len(accts))
	}
	oldest90 := today.AddDays(-89)
	n90 := 0
	for _, a := range accts {
		if a["Holder"] == nil || a["Balance"].(map[string]any)["Current"] == nil {
			t.Fatalf("account without holder or balance: %v", a["Title"])
		}
		for _, tx := range txs(a) {
			d, err := passbook.ParseDate(tx["Date"].(string))
			if err != nil || d.Before(oldest90) || d.After(today) {
				t.Fatalf("Days90 (the default) gave a transaction of %s", tx["Date"])
			}
			n90++
		}
	}
	// Days365 gives more, back to a year ago; amounts are numbers with cents.
	_, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"}))
	chq := accounts(m)[0]
	all := txs(chq)
	if len(all) < 150 || all[len(all)-1]["Date"].(string) > oldest90.String() {
		t.Fatalf("Days365: %d transactions, oldest %v", len(all), all[len(all)-1]["Date"])
	}
	n365 := 0
	for _, a := range accounts(m) {
		n365 += len(txs(a))
	}
	if n365 <= n90 {
		t.Fatalf("Days365 %d transactions, Days90 %d", n365, n90)
	}
	// The running balance of the newest transaction is the account's current balance.
	if all[0]["Balance"] != chq["Balance"].(map[string]any)["Current"] {
		t.Fatalf("balance %v vs %v", all[0]["Balance"], chq["Balance"])
	}

	// AccountsFilter, DateFrom/DateTo, and the With* switches.
	card := accounts(m)[2]
	from, to := today.AddDays(-40), today.AddDays(-10)
	_, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "AccountsFilter": []string{card["Id"].(string)},
		"DateFrom": from.String(), "DateTo": to.ISO(), "WithKYC": false, "WithBalance": "false"}))
	got := accounts(m)
	if len(got) != 1 || got[0]["Id"] != card["Id"] || got[0]["Type"] != "CreditCard" || got[0]["Holder"] != nil {
		t.Fatalf("filtered: %v", got)
	}
	if b := got[0]["Balance"].(map[string]any); b["Current"] != nil || b["Available"] != nil {
		t.Fatalf("WithBalance false kept %v", b)
	}
	if len(txs(got[0])) == 0 {
		t.Fatal("no card transactions between DateFrom and DateTo")
	}
	for _, tx := range txs(got[0]) {
		if d, _ := passbook.ParseDate(tx["Date"].(string)); d.Before(from) || d.After(to) {
			t.Fatalf("transaction of %s outside %s..%s", tx["Date"], from, to)
		}
	}
	_, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "WithTransactions": false}))
	for _, a := range accounts(m) {
		if len(txs(a)) != 0 {
			t.Fatal("WithTransactions false returned transactions")
		}
	}

	// Summary: the same accounts, no transactions.
	st, m = e.data("GetAccountsSummary", js(map[string]any{"RequestId": rid}))
	if st != 200 || len(accounts(m)) != 6 || accounts(m)[0]["Transactions"] != nil || accounts(m)[0]["Id"] != accts[0]["Id"] {
		t.Fatalf("summary: %d %v", st, m)
	}
	// Async on a finished request answers like the last GetAccountsDetail made with it (the one
	// with WithTransactions false).
	st, m = e.async("GetAccountsDetailAsync", rid)
	if st != 200 || len(accounts(m)) != 6 || len(txs(accounts(m)[0])) != 0 {
		t.Fatalf("async: %d", st)
	}
	st, _ = e.async("GetAccountsSummaryAsync", rid)
	if st != 200 {
		t.Fatalf("summary async: %d", st)
	}

	// A cached session on the login gives the same accounts under a new RequestId.
	st, m = e.authorize(js(map[string]any{"LoginId": loginID, "MostRecentCached": true}))
	if st != 200 || m["RequestId"] == rid {
		t.Fatalf("cached Authorize: %d %v", st, m)
	}
	st, m2 := e.data("GetAccountsDetail", js(map[string]any{"RequestId": m["RequestId"]}))
	if st != 200 || accounts(m2)[1]["Id"] != accts[1]["Id"] {
		t.Fatalf("cached data: %d", st)
	}

	// AuthorizeMultiple opens sessions on several logins and lists the unknown ones.
	_, m = e.authorize(`{"Institution":"FlinksCapital","Username":"greatday_nomfa","Password":"Everyday"}`)
	second := m["Login"].(map[string]any)["Id"].(string)
	st, m = e.call("POST", bs+"AuthorizeMultiple", e.p("AuthorizeMultiple"), map[string]string{"flinks-auth-key": e.secret},
		js(map[string]any{"LoginIds": []string{loginID, second, "00000000-0000-4000-8000-000000000000"}, "MostRecentCached": true}))
	valid, _ := m["ValidLoginIds"].([]any)
	invalid, _ := m["InvalidLoginIds"].([]any)
	if st != 200 || len(valid) != 2 || len(invalid) != 1 {
		t.Fatalf("AuthorizeMultiple: %d %v", st, m)
	}
	rid2 := valid[1].(map[string]any)["RequestId"].(string)
	if st, m := e.data("GetAccountsSummary", js(map[string]any{"RequestId": rid2})); st != 200 || m["Login"].(map[string]any)["Id"] != second {
		t.Fatalf("session from AuthorizeMultiple: %d %v", st, m)
	}

	// DeleteCard removes the login: its sessions end and the LoginId is unknown.
	st, m = e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), map[string]string{"x-api-key": e.apiKey}, "")
	if st != 200 || m["LoginId"] != loginID {
		t.Fatalf("DeleteCard: %d %v", st, m)
	}
	if st, m := e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid})); st != 400 || m["FlinksCode"] != "SESSION_NONEXISTENT" {
		t.Fatalf("after DeleteCard: %d %v", st, m)
	}
	if st, m := e.authorize(js(map[string]any{"LoginId": loginID, "MostRecentCached": true})); st != 401 || m["FlinksCode"] != "INVALID_LOGIN" {
		t.Fatalf("deleted LoginId: %d %v", st, m)
	}
	if st, m := e.call("DELETE", bs+"DeleteCard/{loginId}", e.p("DeleteCard/"+loginID), map[string]string{"x-api-key": e.apiKey}, ""); st != 401 || m["FlinksCode"] != "INVALID_LOGIN" {
		t.Fatalf("DeleteCard twice: %d %v", st, m)
	}
}

func TestPendingThenPollThenReady(t *testing.T) {
	e := setup(t)
	for _, tc := range []struct{ user, code string }{{"test_pending", "OPERATION_PENDING"}, {"test_dispatched", "OPERATION_DISPATCHED"}} {
		st, m := e.authorize(js(map[string]any{"Institution": "FlinksCapital", "Username": tc.user, "Password": "Everyday"}))
		if st != 202 || m["FlinksCode"] != tc.code || m["RequestId"] == "" || m["Login"] == nil {
			t.Fatalf("%s: %d %v", tc.user, st, m)
		}
		rid := m["RequestId"].(string)
		st, m = e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"}))
		if st != 202 || m["FlinksCode"] != tc.code || m["RequestId"] != rid {
			t.Fatalf("%s GetAccountsDetail: %d %v", tc.user, st, m)
		}
		href := m["Links"].([]any)[0].(map[string]any)["href"].(string)
		if href != e.p("GetAccountsDetailAsync/"+rid) {
			t.Fatalf("async link %q", href)
		}
		st, _ = e.call("GET", bs+"GetAccountsDetailAsync/{requestId}", href, map[string]string{"x-api-key": e.apiKey}, "")
		if st != 202 {
			t.Fatalf("%s first poll: %d", tc.user, st)
		}
		st, m = e.data("GetAccountsSummary", js(map[string]any{"RequestId": rid}))
		if st != 202 || !strings.HasSuffix(m["Links"].([]any)[0].(map[string]any)["href"].(string), "GetAccountsSummaryAsync/"+rid) {
			t.Fatalf("%s summary: %d %v", tc.user, st, m)
		}
		if st, _ := e.async("GetAccountsSummaryAsync", rid); st != 202 {
			t.Fatalf("%s summary poll: %d", tc.user, st)
		}
		e.clock.Add(6 * time.Second)
		// The poll answers with the options of the call that got the 202 (Days365 here, as the
		// summary call did not change them).
		st, m = e.call("GET", bs+"GetAccountsDetailAsync/{requestId}", href, map[string]string{"x-api-key": e.apiKey}, "")
		if st != 200 || len(accounts(m)) != 6 {
			t.Fatalf("%s ready: %d %v", tc.user, st, m)
		}
		chq := txs(accounts(m)[0])
		if d, _ := passbook.ParseDate(chq[len(chq)-1]["Date"].(string)); d.After(passbook.DateOf(e.clock.Now()).AddDays(-300)) {
			t.Fatalf("%s: poll did not keep Days365 (oldest %s)", tc.user, d)
		}
		if st, m := e.authorize(js(map[string]any{"RequestId": rid})); st != 200 || m["Login"] == nil {
			t.Fatalf("%s Authorize poll when ready: %d %v", tc.user, st, m)
		}
	}
}

func TestUploadLoginIsServedLikeALinkedOne(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	l := &passbook.Login{Username: "Camille Tremblay", Institution: "Upload", Type: passbook.LoginUpload}
	if err := e.db.SaveLogin(ctx, e.customer, l, passbook.LoginProcessing); err != nil {
		t.Fatal(err)
	}
	st, m := e.authorize(js(map[string]any{"LoginId": l.Id, "MostRecentCached": true}))
	if st != 200 {
		t.Fatalf("Authorize: %d %v", st, m)
	}
	rid := m["RequestId"].(string)
	if st, m := e.data("GetAccountsDetail", js(map[string]any{"RequestId": rid})); st != 202 || m["FlinksCode"] != "OPERATION_PENDING" {
		t.Fatalf("processing: %d %v", st, m)
	}
	// Statements from long ago: all their transactions are served, not only the last 90 days.
	accts := sandbox.MembershipAccounts("upload", passbook.NewDate(2025, 6, 30))
	if err := e.db.SaveAccounts(ctx, l.Id, accts); err != nil {
		t.Fatal(err)
	}
	docs := []passbook.Document{{FileName: "releve-2025-06.pdf", Pages: 3, Status: "processed",
		Authenticity: &passbook.Authenticity{Verdict: passbook.Review, Score: 40, Signals: []passbook.Signal{{Code: "FONT_MISMATCH", Severity: passbook.Medium, Page: 2, Detail: "two fonts in one amount"}}}}}
	if err := e.db.SaveLoginDocuments(ctx, l.Id, docs); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetLoginStatus(ctx, l.Id, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	st, m = e.async("GetAccountsDetailAsync", rid)
	if st != 200 || len(accounts(m)) != 3 || len(txs(accounts(m)[1])) != len(accts[1].Transactions) {
		t.Fatalf("ready: %d %v", st, m)
	}
	d := m["Documents"].([]any)[0].(map[string]any)
	if d["FileName"] != "releve-2025-06.pdf" || d["Authenticity"].(map[string]any)["Verdict"] != "review" {
		t.Fatalf("documents: %v", d)
	}
	if m["Login"].(map[string]any)["Type"] != "Upload" {
		t.Fatalf("login type: %v", m["Login"])
	}
}

func TestLoginErrorsThroughTheAPI(t *testing.T) {
	e := setup(t)
	for _, info := range passbook.LoginErrors() {
		u, ok := sandbox.TestUserFor(info.Code)
		if !ok {
			t.Fatalf("no test user for %s", info.Code)
		}
		st, m := e.authorize(js(map[string]any{"Institution": "FlinksCapital", "Username": u.Username, "Password": "Everyday"}))
		if u.MFA {
			if st != 203 {
				t.Fatalf("%s: %d %v", u.Username, st, m)
			}
			st, m = e.authorize(js(map[string]any{"RequestId": m["RequestId"], "SecurityResponses": answers(m)}))
		}
		if st != info.HTTPStatus || m["FlinksCode"] != string(info.Code) || m["Message"] == "" {
			t.Errorf("%s: %d %v, want %d %s", u.Username, st, m, info.HTTPStatus, info.Code)
		}
	}
	if st, m := e.authorize(`{"Institution":"Sandbox Closed Bank","Username":"Greatday","Password":"Everyday"}`); st != 405 || m["FlinksCode"] != "DISABLED_INSTITUTION" {
		t.Fatalf("closed bank: %d %v", st, m)
	}
}

func TestBadInputsGetClear4xx(t *testing.T) {
	e := setup(t)
	rid, _ := e.linkGreatday()
	used := e.token()
	if st, _ := e.call("POST", bs+"Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": used}, `{"LoginId":"x","MostRecentCached":true}`); st != 401 {
		t.Fatalf("setup: %d", st)
	}
	expired := e.token()
	e.clock.Add(31 * time.Minute) // the token and the RequestId expire
	api := map[string]string{"x-api-key": e.apiKey}
	sec := map[string]string{"flinks-auth-key": e.secret}
	big := `{"RequestId":"` + strings.Repeat("a", 2<<20) + `"}`
	other := "/v3/00000000-0000-4000-8000-000000000000/BankingServices/"
	cases := []struct {
		name, method, route, path string
		headers                   map[string]string
		body                      string
		status                    int
		code                      string
		msg                       string // a word the message must contain
	}{
		{"malformed JSON", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":`, 400, "INVALID_REQUEST", "JSON"},
		{"not an object", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `[1,2]`, 400, "INVALID_REQUEST", "object"},
		{"trailing data", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x"} {}`, 400, "INVALID_REQUEST", "after"},
		{"empty body", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, ``, 400, "INVALID_REQUEST", "empty"},
		{"wrong type", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":42}`, 400, "INVALID_REQUEST", "RequestId"},
		{"wrong bool", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x","WithTransactions":"maybe"}`, 400, "INVALID_REQUEST", "boolean"},
		{"wrong array", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x","AccountsFilter":"abc"}`, 400, "INVALID_REQUEST", "AccountsFilter"},
		{"bad days", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x","DaysOfTransactions":"Days7"}`, 400, "INVALID_REQUEST", "Days90"},
		{"bad date", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x","DateFrom":"yesterday"}`, 400, "INVALID_REQUEST", "DateFrom"},
		{"dates reversed", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"x","DateFrom":"2026/02/01","DateTo":"2026/01/01"}`, 400, "INVALID_REQUEST", "DateFrom"},
		{"no RequestId", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{}`, 400, "INVALID_REQUEST", "RequestId"},
		{"unknown RequestId", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, `{"RequestId":"00000000-0000-4000-8000-000000000000"}`, 400, "SESSION_NONEXISTENT", "RequestId"},
		{"expired RequestId", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, js(map[string]string{"RequestId": rid}), 400, "SESSION_NONEXISTENT", "expired"},
		{"expired RequestId async", "GET", bs + "GetAccountsDetailAsync/{requestId}", e.p("GetAccountsDetailAsync/" + rid), api, "", 400, "SESSION_NONEXISTENT", "expired"},
		{"unknown RequestId summary async", "GET", bs + "GetAccountsSummaryAsync/{requestId}", e.p("GetAccountsSummaryAsync/nope"), api, "", 400, "SESSION_NONEXISTENT", "RequestId"},
		{"too large", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, big, 413, "PAYLOAD_TOO_LARGE", "bytes"},
		{"missing x-api-key", "POST", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), nil, `{"RequestId":"x"}`, 401, "UNAUTHORIZED", "x-api-key"},
		{"wrong x-api-key", "POST", bs + "GetAccountsSummary", e.p("GetAccountsSummary"), map[string]string{"x-api-key": e.secret}, `{"RequestId":"x"}`, 401, "UNAUTHORIZED", "x-api-key"},
		{"key of another customer", "POST", "", other + "GetAccountsDetail", api, `{"RequestId":"x"}`, 401, "UNAUTHORIZED", "x-api-key"},
		{"DeleteCard without key", "DELETE", bs + "DeleteCard/{loginId}", e.p("DeleteCard/x"), nil, "", 401, "UNAUTHORIZED", "x-api-key"},
		{"token without secret", "POST", bs + "GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), nil, "", 401, "ACCESS_DENIED", "flinks-auth-key"},
		{"token with the API key", "POST", bs + "GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), map[string]string{"flinks-auth-key": e.apiKey}, "", 401, "ACCESS_DENIED", "secret"},
		{"Authorize without key", "POST", bs + "Authorize", e.p("Authorize"), nil, `{"LoginId":"x"}`, 401, "ACCESS_DENIED", "flinks-auth-key"},
		{"Authorize wrong key", "POST", bs + "Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": "guess"}, `{"LoginId":"x"}`, 401, "ACCESS_DENIED", "invalid"},
		{"reused token", "POST", bs + "Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": used}, `{"LoginId":"x"}`, 401, "ACCESS_DENIED", "already used"},
		{"expired token", "POST", bs + "Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": expired}, `{"LoginId":"x"}`, 401, "ACCESS_DENIED", "expired"},
		{"unknown customer", "POST", "", other + "Authorize", sec, `{"LoginId":"x"}`, 401, "ACCESS_DENIED", "flinks-auth-key"},
		{"Authorize malformed", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"Username":`, 400, "INVALID_REQUEST", "JSON"},
		{"Authorize wrong type", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"Username":["a"],"Password":"b"}`, 400, "INVALID_REQUEST", "Username"},
		{"Authorize bad answers", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"RequestId":"x","SecurityResponses":{"q":7}}`, 400, "INVALID_REQUEST", "SecurityResponses"},
		{"Authorize nothing", "POST", bs + "Authorize", e.p("Authorize"), sec, `{}`, 400, "INVALID_REQUEST", "LoginId"},
		{"Authorize unknown institution", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"Institution":"Nope","Username":"a","Password":"b"}`, 400, "INVALID_REQUEST", "Institution"},
		{"Authorize unknown LoginId", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"LoginId":"nope","MostRecentCached":true}`, 401, "INVALID_LOGIN", "LoginId"},
		{"Authorize unknown RequestId", "POST", bs + "Authorize", e.p("Authorize"), sec, `{"RequestId":"nope"}`, 400, "SESSION_NONEXISTENT", "RequestId"},
		{"Authorize expired RequestId", "POST", bs + "Authorize", e.p("Authorize"), sec, js(map[string]string{"RequestId": rid}), 400, "SESSION_NONEXISTENT", "RequestId"},
		{"AuthorizeMultiple none", "POST", bs + "AuthorizeMultiple", e.p("AuthorizeMultiple"), sec, `{"LoginIds":[]}`, 400, "INVALID_REQUEST", "LoginIds"},
		{"AuthorizeMultiple wrong type", "POST", bs + "AuthorizeMultiple", e.p("AuthorizeMultiple"), sec, `{"LoginIds":"a"}`, 400, "INVALID_REQUEST", "LoginIds"},
		{"AuthorizeMultiple too many", "POST", bs + "AuthorizeMultiple", e.p("AuthorizeMultiple"), sec, js(map[string][]string{"LoginIds": make([]string, 101)}), 400, "INVALID_REQUEST", "100"},
		{"unknown endpoint", "POST", "", e.p("GetEverything"), api, `{}`, 404, "NOT_FOUND", "endpoint"},
		{"wrong method", "GET", bs + "GetAccountsDetail", e.p("GetAccountsDetail"), api, ``, 405, "METHOD_NOT_ALLOWED", "POST"},
	}
	for _, c := range cases {
		st, m := e.call(c.method, c.route, c.path, c.headers, c.body)
		msg, _ := m["Message"].(string)
		if st != c.status || m["FlinksCode"] != c.code || !strings.Contains(strings.ToLower(msg), strings.ToLower(c.msg)) {
			t.Errorf("%s: %d %v, want %d %s mentioning %q", c.name, st, m, c.status, c.code, c.msg)
		}
	}
}

func TestAuthorizeIsRateLimitedPerKey(t *testing.T) {
	e := setup(t, options{burst: 3})
	sec := map[string]string{"flinks-auth-key": e.secret}
	for i := 0; i < 3; i++ {
		if st, m := e.call("POST", bs+"Authorize", e.p("Authorize"), sec, `{"LoginId":"x","MostRecentCached":true}`); st != 401 {
			t.Fatalf("call %d: %d %v", i, st, m)
		}
	}
	st, m := e.call("POST", bs+"Authorize", e.p("Authorize"), sec, `{"LoginId":"x","MostRecentCached":true}`)
	if st != 429 || m["FlinksCode"] != "TOO_MANY_REQUESTS" {
		t.Fatalf("4th call: %d %v", st, m)
	}
	// Wrong keys spend their own address's budget, not the customer's.
	if st, _ := e.call("POST", bs+"Authorize", e.p("Authorize"), map[string]string{"flinks-auth-key": "guess"}, `{}`); st != 401 {
		t.Fatalf("guess: %d", st)
	}
	// The data endpoints are not limited by Authorize's budget.
	if st, _ := e.data("GetAccountsDetail", `{"RequestId":"x"}`); st != 400 {
		t.Fatalf("data endpoint: %d", st)
	}
	// GenerateAuthorizeToken has a budget of its own.
	for i := 0; i < 3; i++ {
		e.token()
	}
	if st, m := e.call("POST", bs+"GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), sec, ""); st != 429 || m["FlinksCode"] != "TOO_MANY_REQUESTS" {
		t.Fatalf("4th token: %d %v", st, m)
	}
	e.clock.Add(2 * time.Second) // 1 per second refills two calls
	for i := 0; i < 2; i++ {
		if st, _ := e.call("POST", bs+"Authorize", e.p("Authorize"), sec, `{"LoginId":"x","MostRecentCached":true}`); st != 401 {
			t.Fatalf("after refill %d: %d", i, st)
		}
	}
	if st, _ := e.call("POST", bs+"Authorize", e.p("Authorize"), sec, `{"LoginId":"x","MostRecentCached":true}`); st != 429 {
		t.Fatalf("after refill, 3rd: %d", st)
	}
}

// TestStrangersCannotLockOutACustomer floods Authorize and GenerateAuthorizeToken with wrong keys
// from one address (behind the trusted proxy): the flood is refused with 429 and Retry-After once
// its address's budget is spent, while the customer's own calls from another address all pass.
func TestStrangersCannotLockOutACustomer(t *testing.T) {
	e := setup(t, options{burst: 5})
	stranger := func(key string) map[string]string {
		return map[string]string{"flinks-auth-key": key, "X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
	}
	limited := 0
	for i := range 40 {
		st, m := e.call("POST", bs+"Authorize", e.p("Authorize"), stranger(fmt.Sprint("guess-", i)), `{}`)
		switch {
		case st == 429 && m["FlinksCode"] == "TOO_MANY_REQUESTS":
			limited++
		case st != 401:
			t.Fatalf("guess %d: %d %v", i, st, m)
		}
		e.call("POST", bs+"GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), stranger("wrong"), "")
	}
	// The address's five failures are shared by both calls: three guesses got through.
	if limited != 40-3 {
		t.Fatalf("%d of 40 guesses limited, want 37", limited)
	}
	req, _ := http.NewRequest("POST", e.url+bs+"Authorize", strings.NewReader(`{}`))
	req.Header.Set("flinks-auth-key", "guess")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("flooding address: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The customer, from its own server, is not affected: its calls use its own budget.
	own := map[string]string{"flinks-auth-key": e.secret, "X-Forwarded-For": "192.0.2.10"}
	for i := range 5 {
		if st, m := e.call("POST", bs+"Authorize", e.p("Authorize"), own, `{"LoginId":"x","MostRecentCached":true}`); st != 401 || m["FlinksCode"] == "TOO_MANY_REQUESTS" {
			t.Fatalf("customer's call %d during the flood: %d %v", i, st, m)
		}
	}
	if st, _ := e.call("POST", bs+"GenerateAuthorizeToken", e.p("GenerateAuthorizeToken"), own, ""); st != 200 {
		t.Fatalf("customer's GenerateAuthorizeToken during the flood: %d", st)
	}
	// An untrusted peer cannot pick its address with X-Forwarded-For.
	if got := api.ClientAddr(&http.Request{RemoteAddr: "192.0.2.1:5000", Header: http.Header{"X-Forwarded-For": {"10.0.0.1"}}}, nil); got != "192.0.2.1" {
		t.Fatalf("untrusted peer: %s", got)
	}
}

func TestWriteErrorHidesInternalCauses(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/x", nil)
	api.WriteError(rec, req, &passbook.Error{Code: passbook.AggregationError, Err: io.ErrUnexpectedEOF})
	var b api.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || rec.Code != 500 || b.FlinksCode != passbook.AggregationError || strings.Contains(rec.Body.String(), "EOF") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	api.WriteError(rec, req, io.ErrClosedPipe)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "pipe") || !strings.Contains(rec.Body.String(), "INTERNAL_ERROR") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	api.WriteError(rec, req, passbook.Errorf(passbook.InvalidPassword, ""))
	if rec.Code != 401 || !bytes.Contains(rec.Body.Bytes(), []byte(`"FlinksCode":"INVALID_PASSWORD"`)) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}
