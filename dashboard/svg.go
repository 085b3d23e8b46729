package dashboard

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// writeSVG draws page p as the statement engine read it, in PDF points: filled rectangles in
// their colours and each word in its box (hidden words dashed in orange, since no reader sees
// them). Signals are not drawn on it: the evidence view lays its numbered boxes over the page.
// Every text from the PDF is cleaned of XML-forbidden characters, so a forger's control
// characters cannot stop the page from being drawn.
func writeSVG(w io.Writer, p pdf.Page) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.2f %.2f" width="%.0f" height="%.0f" font-family="Helvetica, Arial, sans-serif">`,
		p.Width, p.Height, p.Width*1.5, p.Height*1.5)
	fmt.Fprintf(bw, `<rect x="0" y="0" width="%.2f" height="%.2f" fill="#fff" stroke="#999"/>`, p.Width, p.Height)
	for _, r := range p.Rects {
		fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" fill-opacity="%.2f"/>`,
			r.Box.X0, r.Box.Y0, r.Box.X1-r.Box.X0, r.Box.Y1-r.Box.Y0, rgb(r.Color), alpha(r.Color))
	}
	for _, b := range p.Images {
		fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="#ddd" stroke="#aaa" stroke-dasharray="3 2"><title>image</title></rect>`,
			b.X0, b.Y0, b.X1-b.X0, b.Y1-b.Y0)
	}
	for _, word := range p.Words {
		b := word.Box
		h := b.Y1 - b.Y0
		if h <= 0 {
			continue
		}
		fill := rgb(word.Color)
		if word.Hidden {
			fmt.Fprintf(bw, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="none" stroke="#e67e00" stroke-dasharray="2 1"/>`,
				b.X0, b.Y0, b.X1-b.X0, h)
			fill = "#e67e00"
		}
		size := word.Size
		if size <= 0 || size > 2*h {
			size = h
		}
		fmt.Fprintf(bw, `<text x="%.2f" y="%.2f" font-size="%.2f" textLength="%.2f" lengthAdjust="spacingAndGlyphs" fill="%s"><title>%s %.1fpt</title>%s</text>`,
			b.X0, word.Baseline, size, b.X1-b.X0, fill, xmlText(word.Font), word.Size, xmlText(word.Text))
	}
	fmt.Fprint(bw, `</svg>`)
	return bw.Flush()
}

func rgb(c uint32) string { return fmt.Sprintf("#%06x", c>>8) }

func alpha(c uint32) float64 {
	a := c & 0xff
	return float64(a) / 255
}

// --- charts -----------------------------------------------------------------------------------

// point is a balance at the end of a day.
type point struct {
	Date    passbook.Date
	Balance passbook.Money
}

