package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/passbookhq/passbook/internal/browser"
)

var reSetupLink = regexp.MustCompile(`one-time link \(valid 72 hours\): http://\S+?(/dashboard/setup/\S+)`)

// createFirstAdmin follows the one-time link the server printed and creates the first admin in
// the browser, who is then signed in.
func createFirstAdmin(t *testing.T, ctx context.Context, base, out string) {
	t.Helper()
	m := reSetupLink.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the server did not print the first admin's link:\n%s", out)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+m[1]),
		chromedp.SendKeys(chromedp.CSS("#name"), "Ada Admin"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ada@lender.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "correct horse battery"),
		chromedp.Submit(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS("nav a[href='/dashboard/staff']")),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// staffUpload uploads file from the Dashboard's staff upload form (Flinks' Dashboard mode) in the
// signed-in browser ctx and returns the URL of the new login the browser is taken to.
func staffUpload(t *testing.T, ctx context.Context, base, institution, file string) string {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/dashboard/upload"),
		chromedp.SendKeys(chromedp.CSS("#institution"), institution),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{file}),
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
	return loc
}

// TestDashboardStaffUpload drives the Dashboard in headless Chromium against a real server:
// the first admin is created with the printed one-time link, uploads a statement (Flinks'
// Dashboard mode), is taken to the new login, sees it processed with its accounts and its
// document's verdict, and the document's evidence view draws its page.
func TestDashboardStaffUpload(t *testing.T) {
	base, out := startServer(t)
	statement, err := filepath.Abs("../../statement/testdata/coop-00.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser.ForTest(t)
	createFirstAdmin(t, ctx, base, out.String())
	loc := staffUpload(t, ctx, base, "Coop Credit Union", statement)
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
	// The evidence view draws the first page.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".document h3 a")), chromedp.WaitVisible(chromedp.CSS(".page img"))); err != nil {
		t.Fatal(err)
	}
	svg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('.page img').src.replace(/png$/, 'svg')).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "<text") {
		t.Fatalf("page drawing: %.300s", svg)
	}
	// The original page is rendered by PDFium as an image the browser decodes.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(async () => { const img = document.querySelector('.page img');
		await img.decode(); return img.naturalWidth; })()`, chromedp.EvalAwaitPromise))
	if err != nil || width < 600 {
		t.Fatalf("rendered page: %d px wide (%v)", width, err)
	}
}
