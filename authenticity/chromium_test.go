package authenticity

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/browser"
)

// statementHTML writes the fixture statement as a bank's web page would: a coloured header with
// white text, zebra rows and a shaded total row drawn by CSS backgrounds, amounts right-aligned.
// overlay, when set, is extra markup placed at the end of the body.
func statementHTML(overlay string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><style>
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px;margin:0;position:relative}
header{background:#1a3370;color:#fff;padding:14px 18px;font-size:18px;font-weight:bold}
.meta{display:flex;justify-content:space-between;padding:12px 18px}
table{border-collapse:collapse;width:100%}
th{background:#d9d9d9;text-align:left;padding:4px 8px}
td{padding:4px 8px}
tr:nth-child(even) td{background:#f2f2f2}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{background:#e6ecf5;font-weight:bold}
</style></head><body>
<header>Northwind Bank</header>
<div class="meta"><div>ZOE SINGH<br>1345 King St W, Apt 2080<br>Halifax NS B3J 1S9</div>
<div>Account 00423-5417788<br>Statement period Mar 01, 2026 to Mar 31, 2026</div></div>
<table><thead><tr><th>Date</th><th>Description</th><th class="n">Withdrawals</th><th class="n">Deposits</th><th class="n">Balance</th></tr></thead><tbody>
`)
	bal := fixtureOpening
	fmt.Fprintf(&b, `<tr><td></td><td>Opening balance</td><td></td><td></td><td class="n">%s</td></tr>`+"\n", money(bal))
	for i, r := range fixtureRows {
		bal += r.credit - r.debit
		deb, cre := "", ""
		if r.debit != 0 {
			deb = money(r.debit)
		}
		if r.credit != 0 {
			cre = money(r.credit)
		}
		fmt.Fprintf(&b, `<tr id="r%d"><td>%s</td><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td></tr>`+"\n",
			i, r.date, r.desc, deb, cre, money(bal))
	}
	fmt.Fprintf(&b, `</tbody><tfoot><tr><td></td><td>Closing balance</td><td></td><td></td><td class="n">%s</td></tr></tfoot></table>`, money(bal))
	b.WriteString(overlay)
	b.WriteString(`</body></html>`)
	return b.String()
}

func printHTML(t *testing.T, html string) []byte {
	t.Helper()
	ctx := browser.ForTest(t)
	url := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperLetter), chromedp.PDFMargin(0.5), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestChromium checks a statement printed by Chromium — whose backgrounds are drawn under their
// text — and the same page forged in the browser before printing: a white box placed over an
// amount of row 5 with another amount in it, in another font.
func TestChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("prints with Chromium")
	}
	// Chromium stamps the real clock into CreationDate and ModDate, so these files are analysed
	// as of the moment they were printed, not as of the fixed testNow of the committed fixtures.
	genuine := printHTML(t, statementHTML(""))
	a := Analyze(input(t, "chromium.pdf", genuine), Options{Now: time.Now()})
	if a.Verdict != passbook.Pass || len(a.Signals) != 0 {
		t.Errorf("genuine Chromium statement: %s %d %v", a.Verdict, a.Score, a.Signals)
	}

	// Place the box with script after layout, exactly over the printed credit, as a forger
	// editing the page in the browser's developer tools would.
	overlay := `<div id="fake" style="position:absolute;background:#fff;font-family:'DejaVu Serif',serif;font-size:11px;text-align:right"></div>
<script>
const cell = document.querySelector('#r5 td:nth-child(4)');
const r = cell.getBoundingClientRect();
const f = document.getElementById('fake');
f.style.left = (r.left + window.scrollX) + 'px'; f.style.top = (r.top + window.scrollY) + 'px';
f.style.width = (r.width - 8) + 'px'; f.style.height = r.height + 'px'; f.style.lineHeight = r.height + 'px';
f.textContent = '162.10';
</script>`
	forged := printHTML(t, statementHTML(overlay))
	a = Analyze(input(t, "chromium-forged.pdf", forged), Options{Now: time.Now()})
	if a.Verdict == passbook.Pass || !hasCode(a, Whiteout) {
		t.Errorf("forged Chromium statement: %s %d %v", a.Verdict, a.Score, a.Signals)
	}
	for _, s := range a.Signals {
		t.Logf("%s %s p%d %v %s", s.Code, s.Severity, s.Page, s.Box, s.Detail)
	}
}
