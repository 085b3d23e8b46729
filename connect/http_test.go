package connect_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/institution/sandbox"
)

// do sends a request through the real router and returns the status, the body and the headers.
func do(t testing.TB, h http.Handler, method, target string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

var stateRE = regexp.MustCompile(`name="s" value="([^"]+)"`)

// state returns the sealed session of a rendered page.
func state(t testing.TB, body string) string {
	t.Helper()
	m := stateRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no session in page:\n%s", body)
	}
	return m[1]
}

func TestFrameAncestorsAndOrigins(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.customer.Settings
	s.AllowedOrigins = []string{"https://lender.example", "https://bad.example/path", "https://x.example; script-src *"}
	if err := e.db.UpdateCustomerSettings(ctx, e.customer.Id, s); err != nil {
		t.Fatal(err)
	}
	code, body, hd := do(t, e.mux, "GET", "http://passbook.test/v2/?demo=true", nil)
	if code != 200 {
		t.Fatalf("GET /v2/: %d", code)
	}
	csp := hd.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'self' https://lender.example") || strings.Contains(csp, "bad.example") || strings.Contains(csp, "x.example") {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(body, `"origins":["http://passbook.test","https://lender.example"]`) {
		t.Errorf("postMessage origins are not the allowed ones:\n%s", body)
	}
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP allows inline scripts: %q", csp)
	}
	// With AllowedOrigins set, redirectUrl must be on one of them (or on Passbook itself).
	for target, want := range map[string]int{
		"https://lender.example/done":     200,
		"http://passbook.test/landing":    200,
		"https://elsewhere.example/steal": 400,
	} {
		if code, _, _ := do(t, e.mux, "GET", "http://passbook.test/v2/?redirectUrl="+url.QueryEscape(target), nil); code != want {
			t.Errorf("redirectUrl %s: %d, want %d", target, code, want)
		}
	}
}

func TestAuthorizeToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.customer.Settings
	s.RequireAuthorizeToken = true
	if err := e.db.UpdateCustomerSettings(ctx, e.customer.Id, s); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := do(t, e.mux, "GET", "/v2/?demo=true", nil); code != 401 || !strings.Contains(body, "UNAUTHORIZED") {
		t.Fatalf("without token: %d\n%s", code, body)
	}
	token, err := e.svc.NewAuthorizeToken(ctx, e.customer.Id)
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := do(t, e.mux, "GET", "/v2/?demo=true&authorizeToken="+token, nil); code != 200 || !strings.Contains(body, sandbox.FlinksCapital) {
		t.Fatalf("with token: %d\n%s", code, body)
	}
	if code, body, _ := do(t, e.mux, "GET", "/v2/?demo=true&authorizeToken="+token, nil); code != 401 || !strings.Contains(body, `"flinksCode":"UNAUTHORIZED"`) {
		t.Fatalf("reused token: %d\n%s", code, body)
	}
	if code, _, _ := do(t, e.mux, "GET", "/v2/?demo=true&authorizeToken=made-up", nil); code != 401 {
		t.Fatalf("made-up token: %d", code)
	}
}

func TestBadInputs(t *testing.T) {
	e := newEnv(t)
	_, body, _ := do(t, e.mux, "GET", "/v2/?demo=true", nil)
	s := state(t, body)
	for _, tc := range []struct {
		method, target string
		form           url.Values
		status         int
		code           passbook.Code
	}{
		{"GET", "/v2/?redirectUrl=javascript:alert(1)", nil, 400, passbook.InvalidRequest},
		{"GET", "/v2/?customerId=nobody", nil, 401, passbook.Unauthorized},
		{"GET", "/v2/search?s=forged&q=x", nil, 401, passbook.SessionExpired},
		{"POST", "/v2/institution", url.Values{"institution": {"FlinksCapital"}}, 401, passbook.SessionExpired},
		{"POST", "/v2/institution", url.Values{"s": {s[:len(s)-4] + "AAAA"}, "institution": {"FlinksCapital"}}, 401, passbook.SessionExpired},
		{"POST", "/v2/institution", url.Values{"s": {s}, "institution": {"Nope Bank"}}, 400, passbook.InvalidRequest},
		{"POST", "/v2/credentials", url.Values{"s": {s}, "username": {"Greatday"}, "password": {"Everyday"}}, 400, passbook.InvalidRequest},
		{"POST", "/v2/mfa", url.Values{"s": {s}, "a0": {"x"}}, 400, passbook.InvalidRequest},
		{"POST", "/v2/poll", url.Values{"s": {s}}, 400, passbook.InvalidRequest},
		{"POST", "/v2/accounts", url.Values{"s": {s}, "account": {"x"}}, 400, passbook.InvalidRequest},
		{"POST", "/v2/consent", url.Values{"s": {s}, "decision": {"accept"}}, 400, passbook.InvalidRequest},
	} {
		code, body, _ := do(t, e.mux, tc.method, tc.target, tc.form)
		if code != tc.status || !strings.Contains(body, `data-flinks-code="`+string(tc.code)+`"`) {
			t.Errorf("%s %s %v: %d, want %d %s\n%s", tc.method, tc.target, tc.form, code, tc.status, tc.code, body)
		}
	}
	// A body larger than the limit is refused without a 500.
	big := url.Values{"s": {s}, "institution": {strings.Repeat("x", 200<<10)}}
	if code, _, _ := do(t, e.mux, "POST", "/v2/institution", big); code >= 500 {
		t.Errorf("large body: %d", code)
	}
}

