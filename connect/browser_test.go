package connect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/internal/browser"
)

// hostPage is a lender's page: the listener of Flinks' documentation, verbatim, around the
// widget's iframe. A script before it records what the page receives and what the listener
// logs, so the test can read both.
func hostPage(widgetURL string) string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lender</title></head>
<body>
<script>
window.__seen = [];
window.__logged = [];
window.addEventListener("message", function (e) { window.__seen.push({origin: e.origin, data: e.data}); });
(function () {
  var log = console.log;
  console.log = function () { window.__logged.push(Array.prototype.slice.call(arguments)); log.apply(console, arguments); };
})();
</script>
` + connect.ListenerSnippet() + `
<iframe id="w" title="Connect" src="` + html.EscapeString(widgetURL) + `" style="width:420px;height:760px" onload="window.__loaded = true"></iframe>
</body></html>`
}

// withHost serves the real handler, plus the host page at /test/host?src=… and a landing page
// for redirectUrl at /test/landing.
func withHost(real http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /test/host", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hostPage(r.URL.Query().Get("src")))
	})
	mux.HandleFunc("GET /test/landing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>Landing</title><p id="landed">welcome back</p>`)
	})
	mux.Handle("/", real)
	return mux
}

// tab opens a new tab of the suite's browser.
func tab(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel2)
	return ctx
}

// frameJS evaluates body as a function of the widget frame's document d and returns its value.
func frameJS[T any](t *testing.T, ctx context.Context, body string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](`(function (d) {`+body+`})(document.getElementById("w").contentDocument)`))
	if err != nil {
		t.Fatalf("in the widget: %v\n%s", err, body)
	}
	return v
}

// waitFrame waits until the expression, a function of the frame's document d, is truthy.
func waitFrame(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	js := `(function () { var f = document.getElementById("w"); var d = f && f.contentDocument;
		if (!d || d.readyState !== "complete" || !d.body) return false; try { return !!(` + expr + `); } catch (e) { return false; } })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var d=document.getElementById("w").contentDocument; return d ? d.documentElement.outerHTML : "(no document)"})()`))
		t.Fatalf("waiting for %s in the widget: %v\nwidget:\n%s\nhost saw: %s", expr, err, html, seenJSON(ctx))
	}
}

func seenJSON(ctx context.Context) string {
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.__seen)`))
	return s
}

// waitHost waits until the host page has received an event matching pred (a JS expression of e,
// the event's data) and returns it.
func waitHost(t *testing.T, ctx context.Context, pred string) map[string]any {
	t.Helper()
	js := `(function () { var m = window.__seen.filter(function (x) { var e = x.data; return ` + pred + `; }); return m.length ? JSON.stringify(m[m.length-1].data) : false; })()`
	s, err := chromedp.Run(ctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("host never received an event with %s: %v\nreceived: %s", pred, err, seenJSON(ctx))
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// steps returns the steps the host has received, in order.
func steps(t *testing.T, ctx context.Context) []string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__seen.map(function (x) { return x.data.step; })`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// openHost loads the host page with the widget at widgetPath and waits for the selector.
func openHost(t *testing.T, ctx context.Context, base, widgetPath string) {
	t.Helper()
	u := base + "/test/host?src=" + urlQueryEscape(widgetPath)
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx, `d.querySelector("#pb-institutions")`)
	waitHost(t, ctx, `e.step === "COMPONENT_LOAD_INSTITUTION_SELECTOR"`)
}

func urlQueryEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "=", "%3D", "#", "%23", "+", "%2B", " ", "%20")
	return r.Replace(s)
}

// pickInstitution clicks the institution's button.
func pickInstitution(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	frameJS[bool](t, ctx, `var b = d.querySelector('button[name=institution][value=`+jsString(name)+`]'); b.click(); return true;`)
}

// submitCredentials fills the credential form and submits it with its button.
func submitCredentials(t *testing.T, ctx context.Context, username, password string) {
	t.Helper()
	waitFrame(t, ctx, `d.querySelector("#pb-credentials")`)
	frameJS[bool](t, ctx, `d.getElementById("pb-username").value = `+jsString(username)+`;
		d.getElementById("pb-password").value = `+jsString(password)+`;
		d.getElementById("pb-submit").click(); return true;`)
}

// newServer starts the real server handler (with the host pages) on httptest.
func newServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(withHost(h))
	t.Cleanup(srv.Close)
	return srv.URL
}

var _ = browser.ForTest

