package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/passbookhq/passbook/internal/browser"
)

// TestDeskReview drives the review desk in headless Chromium against a real server, as an
// analyst would: upload a forged statement, open its evidence, click a signal and see its box on
// the rendered original page and its transaction row highlighted; record a decision and find it
// in the API; export CSV; find the login by search and filters. It ends with a screenshot of
// every Dashboard screen at 1280 and 390 px wide, asserting that none scrolls sideways; set
// PASSBOOK_SCREENSHOTS to a directory to keep them.
func TestDeskReview(t *testing.T) {
	base, out := startServer(t)
	keys := keysFrom(t, out.String())
	forged, err := filepath.Abs("../../authenticity/testdata/whiteout-update.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser.ForTest(t)
	createFirstAdmin(t, ctx, base, out.String())
	loginURL := staffUpload(t, ctx, base, "Maple Bank", forged)
	loginID := path.Base(loginURL)
	waitLoginReady(t, ctx, loginURL)

	// Evidence: the legend's first signal that concerns a transaction.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".document h3 a")), chromedp.WaitVisible(chromedp.CSS(".legend button[data-row]"))); err != nil {
		t.Fatal(err)
	}
	sig, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const b = document.querySelector('.legend button[data-row]');
		return [b.dataset.signal, b.dataset.row]; })()`))
	if err != nil || len(sig) != 2 {
		t.Fatalf("legend: %v %v", sig, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.legend button[data-signal="`+sig[0]+`"]`))); err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const img = document.querySelector('.page img'); await img.decode();
		const box = document.querySelector('.box.active'), row = document.querySelector('tr.highlight');
		const r = box.getBoundingClientRect(), f = box.closest('.frame').getBoundingClientRect();
		return {box: box.id, zoomed: box.closest('.page').classList.contains('zoomed'), row: row ? row.id : '',
			inFrame: r.width > 0 && r.left >= f.left - 1 && r.right <= f.right + 1 && r.top >= f.top - 1 && r.bottom <= f.bottom + 1,
			rendered: img.src.endsWith('.png') && img.naturalWidth > 600};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if state["box"] != "box-"+sig[0] || state["zoomed"] != true || state["inFrame"] != true || state["row"] != sig[1] || state["rendered"] != true {
		t.Fatalf("after clicking signal %s: %v (row %s)", sig[0], state, sig[1])
	}

	// A decision on the document, then the same decision in the API's Documents.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.decide input[value=rejected]`)),
		chromedp.SendKeys(chromedp.CSS(`#note-0`), "Amount typed over a white box"),
		chromedp.Submit(chromedp.CSS(`#note-0`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	review := documentReview(t, base, keys, loginID)
	if review["Decision"] != "rejected" || review["DecidedBy"] != "Ada Admin" || review["Note"] != "Amount typed over a white box" {
		t.Fatalf("API review: %v", review)
	}

	// CSV export of the login's transactions.
	// (text() would drop the byte-order mark: read the bytes.)
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/dashboard/logins/`+loginID+`/transactions.csv').then(r => r.arrayBuffer()).then(b => {
		const u = new Uint8Array(b); return (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf ? 'BOM ' : '') + new TextDecoder().decode(b); })`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(csv, "BOM LoginId,Holder,") || !strings.Contains(csv, "whiteout-update.pdf") || strings.Count(csv, "\n") < 3 {
		t.Fatalf("csv (%v):\n%.400s", err, csv)
	}

	// The list: search by part of the LoginId, then filter by verdict.
	verdict, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/dashboard/').then(r => r.text()).then(t =>
		new DOMParser().parseFromString(t, 'text/html').querySelector('tr[data-login] .verdict').textContent)`, chromedp.EvalAwaitPromise))
	if err != nil || verdict == "" {
		t.Fatalf("verdict in the list: %q %v", verdict, err)
	}
	other := map[string]string{"pass": "fail", "review": "pass", "fail": "pass"}[verdict]
	row := chromedp.CSS(`tr[data-login="` + loginID + `"]`)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/dashboard/"),
		chromedp.SendKeys(chromedp.CSS("#q"), loginID[:8]),
		chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(row),
		chromedp.SetValue(chromedp.CSS("#verdict"), other), // the filter applies on change
		chromedp.WaitVisible(chromedp.CSS("p.card")),       // "No login matches"
		chromedp.SetValue(chromedp.CSS("#verdict"), verdict),
		chromedp.WaitVisible(row),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "verdict="+verdict) || !strings.Contains(loc, "q="+loginID[:8]) {
		t.Fatalf("list URL %s", loc)
	}

	screens(t, ctx, base, []string{
		"/dashboard/", "/dashboard/?q=" + loginID[:8] + "&verdict=" + verdict,
		"/dashboard/logins/" + loginID, "/dashboard/logins/" + loginID + "/documents/0",
		"/dashboard/upload", "/dashboard/webhooks", "/dashboard/staff", "/dashboard/audit",
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/dashboard/"), chromedp.Submit(chromedp.CSS(`form[action="/dashboard/signout"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#password"))); err != nil {
		t.Fatal(err)
	}
	screens(t, ctx, base, []string{"/dashboard/?signin"}) // the sign-in page
}