// FuzzWidgetForms posts arbitrary forms to every step: nothing may answer 500 or panic.
func FuzzWidgetForms(f *testing.F) {
	e := newEnv(f)
	_, body, _ := do(f, e.mux, "GET", "/v2/?demo=true", nil)
	s := stateRE.FindStringSubmatch(body)[1]
	f.Add("institution", "institution=FlinksCapital", true)
	f.Add("credentials", "username=Greatday&password=Everyday", true)
	f.Add("mfa", "a0=Montreal&a1=", false)
	f.Add("back", "", true)
	f.Fuzz(func(t *testing.T, step, raw string, withState bool) {
		form, _ := url.ParseQuery(raw)
		if form == nil {
			form = url.Values{}
		}
		if withState {
			form.Set("s", s)
		}
		target := "/v2/" + url.PathEscape(step)
		code, _, _ := do(t, e.mux, "POST", target, form)
		if code >= 500 {
			t.Fatalf("POST %s %v: %d", target, form, code)
		}
	})
}

func TestUploadExtensionPoint(t *testing.T) {
	e := newEnv(t, func(c *connect.Config) { c.UploadPath = "/v2/upload/" })
	ctx := context.Background()
	pick := func() string {
		_, body, _ := do(t, e.mux, "GET", "/v2/?demo=true", nil)
		_, body, _ = do(t, e.mux, "POST", "/v2/institution", url.Values{"s": {state(t, body)}, "institution": {sandbox.FlinksCapital}})
		return body
	}
	// Fallback (the default): no offer on the credentials screen, one after a fallback error.
	if body := pick(); strings.Contains(body, "/v2/upload/") {
		t.Error("upload offered up front in fallback mode")
	}
	_, body, _ := do(t, e.mux, "POST", "/v2/credentials", url.Values{"s": {state(t, pick())}, "username": {"test_disabled_account"}, "password": {"x"}})
	if !strings.Contains(body, `<form method="post" action="/v2/upload/FlinksCapital"`) || strings.Contains(body, "?s=") {
		t.Fatalf("no upload offer posting the session after DISABLED_LOGIN (Fallback), or the session in a URL:\n%s", body)
	}
	// The upload screen can open the session it is posted.
	req := httptest.NewRequest("POST", "/v2/upload/FlinksCapital", strings.NewReader(url.Values{"s": {state(t, body)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sess, cust, err := e.widget.Session(req)
	if err != nil || sess.Institution != sandbox.FlinksCapital || cust.Id != e.customer.Id {
		t.Fatalf("Session: %+v %+v %v", sess, cust, err)
	}
	// A non-fallback error offers nothing.
	_, body, _ = do(t, e.mux, "POST", "/v2/credentials", url.Values{"s": {state(t, pick())}, "username": {"test_unauthorized"}, "password": {"x"}})
	if strings.Contains(body, "/v2/upload/") {
		t.Error("upload offered after UNAUTHORIZED, which is not a fallback error")
	}
	// Primary: offered beside the credentials.
	s := e.customer.Settings
	s.UploadMode = "primary"
	if err := e.db.UpdateCustomerSettings(ctx, e.customer.Id, s); err != nil {
		t.Fatal(err)
	}
	if body := pick(); !strings.Contains(body, `id="pb-upload"`) {
		t.Error("upload not offered up front in primary mode")
	}
	// Off: never.
	s.UploadMode = "off"
	if err := e.db.UpdateCustomerSettings(ctx, e.customer.Id, s); err != nil {
		t.Fatal(err)
	}
	_, body, _ = do(t, e.mux, "POST", "/v2/credentials", url.Values{"s": {state(t, pick())}, "username": {"test_disabled_account"}, "password": {"x"}})
	if strings.Contains(body, "/v2/upload/") {
		t.Error("upload offered in mode off")
	}
}

func TestDemoPage(t *testing.T) {
	e := newEnv(t)
	code, body, hd := do(t, e.mux, "GET", "/", nil)
	if code != 200 {
		t.Fatalf("GET /: %d", code)
	}
	if !strings.Contains(body, connect.ListenerSnippet()) {
		t.Error("the demo page lacks the listener snippet verbatim")
	}
	for _, want := range []string{`src="/v2/?`, "demo=true", `href="/openapi.json"`, "test_invalid_password", "greatday_nomfa", "#the-api"} {
		if !strings.Contains(body, want) {
			t.Errorf("demo page lacks %q", want)
		}
	}
	if csp := hd.Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("demo CSP %q", csp)
	}
	if code, _, _ := do(t, e.mux, "GET", "/nothing-here", nil); code != 404 {
		t.Errorf("GET /nothing-here: %d", code)
	}
	for _, asset := range []string{"/v2/assets/widget.js", "/v2/assets/widget.css", "/v2/assets/demo.js"} {
		if code, _, _ := do(t, e.mux, "GET", asset, nil); code != 200 {
			t.Errorf("GET %s: %d", asset, code)
		}
	}
}

func BenchmarkStartPage(b *testing.B) {
	e := newEnv(b)
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v2/?demo=true&institutionFilterEnable=true", nil)
		rec := httptest.NewRecorder()
		e.mux.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// TestFinishFromAnotherScreen checks the other half of the extension point: a screen that makes
// a login itself (the upload screen) ends the widget with Finish, which posts REDIRECT and sends
// the browser to redirectUrl as a linked login does.
func TestFinishFromAnotherScreen(t *testing.T) {
	e := newEnv(t, func(c *connect.Config) { c.UploadPath = "/test/upload/" })
	// A screen of its own at another path, since the widget serves /v2/upload/ itself.
	e.mux.HandleFunc("POST /test/upload/{institution}", func(w http.ResponseWriter, r *http.Request) {
		sess, cust, err := e.widget.Session(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		res, err := e.svc.Authorize(r.Context(), cust, passbook.AuthorizeRequest{Institution: sess.Institution, Username: "greatday_nomfa", Password: sandbox.Password})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		e.widget.Finish(w, r, sess, cust, res.Login)
	})
	_, body, _ := do(t, e.mux, "GET", "/v2/?demo=true&redirectUrl=https%3A%2F%2Flender.example%2Fdone", nil)
	_, body, _ = do(t, e.mux, "POST", "/v2/institution", url.Values{"s": {state(t, body)}, "institution": {sandbox.FlinksCapital}})
	_, body, _ = do(t, e.mux, "POST", "/v2/credentials", url.Values{"s": {state(t, body)}, "username": {"test_disabled_account"}, "password": {"x"}})
	if !strings.Contains(body, `<form method="post" action="/test/upload/FlinksCapital"`) {
		t.Fatalf("no upload offer:\n%s", body)
	}
	code, body, _ := do(t, e.mux, "POST", "/test/upload/FlinksCapital", url.Values{"s": {state(t, body)}})
	if code != 200 || !strings.Contains(body, `"step":"REDIRECT"`) || !strings.Contains(body, `"redirect":"https://lender.example/done?institution=FlinksCapital\u0026loginId=`) {
		t.Fatalf("Finish: %d\n%s", code, body)
	}
	if _, _, err := e.widget.OpenSession(context.Background(), "forged"); passbook.ErrorCode(err) != passbook.SessionExpired {
		t.Errorf("OpenSession(forged): %v", err)
	}
	if code, _, _ := do(t, e.mux, "POST", "/test/upload/FlinksCapital", url.Values{"s": {"forged"}}); code != 401 {
		t.Errorf("forged session: %d", code)
	}
}

func TestLayoutOptions(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		query        string
		want, absent []string
	}{
		{"", []string{`<html lang="en">`, `class="top"`, "Select your financial institution"}, []string{"data-close", `class="dark"`, "<style", `id="pb-search"`}},
		{"headerEnable=false", nil, []string{`class="top"`}},
		{"closeEnable=true&headerEnable=false", []string{"data-close"}, []string{"Secure connection"}},
		{"theme=dark", []string{`class="dark"`}, nil},
		{"language=fr", []string{`<html lang="fr">`, "Choisissez votre institution financière"}, []string{"Select your"}},
		{"institutionFilterEnable=true", []string{`id="pb-search"`, `<label for="pb-search">`}, nil},
		{"backgroundColor=f7f7f7&foregroundColor1=123456", []string{"--bg: #f7f7f7;", "--accent: #123456;"}, nil},
		{"customerName=%3Cscript%3Ex%3C%2Fscript%3E", []string{"&lt;script&gt;x&lt;/script&gt; uses Passbook"}, []string{"<script>x"}},
	} {
		code, body, hd := do(t, e.mux, "GET", "/v2/?demo=true&"+tc.query, nil)
		if code != 200 {
			t.Errorf("%s: %d", tc.query, code)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tc.query, w)
			}
		}
		for _, a := range tc.absent {
			if strings.Contains(body, a) {
				t.Errorf("%s: page has %q", tc.query, a)
			}
		}
		if m := regexp.MustCompile(`<style nonce="([^"]+)"`).FindStringSubmatch(body); m != nil {
			nonce := strings.ReplaceAll(m[1], "&#43;", "+")
			if !strings.Contains(hd.Get("Content-Security-Policy"), "'nonce-"+nonce+"'") {
				t.Errorf("%s: style nonce %s not in the CSP %s", tc.query, nonce, hd.Get("Content-Security-Policy"))
			}
		}
	}
	if code, _, hd := do(t, e.mux, "GET", "/v2?demo=true", nil); code != 301 || hd.Get("Location") != "/v2/?demo=true" {
		t.Errorf("GET /v2: %d %s", code, hd.Get("Location"))
	}
}