// seedLogged are the codes the seed's listener logs (its switch); the others it ignores.
var seedLogged = map[passbook.Code]bool{
	passbook.InvalidUsername: true, passbook.InvalidPassword: true, passbook.InvalidLogin: true,
	passbook.InvalidSecurityResponse: true, passbook.RetryLater: true, passbook.AggregationError: true,
	passbook.DisabledInstitution: true, passbook.DisabledLogin: true, passbook.NewAccount: true, passbook.Unauthorized: true,
}

// TestWidgetInBrowser drives the widget in real headless Chromium, framed by a lender's page
// that runs the listener of Flinks' documentation unchanged. One browser, one tab per case.
func TestWidgetInBrowser(t *testing.T) {
	b := browser.ForTest(t)
	e := newEnv(t)
	base := newServer(t, e.mux)

	t.Run("errors", func(t *testing.T) {
		codes := passbook.LoginErrors()
		if len(codes) != 12 {
			t.Fatalf("the code table has %d login errors, want 12", len(codes))
		}
		for _, info := range codes {
			t.Run(string(info.Code), func(t *testing.T) {
				t.Parallel()
				driveError(t, tab(t, b), base, info, "en")
			})
		}
		t.Run("FR", func(t *testing.T) {
			t.Parallel()
			driveError(t, tab(t, b), base, passbook.InvalidPassword.Info(), "fr")
		})
	})

	t.Run("success with security questions", func(t *testing.T) {
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&innerRedirect=true&tag=app-42&redirectUrl="+base+"/test/landing%3Fref%3Dx")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "Greatday", sandbox.Password)
		// First a text question alone, then two at once, one of them multiple choice.
		mfa := waitHost(t, ctx, `e.step === "COMPONENT_LOAD_MFA"`)
		if types := fmt.Sprint(mfa["mfaTypes"]); types != "[QuestionAndAnswer]" {
			t.Errorf("first mfaTypes = %s", types)
		}
		waitFrame(t, ctx, `d.querySelector("#pb-mfa label[for=pb-a0]")`)
		frameJS[bool](t, ctx, `d.getElementById("pb-a0").value = "Montreal"; d.getElementById("pb-submit").click(); return true`)
		waitFrame(t, ctx, `d.querySelector("#pb-mfa fieldset legend")`)
		mfa = waitHost(t, ctx, `e.step === "COMPONENT_LOAD_MFA" && e.mfaTypes.length === 2`)
		if types := fmt.Sprint(mfa["mfaTypes"]); types != "[QuestionAndAnswer MultipleChoice]" {
			t.Errorf("second mfaTypes = %s", types)
		}
		frameJS[bool](t, ctx, `d.getElementById("pb-a0").value = "Canada";
			var r = Array.prototype.filter.call(d.querySelectorAll("input[type=radio]"), function (x) { return x.value === "Triangle"; })[0];
			r.click(); d.getElementById("pb-submit").click(); return true`)
		ev := waitHost(t, ctx, `e.step === "REDIRECT"`)
		loginID, _ := ev["loginId"].(string)
		if loginID == "" || ev["institution"] != sandbox.FlinksCapital || ev["requestId"] == "" || ev["tag"] != "app-42" {
			t.Fatalf("REDIRECT = %v", ev)
		}
		waitFrame(t, ctx, `d.getElementById("landed")`)
		landed := frameJS[string](t, ctx, `return d.location.href`)
		for _, want := range []string{"/test/landing?", "ref=x", "loginId=" + loginID, "institution=" + sandbox.FlinksCapital} {
			if !strings.Contains(landed, want) {
				t.Errorf("landed on %s, want %q in it", landed, want)
			}
		}
		if ev["url"] != landed {
			t.Errorf("REDIRECT url %v, landed on %s", ev["url"], landed)
		}
		got := steps(t, ctx)
		want := []string{"APP_MOUNTED", "COMPONENT_LOAD_INSTITUTION_SELECTOR", "INSTITUTION_SELECTED", "COMPONENT_LOAD_CREDENTIAL",
			"SUBMIT_CREDENTIAL", "COMPONENT_LOAD_MFA", "SUBMIT_MFA", "COMPONENT_LOAD_MFA", "SUBMIT_MFA", "REDIRECT"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("steps\n got %v\nwant %v", got, want)
		}
		checkLoginData(t, e, base, loginID)
		// The visit's tag is kept with the login, for the Dashboard's list and search.
		rows, _, err := e.db.LoginSummaries(context.Background(), e.customer.Id, passbook.LoginFilter{Query: "app-42"}, time.Now())
		if err != nil || len(rows) != 1 || rows[0].LoginID != loginID || rows[0].Tag != "app-42" {
			t.Errorf("login by tag: %+v %v", rows, err)
		}
	})

	t.Run("consent and account selection", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&consentEnable=true&accountSelectorEnable=true&innerRedirect=true&customerName=Acme&termsUrl=https://acme.example/privacy&redirectUrl="+base+"/test/landing")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		waitHost(t, ctx, `e.step === "COMPONENT_LOAD_CONSENT"`)
		if txt := frameJS[string](t, ctx, `return d.querySelector("main").textContent`); !strings.Contains(txt, "Acme") || !strings.Contains(txt, "your balances") {
			t.Errorf("consent text does not name the customer and what is shared: %s", txt)
		}
		if href := frameJS[string](t, ctx, `return d.getElementById("pb-privacy").href`); href != "https://acme.example/privacy" {
			t.Errorf("privacy link %q", href)
		}
		frameJS[bool](t, ctx, `d.getElementById("pb-accept").click(); return true`)
		waitHost(t, ctx, `e.step === "COMPONENT_ACCEPT_CONSENT"`)
		submitCredentials(t, ctx, "greatday_nomfa", sandbox.Password)
		sel := waitHost(t, ctx, `e.step === "COMPONENT_LOAD_ACCOUNT_SELECTION"`)
		total, shown := sel["totalAccounts"].(float64), sel["displayedAccounts"].(float64)
		if shown < 1 || shown >= total {
			t.Errorf("account selection shows %v of %v accounts; want operations accounts only", shown, total)
		}
		waitFrame(t, ctx, `d.querySelector("button[name=account]")`)
		if amount := frameJS[string](t, ctx, `return d.querySelector("button[name=account] .amount").textContent`); !regexp.MustCompile(`Balance: \$[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$`).MatchString(amount) {
			t.Errorf("account amount %q", amount)
		}
		if !frameJS[bool](t, ctx, `return !!d.querySelector("form.back-form")`) {
			t.Error("the account selector has no Back link")
		}
		accountID := frameJS[string](t, ctx, `var b = d.querySelector("button[name=account]"); b.click(); return b.value`)
		selected := waitHost(t, ctx, `e.step === "ACCOUNT_SELECTED"`)
		red := waitHost(t, ctx, `e.step === "REDIRECT"`)
		if selected["accountId"] != accountID || red["accountId"] != accountID {
			t.Errorf("ACCOUNT_SELECTED %v, REDIRECT %v; want accountId %s", selected, red, accountID)
		}
		waitFrame(t, ctx, `d.getElementById("landed")`)
		if landed := frameJS[string](t, ctx, `return d.location.href`); !strings.Contains(landed, "accountId="+accountID) {
			t.Errorf("landed on %s without the accountId", landed)
		}
	})

	t.Run("redirect of the top window", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&redirectUrl="+base+"/test/landing")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "greatday_nomfa", sandbox.Password)
		// Without innerRedirect the lender's page itself goes to redirectUrl.
		// The poll does not survive the navigation it waits for, so ask again until it lands.
		var landed string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("landed") ? location.href : ""`))
			if err == nil && v != "" {
				landed = v
				break
			}
			if err := chromedp.Do(ctx, chromedp.Sleep(50*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
		if landed == "" {
			t.Fatal("the top window did not go to redirectUrl")
		}
		if !strings.Contains(landed, "loginId=") || !strings.Contains(landed, "institution="+sandbox.FlinksCapital) {
			t.Errorf("landed on %s", landed)
		}
	})

	t.Run("consent denied", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&consentEnable=true")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		waitFrame(t, ctx, `d.getElementById("pb-deny")`)
		frameJS[bool](t, ctx, `d.getElementById("pb-deny").click(); return true`)
		waitHost(t, ctx, `e.step === "COMPONENT_DENY_CONSENT"`)
		waitFrame(t, ctx, `!d.getElementById("pb-accept") && d.querySelector("[role=alert]")`)
	})

	t.Run("maximum retry", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&maximumRetry=2")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "Greatday", "wrong")
		waitHost(t, ctx, `e.step === "COMPONENT_LOAD_CREDENTIAL_RETRY"`)
		submitCredentials(t, ctx, "Greatday", "wrong again")
		ev := waitHost(t, ctx, `e.step === "MAXIMUM_RETRY_REACHED"`)
		if ev["flinksCode"] != string(passbook.InvalidPassword) {
			t.Errorf("MAXIMUM_RETRY_REACHED = %v", ev)
		}
		waitFrame(t, ctx, `!d.getElementById("pb-credentials") && d.getElementById("pb-error")`)
		if msg := frameJS[string](t, ctx, `return d.getElementById("pb-error").innerText`); !strings.Contains(msg, "maximum number of attempts (2)") ||
			strings.Contains(msg, "enter it again") {
			t.Errorf("maximum retry screen says %q", msg)
		}
	})

	t.Run("retry later", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		driveError(t, ctx, base, passbook.RetryLater.Info(), "en")
		frameJS[bool](t, ctx, `d.getElementById("pb-retry").click(); return true`)
		waitFrame(t, ctx, `d.getElementById("pb-credentials")`) // the same institution, again
	})

	t.Run("disabled institution picked", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true")
		pickInstitution(t, ctx, sandbox.ClosedBank)
		ev := waitHost(t, ctx, `e.step === "DISABLED_INSTITUTION"`)
		if ev["flinksCode"] != "DISABLED_INSTITUTION" {
			t.Errorf("event %v", ev)
		}
		waitFrame(t, ctx, `d.getElementById("pb-other")`)
		frameJS[bool](t, ctx, `d.getElementById("pb-other").click(); return true`)
		waitFrame(t, ctx, `d.querySelector("#pb-institutions")`)
	})

	t.Run("pending then ready", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true")
		pickInstitution(t, ctx, sandbox.FlinksCapital)
		submitCredentials(t, ctx, "test_pending", sandbox.Password)
		waitFrame(t, ctx, `d.getElementById("pb-poll")`)
		ev := waitHost(t, ctx, `e.step === "REDIRECT"`)
		if ev["loginId"] == nil {
			t.Errorf("REDIRECT %v", ev)
		}
	})

	t.Run("cross-origin hosts", func(t *testing.T) {
		t.Parallel()
		allowed := httptest.NewServer(withHost(http.NotFoundHandler()))
		defer allowed.Close()
		refused := httptest.NewServer(withHost(http.NotFoundHandler()))
		defer refused.Close()
		settings := e.customer.Settings
		settings.AllowedOrigins = []string{allowed.URL}
		if err := e.db.UpdateCustomerSettings(context.Background(), e.customer.Id, settings); err != nil {
			t.Fatal(err)
		}
		widget := urlQueryEscape(base + "/v2/?demo=true")
		ctx := tab(t, b)
		if err := chromedp.Do(ctx, chromedp.Navigate(allowed.URL+"/test/host?src="+widget)); err != nil {
			t.Fatal(err)
		}
		waitHost(t, ctx, `e.step === "APP_MOUNTED"`)
		from, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__seen[0].origin`))
		if from != base {
			t.Errorf("event came from %q, want the widget's origin %q", from, base)
		}
		// Another origin cannot frame the widget (CSP frame-ancestors), so it hears nothing.
		ctx = tab(t, b)
		if err := chromedp.Do(ctx, chromedp.Navigate(refused.URL+"/test/host?src="+widget),
			chromedp.Poll[chromedp.Void](`window.__loaded === true`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatal(err)
		}
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`window.__seen.length > 0`, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(time.Second)))
		if err == nil {
			t.Errorf("a host the customer does not allow received %s", seenJSON(ctx))
		}
	})

	t.Run("keyboard only on a phone", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile), chromedp.Navigate(base+"/v2/?demo=true&language=fr"),
			chromedp.WaitVisible(chromedp.CSS("#pb-institutions"))); err != nil {
			t.Fatal(err)
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || wide {
			t.Errorf("the institution screen scrolls sideways on a phone (%v)", err)
		}
		// Tab from the heading to the first institution, Enter, type the credentials, Enter.
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t"), chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#pb-credentials"))); err != nil {
			t.Fatal(err)
		}
		unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.prototype.filter.call(document.querySelectorAll("input:not([type=hidden])"), function (i) { return i.labels.length === 0; }).length`))
		if err != nil || unlabelled != 0 {
			t.Errorf("%d inputs without a label (%v)", unlabelled, err)
		}
		focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if focused != "pb-username" {
			t.Fatalf("focus on %q after choosing the institution, want the username", focused)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("greatday_nomfa\t"+sandbox.Password+"\r"), chromedp.WaitVisible(chromedp.CSS(".success-mark"))); err != nil {
			t.Fatal(err)
		}
		title, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if title != "Votre compte est connecté" {
			t.Errorf("success title %q", title)
		}
	})

	t.Run("demo page", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		var mu sync.Mutex
		var logged []string
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Listen(ctx, func(ev any) {
			if c, ok := ev.(*runtime.EventConsoleAPICalled); ok {
				mu.Lock()
				for _, a := range c.Args {
					logged = append(logged, string(a.Value))
				}
				mu.Unlock()
			}
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"),
			chromedp.Poll[chromedp.Void](`Array.prototype.some.call(document.querySelectorAll("#pb-events li strong"), function (s) { return s.textContent === "COMPONENT_LOAD_INSTITUTION_SELECTOR"; })`,
				chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatal(err)
		}
		frame := func(js string) {
			t.Helper()
			if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`(function () { var d = document.getElementById("pb-widget").contentDocument; try { return d && d.readyState === "complete" && (`+js+`); } catch (e) { return false; } })()`,
				chromedp.WithPollingTimeout(30*time.Second))); err != nil {
				t.Fatalf("%s: %v", js, err)
			}
		}
		frame(`(d.querySelector("button[value=FlinksCapital]").click(), true)`)
		frame(`d.getElementById("pb-accept") && (d.getElementById("pb-accept").click(), true)`)
		frame(`d.getElementById("pb-credentials") && (d.getElementById("pb-username").value = "test_invalid_password", d.getElementById("pb-password").value = "x", d.getElementById("pb-submit").click(), true)`)
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`Array.prototype.some.call(document.querySelectorAll("#pb-events li.error"), function (li) { return li.textContent.indexOf("INVALID_PASSWORD") >= 0; })`,
			chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatal("the demo page's event log does not show the error:", err)
		}
		mu.Lock()
		got := strings.Join(logged, " ")
		mu.Unlock()
		if !strings.Contains(got, `"Credential error:" "INVALID_PASSWORD"`) {
			t.Errorf("the seed's listener did not run on the demo page; console: %s", got)
		}
	})

	t.Run("institution filter and close", func(t *testing.T) {
		t.Parallel()
		ctx := tab(t, b)
		openHost(t, ctx, base, "/v2/?demo=true&institutionFilterEnable=true&closeEnable=true")
		visible := frameJS[int](t, ctx, `var s = d.getElementById("pb-search"); s.value = "credit"; s.dispatchEvent(new Event("input"));
			return Array.prototype.filter.call(d.querySelectorAll("#pb-institutions li"), function (li) { return !li.hidden; }).length`)
		if visible != 1 {
			t.Errorf("filter 'credit' shows %d institutions, want 1", visible)
		}
		if empty := frameJS[bool](t, ctx, `var s = d.getElementById("pb-search"); s.value = "zzz"; s.dispatchEvent(new Event("input")); return !d.getElementById("pb-empty").hidden`); !empty {
			t.Error("no 'no results' message for a search that matches nothing")
		}
		frameJS[bool](t, ctx, `d.querySelector("[data-close]").click(); return true`)
		waitHost(t, ctx, `e.step === "COMPONENT_CLOSE_SESSION"`)
	})
}

// driveError logs in with the test username of info's code and checks what the host receives
// and what the widget shows.
func driveError(t *testing.T, ctx context.Context, base string, info passbook.CodeInfo, lang string) {
	u, ok := sandbox.TestUserFor(info.Code)
	if !ok {
		t.Fatalf("the sandbox has no test username for %s", info.Code)
	}
	openHost(t, ctx, base, "/v2/?demo=true&language="+lang)
	pickInstitution(t, ctx, sandbox.FlinksCapital)
	password := u.Password
	if password == "" {
		password = "anything"
	}
	submitCredentials(t, ctx, u.Username, password)
	if u.MFA {
		waitFrame(t, ctx, `d.getElementById("pb-mfa")`)
		frameJS[bool](t, ctx, `d.querySelectorAll("#pb-mfa input[type=text]").forEach(function (i) { i.value = "Nowhere"; });
			d.querySelectorAll("#pb-mfa fieldset").forEach(function (f) { f.querySelector("input[type=radio]").click(); });
			d.getElementById("pb-submit").click(); return true`)
	}
	ev := waitHost(t, ctx, `e.flinksCode === `+jsString(string(info.Code)))
	if ev["step"] != string(info.Code) || ev["httpStatusCode"] != float64(info.HTTPStatus) {
		t.Errorf("error event %v", ev)
	}
	waitFrame(t, ctx, `d.querySelector("#pb-error[data-flinks-code=`+string(info.Code)+`]")`)
	shown := frameJS[string](t, ctx, `return d.getElementById("pb-error").textContent`)
	if want := info.Message(lang); !strings.Contains(shown, want) {
		t.Errorf("widget shows %q, want the message %q", shown, want)
	}
	if !strings.Contains(shown, fmt.Sprint(info.HTTPStatus)) {
		t.Errorf("widget does not show the HTTP code %d: %q", info.HTTPStatus, shown)
	}
	if lang == "fr" && !strings.Contains(shown, "Code d’erreur\u00a0:") {
		t.Errorf("French screen shows %q", shown)
	}
	// The borrower reads plain words: the code and status wait, folded, under "details for support".
	if visible := frameJS[string](t, ctx, `return d.getElementById("pb-error").innerText`); strings.Contains(visible, string(info.Code)) ||
		frameJS[bool](t, ctx, `return d.querySelector("#pb-error details.support").open`) {
		t.Errorf("the error screen shows the code: %q", visible)
	}
	if focused := frameJS[string](t, ctx, `return d.activeElement && d.activeElement.id`); focused != "pb-error" {
		t.Errorf("focus is on %q, want the error", focused)
	}
	// Retryable errors keep the customer on the same screen; the others end the attempt.
	stillForm := frameJS[bool](t, ctx, `return !!(d.getElementById("pb-credentials") || d.getElementById("pb-mfa"))`)
	if stillForm != info.Retryable {
		t.Errorf("retryable=%v but the form is still there=%v", info.Retryable, stillForm)
	}
	if info.Retryable {
		retry := ComponentRetryStep(u.MFA && info.Code == passbook.InvalidSecurityResponse)
		waitHost(t, ctx, `e.step === `+jsString(retry))
	}
	if hasRetry := frameJS[bool](t, ctx, `return !!d.getElementById("pb-retry")`); hasRetry != (info.Code == passbook.RetryLater) {
		t.Errorf("a retry button=%v after %s", hasRetry, info.Code)
	}
	if seedLogged[info.Code] {
		logged, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.__logged)`))
		if err != nil || !strings.Contains(logged, `"`+string(info.Code)+`"`) {
			t.Errorf("the seed's listener did not log %s: %s %v", info.Code, logged, err)
		}
	}
}

