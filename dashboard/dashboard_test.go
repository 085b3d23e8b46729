package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/sqlite"
)

type fixture struct {
	srv    *httptest.Server
	db     *sqlite.DB
	c      *passbook.Customer
	apiKey string
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, keys, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, c: c, apiKey: keys.APIKey, now: time.Now()}
	h, err := New(Config{DB: db, Key: []byte(strings.Repeat("k", 32)), Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
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

func (f *fixture) signIn(t *testing.T, c *http.Client, id, key string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(f.srv.URL+"/dashboard/signin", url.Values{"customerId": {id}, "apiKey": {key}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
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

func TestSignInShowsLogins(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	login := &passbook.Login{Username: "greatday", Institution: "FlinksCapital", Type: passbook.LoginUpload}
	if err := f.db.SaveLogin(ctx, f.c.Id, login, sqlite.LoginReady); err != nil {
		t.Fatal(err)
	}
	docs := []passbook.Document{{FileName: "march.pdf", Pages: 2, Status: "read", Authenticity: &passbook.Authenticity{
		Verdict: passbook.Fail, Score: 90, Signals: []passbook.Signal{{Code: "TEXT_OVER_FILLED_RECT", Severity: passbook.High, Page: 1,
			Box: &passbook.Box{X0: 10, Y0: 20, X1: 60, Y1: 30}, Detail: "new amount typed over a white box"}}}}}
	if err := f.db.SaveLoginDocuments(ctx, login.Id, docs); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)

	// Without a session: the sign-in page, 401.
	resp, err := c.Get(f.srv.URL + "/dashboard/")
	if err != nil {
		t.Fatal(err)
	}
	if b := body(t, resp); resp.StatusCode != 401 || !strings.Contains(b, `name="apiKey"`) {
		t.Fatalf("anonymous: %d %s", resp.StatusCode, b)
	}
	// A wrong key does not sign in.
	resp = f.signIn(t, c, f.c.Id, "wrong")
	if b := body(t, resp); !strings.Contains(b, "do not match") {
		t.Fatalf("wrong key: %d %s", resp.StatusCode, b)
	}
	// The right key does; the list shows the upload with its verdict.
	resp = f.signIn(t, c, f.c.Id, f.apiKey)
	b := body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(b, login.Id) || !strings.Contains(b, `verdict fail`) {
		t.Fatalf("signed in: %d %s", resp.StatusCode, b)
	}
	resp, err = c.Get(f.srv.URL + "/dashboard/logins/" + login.Id)
	if err != nil {
		t.Fatal(err)
	}
	b = body(t, resp)
	for _, want := range []string{"march.pdf", "TEXT_OVER_FILLED_RECT", "new amount typed over a white box", "(10, 20)–(60, 30)", "risk score 90/100"} {
		if !strings.Contains(b, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	// Another customer's login is not found.
	other := &passbook.Customer{Name: "Other"}
	if _, err := f.db.CreateCustomer(ctx, other); err != nil {
		t.Fatal(err)
	}
	theirs := &passbook.Login{Username: "x", Institution: "FlinksCapital", Type: passbook.LoginPersonal}
	if err := f.db.SaveLogin(ctx, other.Id, theirs, sqlite.LoginReady); err != nil {
		t.Fatal(err)
	}
	resp, err = c.Get(f.srv.URL + "/dashboard/logins/" + theirs.Id)
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 404 {
		t.Fatalf("other customer's login: %d", resp.StatusCode)
	}
}

func TestSessionCannotBeForgedOrOutlived(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	body(t, f.signIn(t, c, f.c.Id, f.apiKey))
	u, _ := url.Parse(f.srv.URL + "/dashboard/")
	cookies := c.Jar.Cookies(u)
	if len(cookies) != 1 {
		t.Fatalf("cookies: %v", cookies)
	}
	// A cookie naming another customer with the old signature is refused.
	payload, sig, _ := strings.Cut(cookies[0].Value, ".")
	_ = payload
	forged := &http.Cookie{Name: cookieName, Value: "b3RoZXJ8OTk5OTk5OTk5OQ." + sig}
	req, _ := http.NewRequest("GET", f.srv.URL+"/dashboard/", nil)
	req.AddCookie(forged)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 401 {
		t.Fatalf("forged session: %d", resp.StatusCode)
	}
	// After the session's lifetime the same cookie is refused.
	f.now = f.now.Add(sessionTTL + time.Minute)
	resp, err = c.Get(f.srv.URL + "/dashboard/")
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 401 {
		t.Fatalf("expired session: %d", resp.StatusCode)
	}
}

func TestCrossOriginPostsRefused(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest("POST", f.srv.URL+"/dashboard/signin",
		strings.NewReader(url.Values{"customerId": {f.c.Id}, "apiKey": {f.apiKey}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body(t, resp); resp.StatusCode != 403 || len(resp.Cookies()) != 0 {
		t.Fatalf("cross-origin sign-in: %d %v", resp.StatusCode, resp.Cookies())
	}
}
