package main

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
)

// The trait matrix (issue 10): layouts of invented banks, each printing one or more of the traits
// that other people's statements have and our first layouts did not, in English and French (or
// Korean) and on one page or several. Each variant is one fixture in statement/testdata/traits,
// named LAYOUT-LANG[-long].

// variant is one printing of a trait layout: its language and whether it runs over several pages.
type variant struct {
	Lang string // "en", "fr" or "ko"
	Long bool
}

func (v variant) fr() bool { return v.Lang == "fr" }

func (v variant) name() string {
	if v.Long {
		return v.Lang + "-long"
	}
	return v.Lang
}

var (
	en1    = []variant{{"en", false}}
	enLong = []variant{{"en", false}, {"en", true}}
	enFr   = []variant{{"en", false}, {"fr", false}}
)

// traitLayout is one statement design of the trait matrix.
type traitLayout struct {
	Name     string
	Traits   []int  // the trait numbers it prints
	Look     string // country, currency and kind of account, in a few words
	Desc     string // what a reader must cope with
	Variants []variant
	A4       bool
	Make     func(r *rand.Rand, v variant) stmt
	Render   func(s stmt, v variant) string
}

const traitsReadme = `
## Trait matrix: ` + "`traits/`" + `

Made by ` + "`go run ./statement/internal/gen -set traits`" + ` (about a second a file; ` + "`-layout NAME`" + ` for one layout or one
fixture). Each layout is an invented bank printing one or more of the traits of issue 10 (numbers
below) the way other banks print them; each is printed in one or two languages and, where it
matters, also over several pages (` + "`-long`" + `). Fixtures are printed untagged and with fixed metadata,
so re-running the generator rewrites no file; the generator checks each truth's arithmetic first.

The truth follows the corpus conventions:

- transactions in printed order (section by section where there are sections, newest first where
  the statement prints newest first);
- a description is the text of the description column with its continuation lines joined by one
  space, sub-lines included (a foreign-currency line, a travel date, a reference line) and a row's
  type code in front ('DD COUNCIL TAX 12345678'); the other columns are not part of it: card
  numbers, reference numbers, second dates (posting or value date), branch and row-number columns,
  times, a column holding only the word Credit or Debit, placeholders ('-', '0') in an empty money
  column; in a cheques table the description is the cheque number;
- the date is the transaction date where two are printed;
- a card's purchases are debits and its balance is the amount owed;
- ` + "`balance`" + ` only where the row prints one (day-end balances on the last row of the day);
- opening and closing as the document prints them; for several statements bundled in one file, the
  first opening and the last closing, and all the rows;
- the period is the printed one, even where the rows run outside it (moa).

` + "`traits_test.go`" + ` requires the exact reading of each (accounts, number, type, currency, opening, closing,
every row's date, description, debit, credit and balance), except the files listed in
` + "`traits/PENDING`" + ` (one per line, with the trait in a comment) that the engine does not read yet;
a listed file that is read exactly fails the test until its line is removed.

Layouts:

`