// balancePoints returns an account's end-of-day balances, oldest first: the running balances the
// bank printed, or, without them, balances worked back from the current or closing balance.
func balancePoints(a passbook.Account) []point {
	txs := slices.Clone(a.Transactions)
	slices.SortStableFunc(txs, func(x, y passbook.Transaction) int { return x.Date.Compare(y.Date) })
	var out []point
	add := func(d passbook.Date, b passbook.Money) {
		if n := len(out); n > 0 && out[n-1].Date == d {
			out[n-1].Balance = b
			return
		}
		out = append(out, point{d, b})
	}
	printed := 0
	for _, t := range txs {
		if t.Balance != nil {
			printed++
		}
	}
	if printed > 0 {
		for _, t := range txs {
			if t.Balance != nil {
				add(t.Date, *t.Balance)
			}
		}
		return out
	}
	end := a.Balance.Current
	if a.Statement != nil && a.Statement.ClosingBalance != nil {
		end = a.Statement.ClosingBalance
	}
	if end == nil || len(txs) == 0 {
		return nil
	}
	// Walk back from the end: before a transaction the balance was the balance after it, minus its effect.
	bal := *end
	rev := make([]point, 0, len(txs))
	for i := len(txs) - 1; i >= 0; i-- {
		t := txs[i]
		if len(rev) == 0 || rev[len(rev)-1].Date != t.Date {
			rev = append(rev, point{t.Date, bal})
		}
		if t.Credit != nil {
			bal -= *t.Credit
		}
		if t.Debit != nil {
			bal += *t.Debit
		}
	}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

const chartW, chartH, padL, padR, padT, padB = 560.0, 180.0, 8.0, 8.0, 18.0, 22.0

// balanceChart draws an account's balance over time as an SVG line chart.
func balanceChart(a passbook.Account, lang string) template.HTML {
	pts := balancePoints(a)
	if len(pts) < 2 {
		return ""
	}
	lo, hi := pts[0].Balance, pts[0].Balance
	for _, p := range pts {
		lo, hi = min(lo, p.Balance), max(hi, p.Balance)
	}
	if hi == lo {
		hi++
	}
	t0, t1 := pts[0].Date.Time(), pts[len(pts)-1].Date.Time()
	span := t1.Sub(t0).Hours()
	if span <= 0 {
		span = 24
	}
	x := func(d passbook.Date) float64 { return padL + (chartW-padL-padR)*d.Time().Sub(t0).Hours()/span }
	y := func(m passbook.Money) float64 { return padT + (chartH-padT-padB)*float64(hi-m)/float64(hi-lo) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, xmlText(tr(lang, "Balance over time", "Solde au fil du temps")))
	if lo < 0 && hi > 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#c5221f" stroke-dasharray="3 3"/>`, padL, chartW-padR, y(0), y(0))
	}
	var path strings.Builder
	for i, p := range pts {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(p.Date), y(p.Balance))
	}
	fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#0b5fff" stroke-width="2"/>`, strings.TrimSpace(path.String()))
	fmt.Fprintf(&b, `<text x="%.0f" y="12" font-size="11" fill="#5b6675">%s</text>`, padL, xmlText(formatMoney(hi, a.Currency, lang)))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" fill="#5b6675">%s</text>`, padL, chartH-padB+14, xmlText(formatMoney(lo, a.Currency, lang)+" · "+formatDate(pts[0].Date, lang)))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" fill="#5b6675" text-anchor="end">%s</text>`, chartW-padR, chartH-padB+14, xmlText(formatDate(pts[len(pts)-1].Date, lang)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// monthFlow is the money in and out of an account in one month.
type monthFlow struct {
	Month   string // "2026-03"
	In, Out passbook.Money
}

func monthlyFlows(a passbook.Account) []monthFlow {
	by := map[string]*monthFlow{}
	var keys []string
	for _, t := range a.Transactions {
		k := fmt.Sprintf("%04d-%02d", t.Date.Year, int(t.Date.Month))
		f := by[k]
		if f == nil {
			f = &monthFlow{Month: k}
			by[k] = f
			keys = append(keys, k)
		}
		if t.Credit != nil {
			f.In += *t.Credit
		}
		if t.Debit != nil {
			f.Out += *t.Debit
		}
	}
	slices.Sort(keys)
	out := make([]monthFlow, len(keys))
	for i, k := range keys {
		out[i] = *by[k]
	}
	return out
}

// flowChart draws money in (green) and out (red) per month as paired bars.
func flowChart(a passbook.Account, lang string) template.HTML {
	flows := monthlyFlows(a)
	if len(flows) == 0 {
		return ""
	}
	if len(flows) > 24 {
		flows = flows[len(flows)-24:]
	}
	var top passbook.Money = 1
	for _, f := range flows {
		top = max(top, f.In, f.Out)
	}
	slot := (chartW - padL - padR) / float64(len(flows))
	bar := min(slot*0.38, 28)
	base := chartH - padB
	hgt := func(m passbook.Money) float64 { return (chartH - padT - padB) * float64(m) / float64(top) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, xmlText(tr(lang, "Money in and out per month", "Entrées et sorties par mois")))
	fmt.Fprintf(&b, `<text x="%.0f" y="12" font-size="11" fill="#5b6675">%s</text>`, padL, xmlText(formatMoney(top, a.Currency, lang)))
	for i, f := range flows {
		cx := padL + slot*float64(i) + slot/2
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#137333"><title>%s %s %s</title></rect>`,
			cx-bar-1, base-hgt(f.In), bar, hgt(f.In), f.Month, xmlText(tr(lang, "in", "entrées")), xmlText(formatMoney(f.In, a.Currency, lang)))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#c5221f"><title>%s %s %s</title></rect>`,
			cx+1, base-hgt(f.Out), bar, hgt(f.Out), f.Month, xmlText(tr(lang, "out", "sorties")), xmlText(formatMoney(f.Out, a.Currency, lang)))
		if len(flows) <= 12 || i%2 == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="10" fill="#5b6675" text-anchor="middle">%s</text>`, cx, chartH-6, f.Month)
		}
	}
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#dde3ea"/>`, padL, chartW-padR, base, base)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
