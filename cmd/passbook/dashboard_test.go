package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/passbookhq/passbook/internal/browser"
)

// TestDashboardStaffUpload drives the Dashboard in headless Chromium against a real server:
// staff sign in with the printed keys, upload a statement (Flinks' Dashboard mode), are taken to
// the new login, see it processed with its accounts and its document's verdict, and the page
// drawing of the document loads.
func TestDashboardStaffUpload(t *testing.T) {
	base, out := startServer(t)
	keys := keysFrom(t, out.String())
	statement, err := filepath.Abs("../../statement/testdata/coop-00.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser.ForTest(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/dashboard/"),
		chromedp.SendKeys(chromedp.CSS("#customerId"), keys.CustomerID),
		chromedp.SendKeys(chromedp.CSS("#apiKey"), keys.APIKey),
		chromedp.Submit(chromedp.CSS("#apiKey")),
		chromedp.WaitVisible(chromedp.CSS("nav a[href='/dashboard/upload']")),
		chromedp.Navigate(base+"/dashboard/upload"),
		chromedp.SendKeys(chromedp.CSS("#institution"), "Coop Credit Union"),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{statement}),
		chromedp.Submit(chromedp.CSS("#files")),
		chromedp.WaitVisible(chromedp.CSS("#status")),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/dashboard/logins/") {
		t.Fatalf("after upload the browser is at %q (%v)", loc, err)
	}
	// Processing is asynchronous: reload until the login is ready.
	var status string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		if err := chromedp.Do(ctx, chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("#status"))); err != nil {
			t.Fatal(err)
		}
		if status, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status"))); err != nil {
			t.Fatal(err)
		}
		if status != "processing" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if status != "ready" {
		t.Fatalf("login status %q", status)
	}
	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"coop-00.pdf", "risk score", "reconciled", "-0", "-1"} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q:\n%s", want, page)
		}
	}
	// The first page's drawing is an SVG with the statement's words.
	svg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('.pages img').src).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "<text") {
		t.Fatalf("page drawing: %.300s", svg)
	}
}
