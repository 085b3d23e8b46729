package dashboard

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/sqlite"
)

type fixture struct {
	srv *httptest.Server
	db  *sqlite.DB
	c   *passbook.Customer
	now time.Time
	h   *Handler
}

const testPassword = "correct horse battery"

func newFixture(t *testing.T, mod ...func(*Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, _, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, c: c, now: time.Now()}
	cfg := Config{DB: db, Now: func() time.Time { return f.now }}
	for _, m := range mod {
		m(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	mux := http.NewServeMux()
	h.Register(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	for _, u := range []struct{ email, role string }{
		{"ada@lender.example", passbook.RoleAdmin}, {"ann@lender.example", passbook.RoleAnalyst}, {"rob@lender.example", passbook.RoleReadOnly},
	} {
		if err := db.CreateStaffUser(ctx, &passbook.StaffUser{CustomerID: c.Id, Email: u.email, Name: strings.Split(u.email, "@")[0],
			Role: u.role, PasswordHash: HashPassword(testPassword)}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// client returns an HTTP client with a cookie jar that sends Origin like a browser's form post.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: originTransport{f.srv.URL}}
}

type originTransport struct{ origin string }

func (o originTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && r.Header.Get("Origin") == "" {
		r.Header.Set("Origin", o.origin)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func (f *fixture) signIn(t *testing.T, c *http.Client, email, password string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(f.srv.URL+"/dashboard/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (f *fixture) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body(t, resp)
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seedUpload stores an Upload login with one forged document and one account.
func (f *fixture) seedUpload(t *testing.T, customerID string) *passbook.Login {
	t.Helper()
	ctx := context.Background()
	login := &passbook.Login{Username: "greatday", Institution: "FlinksCapital", Type: passbook.LoginUpload}
	if err := f.db.SaveLogin(ctx, customerID, login, passbook.LoginReady); err != nil {
		t.Fatal(err)
	}
	docs := []passbook.Document{{FileName: "march.pdf", Pages: 2, Status: "read", SHA256: "ab", Authenticity: &passbook.Authenticity{
		Verdict: passbook.Fail, Score: 90, Signals: []passbook.Signal{{Code: "TEXT_OVER_FILLED_RECT", Severity: passbook.High, Page: 1,
			Box: &passbook.Box{X0: 10, Y0: 20, X1: 60, Y1: 30}, Detail: "new amount typed over a white box \x01"}}}}}
	if err := f.db.SaveLoginDocuments(ctx, login.Id, docs); err != nil {
		t.Fatal(err)
	}
	acct := passbook.Account{Title: "Chequing", AccountNumber: "000123456789", Type: "Chequing", Currency: "CAD",
		Holder:  &passbook.Holder{Name: "Jeanne Tremblay", Address: passbook.Address{CivicAddress: "1 rue Principale", City: "Montréal"}},
		Balance: passbook.Balance{Current: passbook.M(1399676)},
		Transactions: []passbook.Transaction{
			{Id: "t2", Date: passbook.NewDate(2026, 3, 20), Description: "=HYPERLINK(\"x\") Rent", Debit: passbook.M(120000), Balance: passbook.M(1399676)},
			{Id: "t1", Date: passbook.NewDate(2026, 2, 3), Description: "Payroll Café", Credit: passbook.M(250000), Balance: passbook.M(1519676)},
		}}
	if err := f.db.SaveAccounts(ctx, login.Id, []passbook.Account{acct}); err != nil {
		t.Fatal(err)
	}
	return login
}

func TestSignInShowsLogins(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	login := f.seedUpload(t, f.c.Id)
	c := f.client(t)

	// Without a session: the sign-in page, 401.
	resp, b := f.get(t, c, "/dashboard/")
	if resp.StatusCode != 401 || !strings.Contains(b, `name="password"`) {
		t.Fatalf("anonymous: %d %s", resp.StatusCode, b)
	}
	// The customer's API key is no password for people; a wrong password does not sign in.
	if b := body(t, f.signIn(t, c, "ada@lender.example", "wrong password!")); !strings.Contains(b, "do not match") {
		t.Fatalf("wrong password: %s", b)
	}
	resp = f.signIn(t, c, "ADA@lender.example ", testPassword)
	b = body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(b, login.Id) || !strings.Contains(b, `verdict fail`) || !strings.Contains(b, "Jeanne Tremblay") ||
		!strings.Contains(b, "$13,996.76") {
		t.Fatalf("signed in: %d %s", resp.StatusCode, b)
	}
	// The login at a glance, in French when the browser asks for it.
	req, _ := http.NewRequest("GET", f.srv.URL+"/dashboard/logins/"+login.Id, nil)
	req.Header.Set("Accept-Language", "fr-CA,fr;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b = body(t, resp)
	for _, want := range []string{"march.pdf", "risk score 90/100", "Jeanne Tremblay", "1 rue Principale", "13\u202f996,76\u00a0$",
		`<svg class="chart"`, "Payroll Café", "20/03/2026"} {
		if !strings.Contains(b, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	if strings.ContainsRune(b, '\x01') {
		t.Error("a control character reached the page")
	}
	// Transactions filter by amount and description.
	_, b = f.get(t, c, "/dashboard/logins/"+login.Id+"?min=2000&max=3000")
	if !strings.Contains(b, "Payroll") || strings.Contains(b, "Rent") {
		t.Errorf("amount filter: %s", b)
	}
	// Another customer's login is not found.
	other := &passbook.Customer{Name: "Other"}
	if _, err := f.db.CreateCustomer(ctx, other); err != nil {
		t.Fatal(err)
	}
	theirs := f.seedUpload(t, other.Id)
	if resp, _ := f.get(t, c, "/dashboard/logins/"+theirs.Id); resp.StatusCode != 404 {
		t.Fatalf("other customer's login: %d", resp.StatusCode)
	}
	if resp, _ := f.get(t, c, "/dashboard/logins/"+theirs.Id+"/transactions.csv"); resp.StatusCode != 404 {
		t.Fatalf("other customer's export: %d", resp.StatusCode)
	}
	if _, b := f.get(t, c, "/dashboard/?q=tremblay"); strings.Contains(b, theirs.Id) || !strings.Contains(b, login.Id) {
		t.Fatalf("search crosses customers: %s", b)
	}
}

func TestSessionEndsAtSignOutAndExpiry(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.SecureCookies = true })
	c := f.client(t)
	resp := f.signIn(t, c, "ann@lender.example", testPassword)
	body(t, resp)
	var session *http.Cookie
	for r := resp.Request.Response; r != nil; r = r.Request.Response {
		for _, ck := range r.Cookies() {
			if ck.Name == cookieName {
				session = ck
			}
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie: %+v", session)
	}
	// The jar does not send Secure cookies over http: send the cookie by hand.
	get := func() int {
		req, _ := http.NewRequest("GET", f.srv.URL+"/dashboard/", nil)
		req.AddCookie(&http.Cookie{Name: cookieName, Value: session.Value})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body(t, resp)
		return resp.StatusCode
	}
	if s := get(); s != 200 {
		t.Fatalf("signed in: %d", s)
	}
	// A made-up token is refused.
	req, _ := http.NewRequest("GET", f.srv.URL+"/dashboard/", nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: session.Value[:len(session.Value)-2] + "xx"})
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 401 {
		t.Fatalf("forged session: %d", resp.StatusCode)
	}
	// After the session's lifetime the same cookie is refused.
	f.now = f.now.Add(sessionTTL + time.Minute)
	if s := get(); s != 401 {
		t.Fatalf("expired session: %d", s)
	}
	f.now = f.now.Add(-sessionTTL - time.Minute)
	// Sign-out ends the session on the server: the old cookie no longer works.
	req, _ = http.NewRequest("POST", f.srv.URL+"/dashboard/signout", nil)
	req.Header.Set("Origin", f.srv.URL)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: session.Value})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body(t, resp)
	if s := get(); s != 401 {
		t.Fatalf("after sign-out the old cookie still works: %d", s)
	}
}

func TestSignInRateLimited(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for i := 0; i < 10; i++ {
		body(t, f.signIn(t, c, "ada@lender.example", "not the password"))
	}
	resp, err := (&http.Client{Transport: originTransport{f.srv.URL}}).PostForm(f.srv.URL+"/dashboard/signin",
		url.Values{"email": {"ada@lender.example"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("11th sign-in: %d", resp.StatusCode)
	}
	f.now = f.now.Add(16 * time.Minute)
	if b := body(t, f.signIn(t, c, "ada@lender.example", testPassword)); !strings.Contains(b, "Logins") {
		t.Fatalf("after the window: %s", b)
	}
}

// TestSignInLimitPerClientBehindProxy: with ClientAddr naming the client from X-Forwarded-For
// (as the server does for its trusted proxies), one client's failures do not block another's.
func TestSignInLimitPerClientBehindProxy(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.ClientAddr = func(r *http.Request) string { return r.Header.Get("X-Forwarded-For") }
	})
	signIn := func(client, email, password string) int {
		req, _ := http.NewRequest("POST", f.srv.URL+"/dashboard/signin", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", f.srv.URL)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body(t, resp)
		return resp.StatusCode
	}
	// One client guesses ten addresses: it is blocked.
	for i := range 10 {
		signIn("203.0.113.7", fmt.Sprintf("guess%d@lender.example", i), "x")
	}
	if st := signIn("203.0.113.7", "guess10@lender.example", "x"); st != 429 {
		t.Fatalf("the guessing client's 11th sign-in: %d", st)
	}
	// Another client behind the same proxy signs in.
	if st := signIn("198.51.100.2", "ann@lender.example", testPassword); st != http.StatusSeeOther {
		t.Fatalf("another client behind the proxy: %d", st)
	}
	var n int
	f.db.Read.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND detail = '198.51.100.2'`).Scan(&n)
	if n != 1 {
		t.Fatalf("the audit names the client %d times", n)
	}
}

func TestFirstAdminLinkWorksOnce(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	link, err := FirstAdminLink(ctx, db, c.Id, time.Now())
	if err != nil || !strings.HasPrefix(link, "/dashboard/setup/") {
		t.Fatalf("link %q, %v", link, err)
	}
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Transport: originTransport{srv.URL}}
	form := url.Values{"name": {"Ada"}, "email": {"ada@example.com"}, "password": {"short"}, "confirm": {"short"}}
	resp, _ := cl.PostForm(srv.URL+link, form)
	if b := body(t, resp); resp.StatusCode != 400 || !strings.Contains(b, "at least 12") {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	form.Set("password", testPassword)
	form.Set("confirm", testPassword)
	resp, _ = cl.PostForm(srv.URL+link, form)
	if b := body(t, resp); resp.StatusCode != 200 || !strings.Contains(b, "Ada · admin") {
		t.Fatalf("setup: %d %s", resp.StatusCode, b)
	}
	// The link is spent, and no new one is made once an admin exists.
	resp, _ = cl.PostForm(srv.URL+link, form)
	if body(t, resp); resp.StatusCode != 404 {
		t.Fatalf("second use: %d", resp.StatusCode)
	}
	if again, err := FirstAdminLink(ctx, db, c.Id, time.Now()); err != nil || again != "" {
		t.Fatalf("second link %q %v", again, err)
	}
}

func TestRoles(t *testing.T) {
	f := newFixture(t)
	login := f.seedUpload(t, f.c.Id)
	ro := f.client(t)
	body(t, f.signIn(t, ro, "rob@lender.example", testPassword))
	resp, err := ro.PostForm(f.srv.URL+"/dashboard/logins/"+login.Id+"/decisions", url.Values{"decision": {"accepted"}})
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 403 {
		t.Fatalf("read-only decision: %d", resp.StatusCode)
	}
	for _, p := range []string{"/dashboard/logins/" + login.Id + "/transactions.csv", "/dashboard/staff", "/dashboard/audit"} {
		if resp, _ := f.get(t, ro, p); resp.StatusCode != 403 {
			t.Errorf("read-only %s: %d", p, resp.StatusCode)
		}
	}
	an := f.client(t)
	body(t, f.signIn(t, an, "ann@lender.example", testPassword))
	if resp, _ := f.get(t, an, "/dashboard/staff"); resp.StatusCode != 403 {
		t.Errorf("analyst staff page: %d", resp.StatusCode)
	}
	// Cross-origin posts are refused even when signed in.
	req, _ := http.NewRequest("POST", f.srv.URL+"/dashboard/logins/"+login.Id+"/decisions", strings.NewReader("decision=accepted"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err = an.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 403 {
		t.Fatalf("cross-origin decision: %d", resp.StatusCode)
	}
}

func TestDecisionsAndAudit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	login := f.seedUpload(t, f.c.Id)
	an := f.client(t)
	body(t, f.signIn(t, an, "ann@lender.example", testPassword))
	// needs_info without a note is refused; with one it is recorded, on the document.
	resp, _ := an.PostForm(f.srv.URL+"/dashboard/logins/"+login.Id+"/decisions", url.Values{"decision": {"needs_info"}, "document": {"0"}})
	if body(t, resp); resp.StatusCode != 400 {
		t.Fatalf("needs_info without note: %d", resp.StatusCode)
	}
	resp, _ = an.PostForm(f.srv.URL+"/dashboard/logins/"+login.Id+"/decisions", url.Values{"decision": {"rejected"}, "document": {"0"},
		"note": {"Amount on line 3 was typed over"}})
	if b := body(t, resp); resp.StatusCode != 200 || !strings.Contains(b, "Decision recorded") {
		t.Fatalf("decision: %d %s", resp.StatusCode, b)
	}
	docs, err := f.db.LoginDocuments(ctx, login.Id)
	if err != nil {
		t.Fatal(err)
	}
	if r := docs[0].Review; r == nil || r.Decision != "rejected" || r.DecidedBy != "ann" || r.Note != "Amount on line 3 was typed over" {
		t.Fatalf("document review: %+v", docs[0].Review)
	}
	resp, _ = an.PostForm(f.srv.URL+"/dashboard/logins/"+login.Id+"/decisions", url.Values{"decision": {"accepted"}})
	body(t, resp)
	rows, _, err := f.db.LoginSummaries(ctx, f.c.Id, passbook.LoginFilter{Decision: "accepted"}, f.now)
	if err != nil || len(rows) != 1 || rows[0].LoginID != login.Id {
		t.Fatalf("list by decision: %v %v", rows, err)
	}
	// Views and exports are audited, with who.
	f.get(t, an, "/dashboard/logins/"+login.Id+"/transactions.csv")
	entries, err := f.db.AuditLog(ctx, f.c.Id, login.Id, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.UserName != "ann" {
			t.Errorf("audit entry by %q", e.UserName)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "export,decision,decision" {
		t.Fatalf("audit: %v", actions)
	}
}

func TestExports(t *testing.T) {
	f := newFixture(t)
	login := f.seedUpload(t, f.c.Id)
	an := f.client(t)
	body(t, f.signIn(t, an, "ann@lender.example", testPassword))
	resp, b := f.get(t, an, "/dashboard/logins/"+login.Id+"/transactions.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(b, "\ufeffLoginId,Holder,") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %q", resp.StatusCode, b)
	}
	for _, want := range []string{"Jeanne Tremblay", "march.pdf", "2026-02-03,Payroll Café,,2500.00,15196.76", `'=HYPERLINK`} {
		if !strings.Contains(b, want) {
			t.Errorf("csv lacks %q:\n%s", want, b)
		}
	}
	resp, b = f.get(t, an, "/dashboard/logins/"+login.Id+"/transactions.xlsx")
	if resp.StatusCode != 200 || !strings.HasPrefix(b, "PK") {
		t.Fatalf("xlsx: %d", resp.StatusCode)
	}
	checkXLSX(t, []byte(b))
	resp, b = f.get(t, an, "/dashboard/logins/"+login.Id+"/report.pdf")
	if resp.StatusCode != 200 || !strings.HasPrefix(b, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("report: %d %.20q", resp.StatusCode, b)
	}
	// Read back as any PDF reader would (poppler's pdftotext, installed by .ci/run).
	if _, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command("pdftotext", "-", "-")
		cmd.Stdin = strings.NewReader(b)
		text, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Passbook review report", "Jeanne Tremblay", "$13,996.76", "march.pdf", "fail, risk score 90/100", "TEXT_OVER_FILLED_RECT"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("report lacks %q:\n%s", want, text)
			}
		}
	}
}

func TestXMLClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"}, {"a\x00b\x01c\x0bd\x1fe", "abcde"}, {"tab\tnl\ncr\r", "tab\tnl\ncr\r"}, {"\uFFFE\uFFFFx", "x"},
		{"bad \xff utf8", "bad \uFFFD utf8"}, {"émoji 😀", "émoji 😀"},
	} {
		if got := string(xmlClean([]byte(c.in))); got != c.want {
			t.Errorf("xmlClean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if err := xml.Unmarshal([]byte("<t>"+xmlText("<\x01&\x08>")+"</t>"), new(struct{})); err != nil {
		t.Error(err)
	}
}

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		m         passbook.Money
		cur, lang string
		want      string
	}{
		{1399676, "CAD", "en", "$13,996.76"}, {1399676, "CAD", "fr", "13\u202f996,76\u00a0$"}, {-4500, "USD", "en", "−$45.00"},
		{5, "", "en", "$0.05"}, {123456789, "EUR", "fr", "1\u202f234\u202f567,89\u00a0€"}, {100000, "XAF", "en", "1,000.00 XAF"},
	} {
		if got := formatMoney(c.m, c.cur, c.lang); got != c.want {
			t.Errorf("formatMoney(%d, %s, %s) = %q, want %q", c.m, c.cur, c.lang, got, c.want)
		}
	}
}

// A forger's control characters in the PDF's text (font names too) must not stop the page's
// drawing from parsing as XML.
func TestPageDrawingIsXMLWhateverTheText(t *testing.T) {
	p := pdf.Page{Number: 1, Width: 612, Height: 792, Words: []pdf.Word{
		{Text: "32.32\x00\x01\x0b\x1f", Font: "Helv\x02etica", Size: 9, Box: passbook.Box{X0: 10, Y0: 10, X1: 40, Y1: 20}, Baseline: 18, Color: 0xff},
		{Text: "<&>\"'\uFFFE", Font: "Courier", Size: 9, Box: passbook.Box{X0: 50, Y0: 10, X1: 80, Y1: 20}, Baseline: 18, Hidden: true},
	}}
	var b strings.Builder
	if err := writeSVG(&b, p); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(strings.NewReader(b.String()))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the drawing is not XML: %v\n%s", err, b.String())
		}
	}
	if !strings.Contains(b.String(), ">32.32</text>") || !strings.Contains(b.String(), "&lt;&amp;&gt;") {
		t.Errorf("text lost: %s", b.String())
	}
}

// FuzzXMLText: whatever a PDF holds, xmlText makes it XML character data.
func FuzzXMLText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x00\x01<&>", "\xff\xfe", "\uFFFE\uFFFF", "é😀\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := `<t a="` + xmlText(s) + `">` + xmlText(s) + `</t>`
		d := xml.NewDecoder(strings.NewReader(doc))
		for {
			_, err := d.Token()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
		}
	})
}