// waitLoginReady reloads a login's page until its upload is processed.
func waitLoginReady(t *testing.T, ctx context.Context, loc string) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if err := chromedp.Do(ctx, chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("#status"))); err != nil {
			t.Fatal(err)
		}
		status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
		if err != nil {
			t.Fatal(err)
		}
		if status == "ready" {
			return
		}
		if status != "processing" {
			t.Fatalf("login status %q", status)
		}
	}
	t.Fatal("the upload was not processed in time")
}

// documentReview returns the first document's Review from GetAccountsDetail.
func documentReview(t *testing.T, base string, keys printedKeys, loginID string) map[string]any {
	t.Helper()
	call := func(p string, headers map[string]string, body string) (int, map[string]any) {
		var m map[string]any
		return postJSON(t, base+"/v3/"+keys.CustomerID+p, headers, body, &m), m
	}
	st, tok := call("/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": keys.AuthKey}, "")
	if st != 200 {
		t.Fatalf("token: %d %v", st, tok)
	}
	st, auth := call("/BankingServices/Authorize", map[string]string{"flinks-auth-key": tok["Token"].(string)},
		`{"LoginId":"`+loginID+`","MostRecentCached":true}`)
	rid, _ := auth["RequestId"].(string)
	if rid == "" || st >= 400 {
		t.Fatalf("Authorize: %d %v", st, auth)
	}
	st, detail := call("/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": keys.APIKey}, `{"RequestId":"`+rid+`"}`)
	docs, _ := detail["Documents"].([]any)
	if st != 200 || len(docs) == 0 {
		t.Fatalf("GetAccountsDetail: %d %v", st, detail)
	}
	review, _ := docs[0].(map[string]any)["Review"].(map[string]any)
	return review
}

// screens loads each page at 1280 and 390 px wide, fails when one scrolls sideways, and saves
// a full-page screenshot of each in $PASSBOOK_SCREENSHOTS (or the test's temporary directory).
func screens(t *testing.T, ctx context.Context, base string, pages []string) {
	t.Helper()
	dir := os.Getenv("PASSBOOK_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		for _, p := range pages {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+p), chromedp.WaitReady(chromedp.CSS("main")),
				chromedp.Evaluate[chromedp.Void](`Promise.all([...document.images].map(i => i.decode().catch(() => {})))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			dims, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if dims[0] > dims[1] {
				t.Errorf("%s at %d px scrolls sideways: scrollWidth %d > clientWidth %d", p, width, dims[0], dims[1])
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(70))
			if err != nil {
				t.Fatal(err)
			}
			name := strings.Trim(strings.NewReplacer("/dashboard/", "", "/", "-", "?", "-", "&", "-", "=", "-").Replace(p), "-")
			if len(name) > 60 {
				name = name[:60]
			}
			if name == "" {
				name = "list"
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d-%s.jpeg", width, name)), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

// staffClient follows the first admin's one-time link the server printed with a plain HTTP
// client, which is then signed in.
func staffClient(t *testing.T, base, out string) *http.Client {
	t.Helper()
	m := reSetupLink.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the server did not print the first admin's link:\n%s", out)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	req, _ := http.NewRequest("POST", base+m[1], strings.NewReader(url.Values{"name": {"Ada Admin"}, "email": {"ada@lender.example"},
		"password": {"correct horse battery"}, "confirm": {"correct horse battery"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("creating the first admin: %d", resp.StatusCode)
	}
	return c
}
