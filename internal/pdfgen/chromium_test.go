package pdfgen

import (
	"encoding/base64"
	"math"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/passbookhq/passbook/internal/browser"
)

// TestAppenderOnChromium appends drawing to a page printed by Chromium, whose content stream
// leaves a scaled, flipped transformation in force, and checks the new text lands where asked.
func TestAppenderOnChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("prints with Chromium")
	}
	ctx := browser.ForTest(t)
	html := `<!doctype html><html><body style="font-family:sans-serif"><p>Balance 1,234.56</p></body></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html;base64,"+base64.StdEncoding.EncodeToString([]byte(html)))); err != nil {
		t.Fatal(err)
	}
	orig, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperLetter)))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(orig)
	if err != nil {
		t.Fatal(err)
	}
	p := a.Page(1)
	p.Rect(300, 400, 400, 420, White)
	p.Text(310, 415, "Helvetica", 10, "APPENDED")
	a.SetInfo("Producer", "Some PDF Editor")
	edited, err := a.Update()
	if err != nil {
		t.Fatal(err)
	}
	w, ok := find(words(t, edited), "APPENDED")
	if !ok {
		t.Fatal("appended text not found")
	}
	if math.Abs(w.XMin-310) > 0.5 || w.YMax < 410 || w.YMin > 415 {
		t.Fatalf("appended text at %.1f,%.1f–%.1f, want x 310 on baseline 415", w.XMin, w.YMin, w.YMax)
	}
	if _, ok := find(words(t, edited), "1,234.56"); !ok {
		t.Fatal("the page's own text was lost")
	}
}