// ComponentRetryStep is the step a retryable error leads to.
func ComponentRetryStep(mfa bool) string {
	if mfa {
		return connect.ComponentLoadMFARetry
	}
	return connect.ComponentLoadCredentialRetry
}

// checkLoginData checks, through the API as a lender's server would call it, that the login
// made in the widget has accounts with transactions: Authorize with the LoginId (the customer's
// secret in flinks-auth-key), then GetAccountsDetail with the RequestId (x-api-key).
func checkLoginData(t *testing.T, e *env, base, loginID string) {
	t.Helper()
	call := func(path, header, key string, body any, out any) int {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+"/v3/"+e.customer.Id+"/BankingServices/"+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(header, key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return resp.StatusCode
	}
	var auth struct {
		RequestId string
		Login     struct{ Id string }
	}
	if code := call("Authorize", "flinks-auth-key", e.keys.Secret, map[string]any{"LoginId": loginID, "MostRecentCached": true}, &auth); code != 200 || auth.RequestId == "" || auth.Login.Id != loginID {
		t.Fatalf("Authorize: %d %+v", code, auth)
	}
	var detail struct {
		HttpStatusCode int
		Login          struct{ Id string }
		Accounts       []passbook.Account
	}
	if code := call("GetAccountsDetail", "x-api-key", e.keys.APIKey, map[string]any{"RequestId": auth.RequestId, "WithTransactions": true, "WithBalance": true}, &detail); code != 200 {
		t.Fatalf("GetAccountsDetail: %d %+v", code, detail)
	}
	if detail.Login.Id != loginID || len(detail.Accounts) == 0 {
		t.Fatalf("GetAccountsDetail: login %q, %d accounts", detail.Login.Id, len(detail.Accounts))
	}
	withTx := 0
	for _, a := range detail.Accounts {
		if len(a.Transactions) > 0 {
			withTx++
		}
	}
	if withTx == 0 {
		t.Fatal("GetAccountsDetail: no account has transactions")
	}
}