func traitSeed(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// runTraits prints every variant of every trait layout (or only those of one layout or fixture)
// into dir, and removes the fixtures of layouts or variants that no longer exist.
func runTraits(ctx context.Context, dir string, seed uint64, only string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, l := range traitLayouts() {
		for _, v := range l.Variants {
			name := l.Name + "-" + v.name()
			keep[name] = true
			if only != "" && only != l.Name && only != name {
				continue
			}
			s := l.Make(traitSeed(seed, name), v)
			if err := checkTruth(s); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			pdf, err := print(ctx, l.Render(s, v), printOpts{A4: l.A4, Untagged: true}, s.End)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
				return err
			}
			js, _ := json.MarshalIndent(truthOf(s), "", " ")
			if err := os.WriteFile(filepath.Join(dir, name+".json"), append(js, '\n'), 0o644); err != nil {
				return err
			}
			log.Printf("traits/%s: %d bytes, %d pages", name, len(pdf), pageCount(pdf))
		}
	}
	if only != "" {
		return nil
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.*"))
	for _, f := range old {
		base := filepath.Base(f)
		ext := filepath.Ext(base)
		if (ext == ".pdf" || ext == ".json") && !keep[strings.TrimSuffix(base, ext)] {
			log.Printf("traits/%s: removed (no such layout variant)", base)
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}

var rePage = regexp.MustCompile(`/Type\s*/Page[^s]`)

func pageCount(pdf []byte) int { return len(rePage.FindAll(pdf, -1)) }

// fixture is what the README says of one printed trait fixture.
type fixture struct {
	Name, Lang  string
	Layout      traitLayout
	Pages, Rows int
	Kinds       []string // "CAD credit card", …
}

// traitFixtures reads the trait fixtures in dir: their truth and their page count.
func traitFixtures(dir string) ([]fixture, error) {
	byName := map[string]traitLayout{}
	for _, l := range traitLayouts() {
		byName[l.Name] = l
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []fixture
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		l, ok := byName[strings.SplitN(name, "-", 2)[0]]
		if !ok {
			continue
		}
		js, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var t truth
		if err := json.Unmarshal(js, &t); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		pdf, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".pdf")
		if err != nil {
			return nil, err
		}
		fx := fixture{Name: name, Layout: l, Pages: pageCount(pdf), Lang: strings.SplitN(strings.TrimPrefix(name, l.Name+"-"), "-", 2)[0]}
		for _, a := range t.Accounts {
			fx.Rows += len(a.Transactions)
			fx.Kinds = append(fx.Kinds, a.Currency+" "+strings.ReplaceAll(a.Type, "_", " "))
		}
		out = append(out, fx)
	}
	return out, nil
}

var langName = map[string]string{"en": "English", "fr": "French", "ko": "Korean"}

// traitEntries describes each fixture in one line.
func traitEntries(fs []fixture) []string {
	var out []string
	for _, f := range fs {
		l := f.Layout
		out = append(out, fmt.Sprintf("`%s`: trait%s %s; %s; %d page%s; %s; %d rows", f.Name, plural(len(l.Traits)), joinInts(l.Traits), langName[f.Lang], f.Pages, plural(f.Pages), strings.Join(f.Kinds, " + "), f.Rows))
	}
	return out
}

// traitMatrix is the README's table: for each trait, its layouts with their languages and page
// counts.
func traitMatrix(fs []fixture) string {
	var b strings.Builder
	b.WriteString("| trait | layouts (fixtures: language, pages) | fixtures |\n|---|---|---|\n")
	for t := 1; t <= 13; t++ {
		var cells []string
		n := 0
		for _, l := range traitLayouts() {
			if !slices.Contains(l.Traits, t) {
				continue
			}
			var vs []string
			for _, f := range fs {
				if f.Layout.Name == l.Name {
					vs = append(vs, fmt.Sprintf("%s %dp", f.Lang, f.Pages))
					n++
				}
			}
			cells = append(cells, fmt.Sprintf("`%s` (%s)", l.Name, strings.Join(vs, ", ")))
		}
		fmt.Fprintf(&b, "| %d | %s | %d |\n", t, strings.Join(cells, "; "), n)
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// --- helpers shared by the trait layouts ---

// tr picks the English or the French text.
func tr(v variant, en, fr string) string {
	if v.fr() {
		return fr
	}
	return en
}

// amt writes an absolute amount in the variant's number format.
func amt(v variant, m passbook.Money) string {
	if v.fr() {
		return fr(m)
	}
	return en(m)
}

// dollars writes '$1,234.56' in English and '1 234,56 $' in French, minus sign first.
func dollars(v variant, m passbook.Money) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	if v.fr() {
		return sign + fr(m) + "\u00a0$"
	}
	return sign + "$" + en(m)
}

var monLongEN = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// dayMon writes '05 Mar' or '05 mars'.
func dayMon(v variant, d passbook.Date) string {
	if v.fr() {
		return fmt.Sprintf("%02d %s", d.Day, monFR[d.Month])
	}
	return fmt.Sprintf("%02d %s", d.Day, monEN[d.Month])
}

// longDate writes 'March 5, 2026' or '5 mars 2026'.
func longDate(v variant, d passbook.Date) string {
	if v.fr() {
		return longFR(d)
	}
	return longEN(d)
}

func dmy(d passbook.Date, sep string) string {
	return fmt.Sprintf("%02d%s%02d%s%04d", d.Day, sep, d.Month, sep, d.Year)
}

func mdy(d passbook.Date, sep string) string {
	return fmt.Sprintf("%02d%s%02d%s%04d", d.Month, sep, d.Day, sep, d.Year)
}

// lines turns a description's '\n' into line breaks.
func lines(desc string) string {
	return strings.ReplaceAll(esc(desc), "\n", "<br>")
}

// rebalance recomputes the running balances after amounts were changed and returns the closing.
func rebalance(open passbook.Money, txs []tx, card bool) passbook.Money {
	bal := open
	for i := range txs {
		if card {
			bal += txs[i].Debit - txs[i].Credit
		} else {
			bal += txs[i].Credit - txs[i].Debit
		}
		txs[i].Bal = bal
	}
	return bal
}

// dayEnd shows the balance only on the last row of each day.
func dayEnd(txs []tx) {
	for i := range txs {
		txs[i].ShowBal = i == len(txs)-1 || txs[i+1].Date != txs[i].Date
	}
}

func totals(txs []tx) (credits, debits passbook.Money) {
	for _, t := range txs {
		credits += t.Credit
		debits += t.Debit
	}
	return
}

// tpage is a whole HTML page in the given font, with the base style of the trait layouts.
func tpage(font, size, extraCSS, body string) string {
	return `<!doctype html><html><head><meta charset=utf-8><style>
body{font-family:` + font + `;font-size:` + size + `;color:#111;margin:0}
table{border-collapse:collapse;width:100%}
th{text-align:left;font-weight:bold;padding:3px 4px;vertical-align:bottom}
td{padding:2px 4px;vertical-align:top}
.n{text-align:right;white-space:nowrap}
.d{white-space:nowrap}
tr{page-break-inside:avoid}
.brk{page-break-before:always}
` + extraCSS + `</style></head><body>` + body + `</body></html>`
}

func postal(h holder) string {
	return fmt.Sprintf("%s<br>%s<br>%s %s %s", esc(strings.ToUpper(h.Name)), esc(h.Address), esc(h.City), h.Province, h.PostalCode)
}

// withPost sets a posting date zero to three days after each transaction date, never after end.
func withPost(r *rand.Rand, txs []tx, end passbook.Date) {
	for i := range txs {
		p := txs[i].Date.AddDays(r.IntN(3))
		if p.After(end) {
			p = end
		}
		txs[i].Post = p
	}
}

// foreignLine turns a purchase into one made in another currency: a sub-line under the
// description gives the foreign amount and the rate, and the amount becomes their product.
func foreignLine(r *rand.Rand, t *tx, v variant, label string) {
	cur := pick(r, []string{"USD", "EUR", "GBP"})
	f := cents(r, 5, 300)
	rate := 11500 + r.IntN(6000) // 1.1500 – 1.7499
	t.Debit = passbook.Money((int64(f)*int64(rate) + 5000) / 10000)
	rs := fmt.Sprintf("%d.%04d", rate/10000, rate%10000)
	if v.fr() {
		rs = strings.Replace(rs, ".", ",", 1)
	}
	t.Desc = pick(r, []string{"AMAZON MKTPLACE SEATTLE WA", "HOTEL SOLEIL NICE FR", "TFL TRAVEL LONDON GB", "APPLE.COM/BILL CUPERTINO CA", "UBER *TRIP AMSTERDAM NL"}) +
		"\n" + fmt.Sprintf("%s %s %s @ %s", label, amt(v, f), cur, rs)
}

// without returns xs less s.
func without(xs []string, s string) []string {
	var out []string
	for _, x := range xs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// overdraw makes the account overdrawn for a while: the largest debit in the first half grows
// to take the balance below zero. It returns the new closing balance.
func overdraw(r *rand.Rand, open passbook.Money, txs []tx) passbook.Money {
	best := -1
	for i := range txs[:len(txs)/2] {
		if txs[i].Debit != 0 && (best < 0 || txs[i].Debit > txs[best].Debit) {
			best = i
		}
	}
	if best >= 0 {
		before := open
		if best > 0 {
			before = txs[best-1].Bal
		}
		if before > 0 {
			txs[best].Debit = before + cents(r, 20, 400)
		}
	}
	return rebalance(open, txs, false)
}

// checkTruth verifies a statement's own arithmetic before it is printed: opening plus credits
// minus debits is the closing (purchases add to a card's balance), and every running balance
// follows from the opening, in printed order or, for newest-first layouts, in reverse.
func checkTruth(s stmt) error {
	for _, a := range s.Accounts {
		if c := closeOf(a.Open, a.Txs, a.Card); c != a.Close {
			return fmt.Errorf("account %s: closing %s, but the rows give %s", a.Number, a.Close, c)
		}
		follows := func(txs []tx) bool {
			bal := a.Open
			for _, t := range txs {
				if t.Debit < 0 || t.Credit < 0 || (t.Debit == 0) == (t.Credit == 0) {
					return false
				}
				if a.Card {
					bal += t.Debit - t.Credit
				} else {
					bal += t.Credit - t.Debit
				}
				if t.ShowBal && t.Bal != bal {
					return false
				}
			}
			return true
		}
		rev := slices.Clone(a.Txs)
		slices.Reverse(rev)
		if !follows(a.Txs) && !follows(rev) {
			return fmt.Errorf("account %s: running balances or amounts do not follow", a.Number)
		}
	}
	return nil
}

// houseNo is the house number of a drawn address, for layouts that put it on a local street.
func houseNo(h holder) string { return strings.Fields(h.Address)[0] }
