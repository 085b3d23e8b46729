package statement

import (
	"context"
	"errors"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// ErrNoStatement is returned when a document has no page with text.
var ErrNoStatement = errors.New("statement: the document has no text to read (a scan without a text layer?)")

// ErrNoTextLayer is returned for a document whose pages hold images but no text: a scan that
// needs OCR before it can be read.
var ErrNoTextLayer = errors.New("this file is a scan with no text layer")

type column struct {
	Kind colKind
	Box  passbook.Box
	Ref  bool // a description-like column headed as a reference ("Reference Number", "Réf.")
}

type table struct {
	Cols   []column
	Dir    int // +1 credit table, -1 debit table, 0 either (from the section title)
	active bool
	id     int // tables are numbered in reading order; a total may cover one table
	rows   int // rows read since the header
	page   int
	lastY  float64
	// implicit: the columns come from the alignment of the rows' amounts, not from a heading;
	// which of two amount columns is the debit one is then a guess the balances may correct.
	implicit bool
}

func (t *table) col(k colKind) (column, bool) {
	for _, c := range t.Cols {
		if c.Kind == k {
			return c, true
		}
	}
	return column{}, false
}

func (t *table) hasMoney(k colKind) bool { _, ok := t.col(k); return ok }

// dirSource says how a row's direction was decided.
type dirSource int

const (
	dirUnknown dirSource = iota // unsigned amount, no column or section says
	dirColumn                   // a debit or credit column, or a section of one kind
	dirMark                     // DR/CR
	dirSign                     // a minus sign or parentheses in a signed column
)

type rawRow struct {
	date, post       rawDate
	hasDate, hasPost bool
	dateBox          passbook.Box
	desc             []string
	amt              *amount
	amtBox           passbook.Box
	credit           bool // direction under the default reading
	src              dirSource
	bal              *passbook.Money
	balBox           passbook.Box
	page             int
	box              passbook.Box
	table            int  // the table the row was read from
	inherit          bool // printed without a date: it has the date of the row above
	tail             int  // index in desc of the first line printed after the row's amount (0: none)
	tailX            float64
	guess            bool // the direction comes from a column named by position only
}

type rawTotal struct {
	kind  string
	label string
	value passbook.Money
	at    Location
}

type acctBuild struct {
	number   string
	numberAt *Location
	title    string
	context  string // heading and label text, for the type
	near     string // the lines just above the account number
	currency string
	rows     []*rawRow
	opening  *passbook.Money
	closing  *passbook.Money
	openAt   *Location
	closeAt  *Location
	totals   []rawTotal
	signed   bool // some rows come from a signed Amount column
}

func (a *acctBuild) empty() bool {
	return len(a.rows) == 0 && a.opening == nil && a.closing == nil && len(a.totals) == 0
}

type parser struct {
	lines    []line
	headers  [][]column // headerCols of each line, computed once
	hdrDone  []bool
	card     bool // the statement is a credit card's
	currency string
	lang     string
	nTables  int
	anchor   passbook.Date // a day on or after the statement's, for dates printed without a year (see anchorDate)
	accts    []*acctBuild
	cur      *acctBuild
	tbl      *table
	pending  []func(*acctBuild) // summary figures seen before any account
	furn     []bool             // lines that are page furniture: a running header or footer
	ended    bool               // an end-of-transactions marker was read; no table until the next account
}

// Options tune a reading.
type Options struct {
	// Now is the clock, asked only for a statement that prints no year anywhere and carries no
	// creation date: its rows are then dated on or before Now's day. Nil means time.Now.
	Now func() time.Time
}

// Parse reads a statement document. It never fails on odd input: a document with text but no
// recognisable table yields a Result with no accounts. It is ParseWith with the system clock.
func Parse(ctx context.Context, doc *pdf.Document) (*Result, error) {
	return ParseWith(ctx, doc, Options{})
}

// ParseWith reads a statement document as Parse does, with the options given.
func ParseWith(ctx context.Context, doc *pdf.Document, opts Options) (*Result, error) {
	if doc == nil {
		return nil, ErrNoStatement
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &parser{}
	for _, pg := range doc.Pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.lines = append(p.lines, pageLines(pg)...)
	}
	res := &Result{Pages: len(doc.Pages)}
	if len(p.lines) == 0 {
		for _, pg := range doc.Pages {
			if len(pg.Images) > 0 {
				return res, ErrNoTextLayer
			}
		}
		return res, ErrNoStatement
	}
	p.furn = furniture(p.lines, doc.Pages)
	p.facts(res)
	p.anchor = anchorDate(p.lines, doc.Structure.Info, opts.Now)
	p.walk()
	if !p.anyRows() {
		// No table heading was recognised (another language, or none printed): read the rows
		// that start with a date, with columns from the alignment of their amounts.
		if t := implicitTable(p.lines); t != nil {
			p.accts, p.cur, p.pending, p.ended = nil, nil, nil, false
			p.tbl = t
			p.walk()
		}
	}
	order := p.dateOrder(res)
	for _, a := range p.accts {
		if a.empty() {
			continue
		}
		res.Accounts = append(res.Accounts, p.finish(a, res, order))
	}
	return res, nil
}

// facts reads what the first page says about the statement as a whole.
func (p *parser) facts(res *Result) {
	var first []line
	for _, l := range p.lines {
		if l.Page == p.lines[0].Page {
			first = append(first, l)
		}
	}
	all := strings.Builder{}
	for _, l := range first {
		all.WriteString(l.Text)
		all.WriteByte('\n')
	}
	text := all.String()
	// Whether it is a card statement is read above the first table, not from its rows.
	var head strings.Builder
	for _, l := range first {
		if headerCols(l) != nil {
			break
		}
		if datedLine(l) && hasAmount(l) {
			continue // a row of a table without a recognised heading ("VISA RATE 98.89")
		}
		head.WriteString(l.Text)
		head.WriteByte('\n')
	}
	lower := strings.ToLower(head.String())
	p.card = reCardWords.MatchString(head.String()) && !strings.Contains(lower, "chequing") && !strings.Contains(lower, "checking") && !strings.Contains(lower, "savings")
	if !p.card {
		// No card word above the table, or a deposit word beside it: the card's own vocabulary
		// (minimum payment, credit limit, payment due, cash advances…) decides.
		p.card = cardVocabulary(p.lines)
	}
	// The currency the statement names above its first table, else anywhere on its first page
	// but in a foreign-currency line ("FOREIGN CURRENCY 12.00 USD @ 1.31").
	p.currency = currencyIn(head.String())
	if p.currency == "" {
		var plain strings.Builder
		for _, l := range first {
			if !reForeign.MatchString(l.Text) {
				plain.WriteString(l.Text)
				plain.WriteByte('\n')
			}
		}
		p.currency = currencyIn(plain.String())
	}
	named := p.currency != ""
	if p.currency == "" {
		p.currency = "CAD"
	}
	res.Currency = p.currency
	fr := 0
	for _, w := range []string{"solde", "relevé", "période", "dépôt", "retrait", " du ", " au ", "compte"} {
		if strings.Contains(strings.ToLower(text), w) {
			fr++
		}
	}
	res.Language = "en"
	if fr >= 2 {
		res.Language = "fr"
	}
	p.lang = res.Language
	res.Institution = institution(first)
	res.Holder = holder(first, res.Institution)
	if !named {
		// No currency named: the holder's country, or the IBAN's, says it.
		switch {
		case res.Holder.Address.Country == "US":
			p.currency = "USD"
		case randMarks(p.lines):
			p.currency = "ZAR"
		default:
			if m := reIBANIn.FindStringSubmatch(text); m != nil {
				if c := ibanCurrency[m[1]]; c != "" {
					p.currency = c
				}
			}
		}
		res.Currency = p.currency
	}
}

var (
	rePhone         = regexp.MustCompile(`^\d{3}-\d{3}-\d{4}$`)
	reParenCurrency = regexp.MustCompile(`\([A-Z]{3}\)`)
	reTrailingLabel = regexp.MustCompile(`(?i)\s*\b(no\.?|number|num[ée]ro|n°|nº)\s*$`)
)

var reInstitution = regexp.MustCompile(`(?i)\b(bank|banque|credit union|caisse|desjardins|financial|trust|savings|bancorp|visa|mastercard|card services|b\.?v\.?|ag)\b`)

func institution(ls []line) string {
	for _, l := range ls {
		for _, c := range l.Cells {
			if reInstitution.MatchString(c.Text) && len(c.Text) < 60 && !strings.ContainsAny(c.Text, ":0123456789") {
				return c.Text
			}
		}
	}
	for _, l := range ls {
		if len(l.Cells) > 0 {
			return l.Cells[0].Text
		}
	}
	return ""
}

func holder(ls []line, inst string) passbook.Holder {
	var h passbook.Holder
	for i, l := range ls {
		for _, c := range l.Cells {
			pc := rePostalCA.FindString(c.Text)
			country := "CA"
			var prov, city string
			if pc != "" {
				city = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Text[:strings.Index(c.Text, pc)]), ","))
				if f := strings.Fields(city); len(f) > 1 && len(f[len(f)-1]) == 2 && strings.ToUpper(f[len(f)-1]) == f[len(f)-1] {
					prov = f[len(f)-1]
					city = strings.Join(f[:len(f)-1], " ")
				} else if f := strings.Fields(strings.Trim(city, "()")); len(f) > 1 {
					if strings.HasPrefix(f[len(f)-1], "(") || len(f[len(f)-1]) == 2 {
						prov = strings.Trim(f[len(f)-1], "()")
						city = strings.Join(f[:len(f)-1], " ")
					}
				}
			} else if m := rePostalUS.FindStringSubmatchIndex(c.Text); m != nil {
				pc = c.Text[m[4]:m[5]]
				prov = c.Text[m[2]:m[3]]
				city = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Text[:m[0]]), ","))
				country = "US"
			} else {
				continue
			}
			if strings.Contains(c.Text, inst) && inst != "" {
				continue
			}
			// The lines above, in the same column, are the civic address and the name.
			var above []string
			y := c.Box.Y0
			for j := i - 1; j >= 0 && len(above) < 3; j-- {
				var found *cell
				for k := range ls[j].Cells {
					ac := &ls[j].Cells[k]
					if ac.Box.X0 < c.Box.X1 && ac.Box.X1 > c.Box.X0 && math.Abs(ac.Box.X0-c.Box.X0) < 3*l.Size {
						found = ac
						break
					}
				}
				if found == nil {
					if y-ls[j].Box.Y1 > 3*l.Size {
						break
					}
					continue
				}
				if y-found.Box.Y1 > 1.6*l.Size {
					break
				}
				above = append(above, found.Text)
				y = found.Box.Y0
			}
			if len(above) == 0 {
				continue
			}
			h.Address = passbook.Address{CivicAddress: above[0], City: city, Province: prov, PostalCode: pc, Country: country}
			name := ""
			if len(above) > 1 {
				name = above[1]
				if len(above) > 2 && startsWithDigit(above[1]) {
					h.Address.CivicAddress = above[1] + ", " + above[0]
					name = above[2]
				}
			}
			h.Name = name
			return h
		}
	}
	return h
}

var (
	reCardTerms    = regexp.MustCompile(`(?i)\b(minimum (payment|amount)|payment due|credit (limit|line)|available credit|cash advances?|annual percentage rate|interest charged|purchases|balance transfers?|paiement minimum|limite de cr[ée]dit|avances? de fonds)\b`)
	reDepositTerms = regexp.MustCompile(`(?i)\b(chequing|checking|savings account|current account|overdraft|paid in|paid out|money in|money out|deposits?|withdrawals?|compte ch[èe]ques|d[ée]p[ôo]ts?|retraits?)\b`)
)

// randMarks reports whether the statement's amounts are printed with the rand's mark set apart
// before them ("R 12,000.00", "-R 599.00").
func randMarks(ls []line) bool {
	n := 0
	for _, l := range ls {
		for _, t := range l.toks {
			if t.Amount != nil && len(t.Words) == 2 && strings.TrimLeft(t.Words[0].Text, "-−–+") == "R" {
				n++
			}
		}
	}
	return n >= 2
}

// cardVocabulary reports whether the statement speaks as a credit card's does: at least three
// distinct card terms on its first pages and three times as many as deposit-account terms.
func cardVocabulary(ls []line) bool {
	card, dep := map[string]bool{}, map[string]bool{}
	for _, l := range ls {
		if l.Page > 2 {
			break
		}
		for _, m := range reCardTerms.FindAllString(l.Lower, -1) {
			card[m] = true
		}
		for _, m := range reDepositTerms.FindAllString(l.Lower, -1) {
			dep[m] = true
		}
	}
	return len(card) >= 3 && len(card) >= 3*len(dep)
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func (p *parser) header(i int) []column {
	if p.headers == nil {
		p.headers = make([][]column, len(p.lines))
		p.hdrDone = make([]bool, len(p.lines))
	}
	if !p.hdrDone[i] {
		p.headers[i], p.hdrDone[i] = headerCols(p.lines[i]), true
		if p.headers[i] == nil && i > 0 {
			// A heading printed on two lines ("Date" above "Paid"): read both lines as one.
			l, up := p.lines[i], p.lines[i-1]
			if up.Page == l.Page && l.Box.Y0-up.Box.Y1 < 0.8*l.Size && len(up.Words) <= 8 && !hasAmount(up) && headerCols(up) == nil {
				p.headers[i] = headerCols(stackHeadings(up, l))
			}
		}
	}
	return p.headers[i]
}

// stackHeadings reads a heading printed on two lines as one line: a cell of the upper line that
// sits over one cell of the lower line joins it ("Money" over "out" is "Money out"), one over no
// cell is a heading of its own ("Amount" beside "Date | Details"), and one that spans several
// cells of the lower line is a title over them ("Your transaction details"), not a heading.
func stackHeadings(up, l line) line {
	over := func(a, b passbook.Box) bool { return a.X0 < b.X1 && b.X0 < a.X1 }
	var ws []pdf.Word
	joined := make([]bool, len(up.Cells))
	for _, c := range l.Cells {
		var ups []int
		for k, u := range up.Cells {
			if over(u.Box, c.Box) {
				ups = append(ups, k)
			}
		}
		w := pdf.Word{Text: c.Text, Box: c.Box, Baseline: c.Words[0].Baseline, Size: c.Words[0].Size}
		if len(ups) == 1 {
			u := up.Cells[ups[0]]
			n := 0
			for _, c2 := range l.Cells {
				if over(u.Box, c2.Box) {
					n++
				}
			}
			if n == 1 {
				w.Text, w.Box = u.Text+" "+c.Text, union(u.Box, c.Box)
				w.Box.Y0, w.Box.Y1 = c.Box.Y0, c.Box.Y1
				joined[ups[0]] = true
			}
		}
		ws = append(ws, w)
	}
	for k, u := range up.Cells {
		if joined[k] {
			continue
		}
		alone := true
		for _, c := range l.Cells {
			alone = alone && !over(u.Box, c.Box)
		}
		if alone {
			b := u.Box
			b.Y0, b.Y1 = l.Box.Y0, l.Box.Y1
			ws = append(ws, pdf.Word{Text: u.Text, Box: b, Baseline: l.Words[0].Baseline, Size: u.Words[0].Size})
		}
	}
	return makeLine(l.Page, ws)
}

// headerCols returns the columns a line names, or nil when it is not a table header.
func headerCols(l line) []column {
	var cols []column
	for _, c := range l.Cells {
		k := classifyHeader(c.Text)
		if k != colNone && !(len(c.Words) > 1 && multiKind(c.Words)) {
			cols = append(cols, column{Kind: k, Box: c.Box, Ref: k == colDesc && reRefHeading.MatchString(c.Text)})
			continue
		}
		// A cell that runs two headings together ("Date Description"): classify word by word.
		var run []pdf.Word
		var runKind colKind
		flush := func() {
			if len(run) > 0 && runKind != colNone {
				cols = append(cols, column{Kind: runKind, Box: wordsBox(run)})
			}
			run, runKind = nil, colNone
		}
		for _, w := range c.Words {
			k := classifyHeader(w.Text)
			if k != colNone && runKind != colNone && k != runKind {
				flush()
			}
			run = append(run, w)
			if k != colNone {
				runKind = k
			}
		}
		flush()
	}
	var date, money, desc int
	for i := range cols {
		switch k := cols[i].Kind; {
		case k == colDate || k == colPost:
			date++
			if k == colDate && date == 2 {
				cols[i].Kind = colPost
			}
		case k.isMoney():
			money++
		case k == colDesc:
			desc++
		}
	}
	if date == 0 || money == 0 || desc == 0 || len(cols) < 3 {
		return nil
	}
	// A header has no amounts, and few words that are not headings.
	for _, t := range l.tokens() {
		if t.Amount != nil {
			return nil
		}
	}
	if len(l.Words) > 4*len(cols)+2 {
		return nil
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].Box.X0 < cols[j].Box.X0 })
	return cols
}

func multiKind(ws []pdf.Word) bool {
	var kinds []colKind
	for _, w := range ws {
		if k := classifyHeader(w.Text); k != colNone {
			if len(kinds) > 0 && kinds[len(kinds)-1] != k && !(k == colDate && (kinds[len(kinds)-1] == colPost || kinds[len(kinds)-1] == colDesc)) {
				return true
			}
			kinds = append(kinds, k)
		}
	}
	return false
}

// accountNumber finds an account number in a line: after a label ("Account number:",
// "Card number", "Member #", "No de compte"), or in a section heading that ends with one.
func accountNumber(l line, beforeHeader bool) (string, passbook.Box, bool) {
	words := l.Words
	inDate := make([]bool, len(words))
	ws := make([]string, len(words))
	for i, w := range words {
		ws[i] = strings.Trim(w.Text, "(),")
	}
	for i := 0; i < len(ws); i++ {
		if _, n, ok := parseDateWords(ws[i:]); ok && !strings.ContainsAny(ws[i], "Xx*") {
			for k := i; k < i+n; k++ {
				inDate[k] = true
			}
			i += n - 1
		}
	}
	if beforeHeader {
		for _, t := range l.tokens() {
			if t.Amount != nil {
				beforeHeader = false
			}
		}
	}
	for i := 0; i < len(words); i++ {
		w := words[i].Text
		labelled := i > 0 && reAccountLbl.MatchString(strings.ToLower(words[i-1].Text+" "+w))
		if i > 1 {
			labelled = labelled || reAccountLbl.MatchString(strings.ToLower(words[i-2].Text))
		}
		if !labelled && !beforeHeader {
			continue
		}
		if labelled && reIBANStart.MatchString(w) {
			// An IBAN: country, check digits, then groups of letters and digits.
			j := i + 1
			for j < len(words) && j-i < 9 && reIBANGroup.MatchString(words[j].Text) {
				j++
			}
			if iban := joinWords(words[i:j]); j-i >= 3 && reIBAN.MatchString(iban) {
				return iban, wordsBox(words[i:j]), true
			}
		}
		// Collect a run of number-looking words.
		j := i
		var parts []string
		for j < len(words) && len(parts) < 5 {
			t := strings.Trim(words[j].Text, ":,;()")
			if inDate[j] || t == "" || !reAcctNumber.MatchString(t) || reAcctNumber.FindString(t) != t {
				break
			}
			parts = append(parts, t)
			j++
		}
		if len(parts) == 0 {
			continue
		}
		num := strings.Join(parts, " ")
		digits := 0
		for _, r := range num {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 4 {
			continue
		}
		if _, ok := parseAmount(num); ok {
			continue
		}
		if _, _, ok := parseDateWords([]string{parts[0]}); ok && len(parts) == 1 && !strings.Contains(num, "X") {
			if _, err := passbook.ParseDate(num); err == nil || strings.Count(num, "/") == 2 {
				continue
			}
		}
		if !labelled {
			// In a heading without a label, only a number with a dash or of 5+ digits, and
			// not a postal code at the end of an address.
			if digits < 5 || len(l.Words) > 12 || len(parts) > 1 || rePostalUS.MatchString(l.Text) || rePostalCA.MatchString(l.Text) {
				continue
			}
		}
		// Phone numbers: 3-3-4.
		if rePhone.MatchString(num) {
			continue
		}
		return num, wordsBox(words[i:j]), true
	}
	return "", passbook.Box{}, false
}

var (
	reIBANIn      = regexp.MustCompile(`\b(AT|BE|CY|DE|EE|ES|FI|FR|GB|GR|HR|IE|IT|LT|LU|LV|MT|NL|PT|SI|SK|CH|PL|SE|DK|NO|CZ|HU)\d{2} ?[A-Z0-9]{4}`)
	ibanCurrency  = map[string]string{"AT": "EUR", "BE": "EUR", "CY": "EUR", "DE": "EUR", "EE": "EUR", "ES": "EUR", "FI": "EUR", "FR": "EUR", "GR": "EUR", "HR": "EUR", "IE": "EUR", "IT": "EUR", "LT": "EUR", "LU": "EUR", "LV": "EUR", "MT": "EUR", "NL": "EUR", "PT": "EUR", "SI": "EUR", "SK": "EUR", "GB": "GBP", "CH": "CHF", "PL": "PLN", "SE": "SEK", "DK": "DKK", "NO": "NOK", "CZ": "CZK", "HU": "HUF"}
	reNumberLabel = regexp.MustCompile(`(?i)^(iban|account|account (number|no\.?|#)|acct\.? (number|no\.?)|a/c no\.?|card number|kontonummer|konto|num[ée]ro de compte|n[°º] de compte|compte)\s*:?$`)
	reIBAN        = regexp.MustCompile(`^[A-Z]{2}\d{2}( ?[A-Z0-9]{2,8}){2,8}$`)
	reIBANStart   = regexp.MustCompile(`^[A-Z]{2}\d{2}$`)
	reIBANGroup   = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)
)

// numberBelow reads an account number printed under its label, in a grid of labels over values
// ("IBAN" over "DE31 2001 0020 9999 9999 99", "Account Number" over "12345678").
func (p *parser) numberBelow(i int) (string, passbook.Box, bool) {
	l := p.lines[i]
	if hasAmount(l) || len(l.Cells) > 8 {
		return "", passbook.Box{}, false
	}
	j := i + 1
	for j+1 < len(p.lines) && len([]rune(p.lines[j].Text)) == 1 {
		j++
	}
	if j >= len(p.lines) {
		return "", passbook.Box{}, false
	}
	next := p.lines[j]
	if next.Page != l.Page || next.Box.Y0-l.Box.Y1 > 2.5*math.Max(l.Size, 4) {
		return "", passbook.Box{}, false
	}
	for _, c := range l.Cells {
		if !reNumberLabel.MatchString(squeezeSpaces(c.Text)) {
			continue
		}
		for _, v := range next.Cells {
			if v.Box.X1 < c.Box.X0-l.Size || v.Box.X0 > c.Box.X1+l.Size || math.Abs(v.Box.X0-c.Box.X0) > 3*l.Size {
				continue
			}
			t := strings.TrimSpace(v.Text)
			if reIBAN.MatchString(t) {
				return t, v.Box, true
			}
			if m := reAcctNumber.FindString(t); m != "" && len(m) >= len(t)-2 && strings.Count(m, "")-1 >= 4 {
				digits := 0
				for _, r := range m {
					if r >= '0' && r <= '9' {
						digits++
					}
				}
				if _, isAmt := parseAmount(m); digits >= 4 && !isAmt && !rePhone.MatchString(m) {
					return m, v.Box, true
				}
			}
		}
	}
	return "", passbook.Box{}, false
}

// squeezeSpaces collapses runs of spaces, and the spaces a letter-spaced label puts inside its
// words ("Acco unt Num ber") are left to the label's own pattern.
func squeezeSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// known reports whether an account with this number was opened already.
func (p *parser) known(num string) bool {
	key := numberKey(num)
	for _, a := range p.accts {
		if numberKey(a.number) == key {
			return true
		}
	}
	return false
}

// furniture marks the lines printed in a page's header or footer band that recur, with the same
// words (spacing aside), on other pages: running headers and footers, not content.
func furniture(ls []line, pages []pdf.Page) []bool {
	height := make(map[int]float64, len(pages))
	for _, pg := range pages {
		height[pg.Number] = pg.Height
	}
	band := func(l line) bool {
		h := height[l.Page]
		return h > 0 && (l.Box.Y1 < 0.14*h || l.Box.Y0 > 0.86*h)
	}
	seen := map[string]map[int]bool{}
	for _, l := range ls {
		if !band(l) {
			continue
		}
		k := furnitureKey(l)
		if seen[k] == nil {
			seen[k] = map[int]bool{}
		}
		seen[k][l.Page] = true
	}
	out := make([]bool, len(ls))
	for i, l := range ls {
		out[i] = band(l) && len(seen[furnitureKey(l)]) >= 2
	}
	return out
}

// rePageNo matches a page number as headers and footers print it: "Page 2 of 5", "Seite 2/5",
// "2 / 5", "p. 3".
var rePageNo = regexp.MustCompile(`(?i)(\b(page|seite|pagina|página|p\.)\s*\d+(\s*(of|de|sur|von|/)\s*\d+)?)|\b\d+\s*/\s*\d+\b`)

// furnitureKey is a line's text without its page number and spacing, the same on every page for
// a running header or footer.
func furnitureKey(l line) string {
	return squeeze(rePageNo.ReplaceAllString(l.Lower, ""))
}

func numberKey(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	return strings.Trim(b.String(), "-")
}

// before returns the text of the lines without amounts just above line i, for the type of an
// account whose own heading does not say it.
func (p *parser) before(i int) string {
	var parts []string
	for j := i - 1; j >= 0 && j >= i-6; j-- {
		if p.lines[j].Page != p.lines[i].Page {
			break
		}
		amt := false
		for _, t := range p.lines[j].tokens() {
			if t.Amount != nil {
				amt = true
			}
		}
		if amt {
			break
		}
		parts = append(parts, p.lines[j].Text)
	}
	return strings.Join(parts, " ")
}

func (p *parser) account(num string, at *Location, l line, i int, startsSection bool) *acctBuild {
	key := numberKey(num)
	for k := len(p.accts) - 1; k >= 0; k-- {
		if a := p.accts[k]; numberKey(a.number) == key {
			return a // the latest statement of the account
		}
	}
	// A member number of which the accounts are suffixes does not open an account.
	for _, a := range p.accts {
		if ak := numberKey(a.number); ak != "" && strings.HasPrefix(ak, key+"-") {
			return p.cur
		}
	}
	// The current account takes the number when it has nothing yet (an earlier number was a
	// member or customer number), or when its rows came before any number was printed and no
	// new section starts here.
	if p.cur != nil && (p.cur.empty() || p.cur.number == "" && !startsSection) {
		p.cur.number, p.cur.numberAt = num, at
		p.cur.context += " " + l.Text
		p.cur.title = headingTitle(l, num)
		p.cur.near = p.before(i)
		return p.cur
	}
	a := &acctBuild{number: num, numberAt: at, context: l.Text, title: headingTitle(l, num), currency: currencyIn(l.Text), near: p.before(i)}
	p.accts = append(p.accts, a)
	for _, f := range p.pending {
		f(a)
	}
	p.pending = nil
	return a
}

func headingTitle(l line, num string) string {
	t := strings.Replace(l.Text, num, "", 1)
	t = strings.Trim(t, " —–-:#()")
	t = reParenCurrency.ReplaceAllString(t, "")
	t = strings.TrimSpace(strings.Trim(t, " —–-:#"))
	for {
		u := strings.TrimSpace(strings.Trim(reTrailingLabel.ReplaceAllString(t, ""), " —–-:#"))
		if u == t {
			break
		}
		t = u
	}
	if len(strings.Fields(t)) <= 3 && reAccountLbl.MatchString(strings.ToLower(t)) && typeFromText(t) == "" {
		return "" // only the label: "Account number", "Card number"
	}
	return t
}

func (p *parser) current() *acctBuild {
	if p.cur == nil {
		p.cur = &acctBuild{}
		p.accts = append(p.accts, p.cur)
		for _, f := range p.pending {
			f(p.cur)
		}
		p.pending = nil
	}
	return p.cur
}

// walk reads the lines in order, building accounts and their rows.
func (p *parser) walk() {
	for i := 0; i < len(p.lines); i++ {
		l := p.lines[i]
		if cols := p.header(i); cols != nil {
			if p.ended {
				continue // a table after "transactions stop here": not the statement's
			}
			p.nTables++
			t := &table{Cols: cols, active: true, page: l.Page, lastY: l.Box.Y1, id: p.nTables}
			t.Dir = p.sectionDir(i)
			// Repeated headers on a new page keep the table's direction.
			if p.tbl != nil && t.Dir == 0 && sameCols(p.tbl.Cols, cols) && l.Page != p.tbl.page {
				t.Dir, t.id = p.tbl.Dir, p.tbl.id
			}
			p.refit(t, i)
			p.tbl = t
			p.sectionStart(i)
			p.current()
			continue
		}
		beforeHeader := false
		for j := i + 1; j < len(p.lines) && j <= i+2; j++ {
			if p.lines[j].Page == l.Page && p.header(j) != nil {
				beforeHeader = true
			}
		}
		if p.tbl != nil && !beforeHeader && p.sectionHeading(l) {
			continue
		}
		if p.tbl != nil && endMarker(l) {
			// "End of transactions", "Transactions stop here": what follows until the next
			// table heading is not a row.
			p.tbl, p.ended = nil, true
			continue
		}
		if p.tbl != nil && !beforeHeader && p.row(l) {
			continue
		}
		{
			num, box, ok := accountNumber(l, beforeHeader)
			below := false
			if !ok && (p.cur == nil || p.cur.number == "") {
				num, box, ok = p.numberBelow(i)
				below = ok
			}
			if ok {
				if p.furn[i] && p.cur != nil && p.cur.number != "" && !p.known(num) {
					// A number in a running header or footer (often a placeholder, or the
					// customer's number) does not open an account: sections do.
					continue
				}
				at := &Location{l.Page, box}
				a := p.account(num, at, l, i, beforeHeader)
				if a != p.cur {
					p.cur, p.ended = a, false
					if p.tbl != nil {
						p.tbl.active = false
					}
				}
				if cur := currencyIn(l.Text); cur != "" {
					p.cur.currency = cur
				}
				if t := typeFromText(l.Text); t != "" {
					p.cur.context += " " + l.Text
				}
				if below {
					p.summaryBelow(i) // the grid of labels may hold the balances too
				}
				continue
			}
		}
		p.summary(l)
		p.summaryBelow(i)
	}
}

// refit moves a table's money columns to where its rows print their amounts, when the headings
// are not set over them (a heading line typed as one run of words, or centred far from the
// figures): the amounts of the dated lines below the header are clustered by their right edges,
// and when there are as many clusters as money headings, the headings name them left to right.
func (p *parser) refit(t *table, i int) {
	var money []int
	for k, c := range t.Cols {
		if c.Kind.isMoney() {
			money = append(money, k)
		}
	}
	var hits []passbook.Box
	misses := 0
	for j := i + 1; j < len(p.lines) && j <= i+400; j++ {
		l := p.lines[j]
		if p.header(j) != nil {
			break
		}
		if !datedLine(l) {
			continue
		}
		for _, tk := range l.tokens() {
			if tk.Amount == nil || tk.Loose || tk.Box.X0 < l.Words[0].Box.X1 {
				continue
			}
			hits = append(hits, tk.Box)
			if _, ok := t.nearestMoneyCol(tk.Box, l.Size); !ok {
				misses++
			}
		}
	}
	if len(hits) < 2 {
		return
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].X1 < hits[b].X1 })
	var clusters []passbook.Box
	var counts []int
	for _, h := range hits {
		if n := len(clusters); n > 0 && h.X1-clusters[n-1].X1 < 12 {
			clusters[n-1] = union(clusters[n-1], h)
			counts[n-1]++
			continue
		}
		clusters = append(clusters, h)
		counts = append(counts, 1)
	}
	if misses*2 <= len(hits) {
		// The headings are over the figures; but a heading set at the left of a wide column
		// of right-aligned figures is nearer the next column's figures: as many well-filled
		// clusters as money headings take the headings in order.
		if len(clusters) != len(money) || len(hits) < 3*len(clusters) {
			return
		}
		for _, n := range counts {
			if n < 2 {
				return
			}
		}
		for n, k := range money {
			t.Cols[k].Box = union(clusters[n], passbook.Box{X0: clusters[n].X0, X1: clusters[n].X1, Y0: t.Cols[k].Box.Y0, Y1: t.Cols[k].Box.Y1})
		}
		sort.SliceStable(t.Cols, func(a, b int) bool { return t.Cols[a].Box.X0 < t.Cols[b].Box.X0 })
		return
	}
	if len(clusters) != len(money) {
		// Fewer columns used on this page than named: a header repeated from an earlier page
		// takes that page's columns when every amount here falls in one of them.
		if prev := p.tbl; prev != nil && sameCols(prev.Cols, t.Cols) {
			for _, h := range hits {
				if !prev.overlapsMoney(h, 2) {
					return
				}
			}
			t.Cols = append([]column(nil), prev.Cols...)
		}
		return
	}
	for n, k := range money {
		t.Cols[k].Box = clusters[n]
	}
	sort.SliceStable(t.Cols, func(a, b int) bool { return t.Cols[a].Box.X0 < t.Cols[b].Box.X0 })
}

// datedLine reports whether a line starts with a date, or with a short reference and a date.
func datedLine(l line) bool {
	ws := make([]string, 0, 4)
	for _, w := range l.Words[:min(4, len(l.Words))] {
		ws = append(ws, w.Text)
	}
	if _, _, ok := parseDateWords(ws); ok {
		return true
	}
	if len(ws) > 1 && idLike(ws[0]) {
		_, _, ok := parseDateWords(ws[1:])
		return ok
	}
	return false
}

// sectionStart looks for an account heading just above the table header at line i ("Savings
// account", "Chequing", "Compte d'épargne"): a heading of another type than the current account's
// starts a new account even though no number is printed, and a heading names the account that
// has none yet.
func (p *parser) sectionStart(i int) {
	heading := ""
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		l := p.lines[j]
		if l.Page != p.lines[i].Page || hasAmount(l) {
			break
		}
		if len(l.Words) <= 5 && typeFromText(l.Text) != "" {
			heading = l.Text
			break
		}
	}
	if heading == "" {
		return
	}
	typ := typeFromText(heading)
	if c := p.cur; c != nil && !c.empty() {
		if cur := typeFromText(c.title + " " + c.context); cur == typ || cur == "" && c.number != "" {
			return
		}
		p.cur = nil // the next account's section
	}
	a := p.current()
	if a.title == "" {
		a.title = heading
	}
	if typeFromText(a.context) == "" {
		a.context = strings.TrimSpace(a.context + " " + heading)
	}
}

func sameCols(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind {
			return false
		}
	}
	return true
}

// sectionDir reads the title above a header: "Deposits and other credits" makes a credit table.
func (p *parser) sectionDir(i int) int {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		l := p.lines[j]
		if l.Page != p.lines[i].Page {
			break
		}
		hasAmt := false
		for _, t := range l.tokens() {
			if t.Amount != nil {
				hasAmt = true
			}
		}
		if hasAmt || reOpening.MatchString(l.Text) || reClosing.MatchString(l.Text) {
			continue
		}
		c, d := reCredits.MatchString(l.Text), reDebits.MatchString(l.Text)
		switch {
		case c && !d:
			return 1
		case d && !c:
			return -1
		}
	}
	return 0
}

var (
	reForeign   = regexp.MustCompile(`(?i)(@|=|foreign|exchange rate|taux de change|devise|conversion)`)
	reEndMarker = regexp.MustCompile(`(?i)(endoftransaction|transactionsstophere|transactionsendhere|endofactivity|endofstatement|findesop[ée]rations|findestransactions|findurelev[ée])`)
)

// endMarker reports whether a line says the table of transactions ends here (letter-spaced or
// not), with no amount on it.
func endMarker(l line) bool {
	sq := squeeze(l.Lower)
	return len(sq) <= 60 && !hasAmount(l) && reEndMarker.MatchString(sq)
}

// sectionHeading reads a title inside a table whose amounts say nothing of their direction
// ("Deposits and Other Credits", "Withdrawals and Other Debits" over one unsigned Amount column):
// the rows below it take its direction. A title starts left of the descriptions, so a wrapped
// description that says "deposit" is not one.
func (p *parser) sectionHeading(l line) bool {
	t := p.tbl
	if t.hasMoney(colDebit) || t.hasMoney(colCredit) || hasAmount(l) || len(l.Words) > 7 || len(l.Words) == 0 || typeFromText(l.Text) != "" {
		return false
	}
	dc, ok := t.col(colDate)
	desc, okDesc := t.col(colDesc)
	if !ok || !okDesc || l.Words[0].Box.X0 > desc.Box.X0-l.Size || math.Abs(l.Words[0].Box.X0-dc.Box.X0) > 3*l.Size || datedLine(l) {
		return false
	}
	c, d := reCredits.MatchString(l.Text), reDebits.MatchString(l.Text)
	switch {
	case c && !d:
		t.Dir = 1
	case d && !c:
		t.Dir = -1
	default:
		return false
	}
	t.active, t.page, t.lastY = true, l.Page, l.Box.Y1
	return true
}

// nearestMoneyCol returns the money column an amount printed at box belongs to.
func (t *table) nearestMoneyCol(box passbook.Box, size float64) (colKind, bool) {
	best, bestD := colNone, math.Inf(1)
	cx := (box.X0 + box.X1) / 2
	for _, c := range t.Cols {
		if !c.Kind.isMoney() {
			continue
		}
		d := math.Min(math.Abs(box.X1-c.Box.X1), math.Abs(cx-(c.Box.X0+c.Box.X1)/2))
		if box.X0 <= c.Box.X1 && box.X1 >= c.Box.X0 {
			d = math.Min(d, 0)
		}
		if d < bestD {
			best, bestD = c.Kind, d
		}
	}
	return best, best != colNone && bestD < 12*size
}

// row reads a line as a table row; false when it is not one.
func (p *parser) row(l line) bool {
	t := p.tbl
	toks := l.tokens()
	var descX float64 = math.Inf(1)
	if c, ok := t.col(colDesc); ok {
		descX = c.Box.X0
	}
	// Date(s) at the start of the line.
	var r rawRow
	r.page = l.Page
	r.box = l.Box
	ws := make([]string, len(l.Words))
	for i, w := range l.Words {
		ws[i] = w.Text
	}
	used := 0
	if len(ws) > 0 && l.Words[0].Box.X0 < descX-1 || math.IsInf(descX, 1) {
		if d, n, ok := parseDateWords(ws); ok {
			r.date, r.hasDate, used = d, true, n
			r.dateBox = wordsBox(l.Words[:n])
			{
				if d2, n2, ok := parseDateWords(ws[n:]); ok {
					r.post, r.hasPost = d2, true
					used += n2
				}
			}
		}
	}
	dStart, dEnd := 0, used
	dc, hasDC := t.col(colDate)
	if !r.hasDate && len(l.Words) > 2 && idLike(ws[0]) && l.Words[1].Box.X0 < descX-1 && !(hasDC && dc.Box.X0 > l.Words[0].Box.X1) {
		// A short number before the date (a card's last digits in a "Card" column): the date
		// follows it, and a second date may follow that.
		if d, n, ok := parseDateWords(ws[1:]); ok {
			r.date, r.hasDate, used = d, true, 1+n
			r.dateBox = wordsBox(l.Words[1 : 1+n])
			if d2, n2, ok := parseDateWords(ws[used:]); ok {
				r.post, r.hasPost = d2, true
				used += n2
			}
			dEnd = used
		}
	}
	if !r.hasDate && hasDC && len(l.Words) > 1 && dc.Box.X0 > l.Words[0].Box.X1 {
		// The date is not the first column ("Check No. | Date paid | Amount").
		for k := 1; k < len(l.Words); k++ {
			w := l.Words[k].Box
			if w.X1 < dc.Box.X0-l.Size || w.X0 > dc.Box.X1+l.Size {
				continue
			}
			if d, n, ok := parseDateWords(ws[k:]); ok {
				r.date, r.hasDate = d, true
				r.dateBox = wordsBox(l.Words[k : k+n])
				dStart, dEnd = k, k+n
				if d2, n2, ok := parseDateWords(ws[dEnd:]); ok {
					r.post, r.hasPost = d2, true
					dEnd += n2
				}
				if !t.namedAt(wordsBox(l.Words[:k]), l.Size) {
					dStart = 0 // a card number in a column no heading names ("Card"): not the description
				}
			}
			break
		}
	}
	if !r.hasDate && !t.active || r.hasDate && used < len(ws) && periodLine(ws[used:]) {
		return false // (a period line, "9 December 2019 to 8 January 2020", is not a row)
	}
	reactivated := false
	if r.hasDate && !t.active {
		// Reactivate a table that continues on a later page without its header, or on the
		// same page after a block of other text (a section title, a payment notice): a dated
		// line at the date column with words and an amount in a money column.
		dc, ok := t.col(colDate)
		if !ok || math.Abs(l.Words[0].Box.X0-dc.Box.X0) > 3*l.Size {
			return false
		}
		reactivated = l.Page == t.page
	}
	// Amounts by column; the rest is the description.
	var desc []string
	var amts []struct {
		kind colKind
		a    amount
		box  passbook.Box
	}
	wi := 0
	for _, tk := range toks {
		n := len(tk.Words)
		if wi < dEnd && wi+n > dStart { // a token within the date
			if tk.Amount == nil && (wi < dStart || wi+n > dEnd) {
				// The date and the description set in one run of words: keep the words
				// outside the date.
				var keep []pdf.Word
				for k, w := range tk.Words {
					if wi+k < dStart || wi+k >= dEnd {
						keep = append(keep, w)
					}
				}
				desc = append(desc, joinWords(keep))
			}
			wi += n
			continue
		}
		wi += n
		if tk.Amount != nil {
			if k, ok := t.nearestMoneyCol(tk.Box, l.Size); ok && (tk.Box.X0 > descX || t.moneyLeftOfDesc(tk.Box, l.Size)) && (!tk.Loose || t.overlapsMoney(tk.Box, l.Size)) {
				amts = append(amts, struct {
					kind colKind
					a    amount
					box  passbook.Box
				}{k, *tk.Amount, tk.Box})
				continue
			}
		}
		if isMinus(tk.Text) && t.overlapsMoney(tk.Box, 0) {
			continue // "-" in an empty money column
		}
		if tk.Amount == nil && tk.Box.X0 > descX && r.hasDate {
			// Whole amounts ("100", "0", "1,250") are money only inside a money column, on a
			// dated row (an address's street number is not).
			var rest []pdf.Word
			for _, w := range tk.Words {
				if t.implicit && t.afterMoney(w.Box) {
					continue
				}
				if v, ok := wholeAmount(w.Text); ok && t.overlapsMoney(w.Box, 0) {
					if k, ok := t.nearestMoneyCol(w.Box, l.Size); ok {
						amts = append(amts, struct {
							kind colKind
							a    amount
							box  passbook.Box
						}{k, v, w.Box})
						continue
					}
				}
				rest = append(rest, w)
			}
			if len(rest) < len(tk.Words) {
				if len(rest) > 0 {
					desc = append(desc, joinWords(rest))
				}
				continue
			}
		}
		if t.implicit && t.afterMoney(tk.Box) {
			continue // a column after the balance (branch, channel) in a table without headings
		}
		if r.hasDate && t.refCol(tk.Words[0].Box) {
			// A reference number in its own column ("Reference Number" beside "Description")
			// is not the description.
			var rest []pdf.Word
			for _, w := range tk.Words {
				if !(len(w.Text) >= 8 && isDigits(w.Text) && t.refCol(w.Box)) {
					rest = append(rest, w)
				}
			}
			if len(rest) < len(tk.Words) {
				if len(rest) > 0 {
					desc = append(desc, joinWords(rest))
				}
				continue
			}
		}
		desc = append(desc, tk.Text)
	}
	text := strings.Join(desc, " ")
	near := func() bool {
		return t.page == l.Page && l.Box.Y0-t.lastY < 2.6*l.Size
	}
	// Balance rows and totals inside the table.
	// Only a row that starts with the words is a balance or total row: "INTEREST ON PREVIOUS
	// BALANCE" is a transaction.
	isOpen := startsWith(reOpening, text) || startsWith(reOpeningSq, squeeze(text))
	isClose := startsWith(reClosing, text) || startsWith(reClosingSq, squeeze(text))
	isTotal := startsWith(reTotal, text)
	if isOpen || isClose || isTotal {
		if len(amts) == 0 {
			return false
		}
		if isTotal && !isOpen && !isClose {
			return false // totals are read by summary
		}
		pick := amts[len(amts)-1]
		for _, a := range amts {
			if a.kind == colBalance {
				pick = a
			}
		}
		v := p.balanceValue(pick.a)
		at := &Location{l.Page, pick.box}
		a := p.current()
		if isOpen {
			if a.opening == nil || len(a.rows) == 0 {
				a.opening, a.openAt = &v, at
			}
		} else {
			a.closing, a.closeAt = &v, at
		}
		t.lastY, t.page, t.active = l.Box.Y1, l.Page, true
		return true
	}
	a := p.current()
	var last *rawRow
	if len(a.rows) > 0 {
		last = a.rows[len(a.rows)-1]
	}
	if !r.hasDate {
		if len(amts) == 0 {
			// A wrapped description.
			if last != nil && near() && text != "" && l.Words[0].Box.X0 >= descX-2*l.Size {
				if last.amt != nil && last.tail == 0 {
					// Lines after a row's amount: its description wrapping on, or the
					// first lines of a next row printed without a date (below).
					last.tail, last.tailX = len(last.desc), l.Words[0].Box.X0
				}
				last.desc = append(last.desc, text)
				last.box = union(last.box, l.Box)
				t.lastY = l.Box.Y1
				return true
			}
			if t.rows > 0 && t.page == l.Page && l.Box.Y0-t.lastY > 3.5*l.Size {
				t.active = false
			}
			return false
		}
		if last != nil && last.amt == nil && last.bal == nil && near() {
			r = *last // amounts printed on the description's second line
			a.rows = a.rows[:len(a.rows)-1]
			r.desc = append(r.desc, desc...)
			r.box = union(r.box, l.Box)
		} else if last != nil && last.amt != nil && last.tail > 0 && near() && l.Words[0].Box.X0 > last.tailX+l.Size {
			// A type-coded row without a date whose amount sits on its last, indented line
			// ("TFR SAVINGS" over "REF 316 523.69"): the lines after the previous row's
			// amount that start left of this one are this row's first lines.
			r.date, r.hasDate, r.dateBox, r.inherit = last.date, true, passbook.Box{}, true
			r.post, r.hasPost = last.post, last.hasPost
			r.desc = append(append([]string(nil), last.desc[last.tail:]...), desc...)
			last.desc, last.tail = last.desc[:last.tail], 0
		} else if last != nil && (near() || t.page != l.Page) && text != "" {
			r.date, r.hasDate, r.dateBox, r.inherit = last.date, true, passbook.Box{}, true
			r.post, r.hasPost = last.post, last.hasPost
			r.desc = desc
		} else {
			if t.rows > 0 && t.page == l.Page && l.Box.Y0-t.lastY > 3.5*l.Size {
				t.active = false
			}
			return false
		}
	} else {
		if !hasLetter(text) && len(amts) > 0 {
			return false // a date and amounts with no words: a summary of daily balances
		}
		if reactivated && len(amts) == 0 {
			return false
		}
		r.desc = desc
	}
	for _, am := range amts {
		if am.kind == colBalance {
			v := p.balanceValue(am.a)
			r.bal, r.balBox = &v, am.box
			continue
		}
		if am.a.Value == 0 && len(amts) > 1 {
			continue // "0" or "0.00" in the empty one of two money columns
		}
		if r.amt != nil {
			// Two amounts outside the balance column: the later one is the balance when the
			// table has no balance column, else keep the first.
			if !t.hasMoney(colBalance) && r.bal == nil {
				v := p.balanceValue(am.a)
				r.bal, r.balBox = &v, am.box
			}
			continue
		}
		av := am.a
		r.amt, r.amtBox = &av, am.box
		switch {
		case av.DrCr == "DR":
			r.credit, r.src = false, dirMark
		case av.DrCr == "CR":
			r.credit, r.src = true, dirMark
		case am.kind == colDebit: // a minus sign in a withdrawals column repeats what the column says
			r.credit, r.src, r.guess = false, dirColumn, t.implicit
		case am.kind == colCredit:
			r.credit, r.src, r.guess = true, dirColumn, t.implicit
		case t.Dir != 0 && !av.Neg:
			r.credit, r.src = t.Dir > 0, dirColumn
		case av.Neg:
			r.src = dirSign
			r.credit = p.card // a negative amount on a card is a payment or a refund
			a.signed = true
		default:
			if p.card {
				r.credit, r.src = false, dirSign
				a.signed = true
			} else {
				r.credit, r.src = true, dirUnknown
			}
		}
	}
	if r.amt != nil && r.amt.Value == 0 && r.bal == nil {
		r.amt = nil
	}
	row := r
	row.table = t.id
	a.rows = append(a.rows, &row)
	t.lastY, t.page, t.active = l.Box.Y1, l.Page, true
	t.rows++
	return true
}

// balanceValue signs a printed balance: a minus, parentheses or DR (overdrawn) make it
// negative on a bank account; CR makes a card's balance negative (a credit balance).
func (p *parser) balanceValue(a amount) passbook.Money {
	v := a.signed()
	switch {
	case a.DrCr == "DR" && !p.card:
		v = -a.Value
	case a.DrCr == "CR" && p.card:
		v = -a.Value
	}
	return v
}

// summary reads opening/closing balances and totals printed outside the tables.
func (p *parser) summary(l line) {
	toks := l.tokens()
	label := ""
	for _, tk := range toks {
		if tk.Amount == nil {
			label += " " + tk.Text
			continue
		}
		lab := strings.TrimSpace(label)
		label = ""
		if lab == "" {
			continue
		}
		v := p.balanceValue(*tk.Amount)
		at := &Location{l.Page, tk.Box}
		switch {
		case reOpening.MatchString(lab) || reOpeningSq.MatchString(squeeze(lab)):
			if c := p.cur; c != nil && c.number != "" && len(c.rows) > 0 && c.opening != nil && c.closing != nil {
				// An opening balance after a closed statement: the next statement of the
				// same account in one file. Each is reconciled on its own.
				p.cur = &acctBuild{number: c.number, numberAt: c.numberAt, title: c.title, context: c.context, near: c.near, currency: c.currency}
				p.accts = append(p.accts, p.cur)
			}
			p.attach(func(a *acctBuild) {
				if a.opening == nil {
					a.opening, a.openAt = &v, at
				}
			})
		case reClosing.MatchString(lab) || reClosingSq.MatchString(squeeze(lab)):
			p.attach(func(a *acctBuild) {
				if a.closing == nil {
					a.closing, a.closeAt = &v, at
				}
			})
		case reCredits.MatchString(lab) && !reDebits.MatchString(lab) || strings.Contains(strings.ToLower(lab), "payments"):
			tot := rawTotal{TotalCredits, lab, tk.Amount.Value, *at}
			p.attach(func(a *acctBuild) { a.totals = append(a.totals, tot) })
		case reDebits.MatchString(lab) && !reCredits.MatchString(lab):
			tot := rawTotal{TotalDebits, lab, tk.Amount.Value, *at}
			p.attach(func(a *acctBuild) { a.totals = append(a.totals, tot) })
		}
	}
}

// summaryBelow reads a summary printed as a table whose labels sit in one row and their values in
// the row below ("Opening balance | Closing balance" over "1,250.00 | 3,144.80"): a label cell
// with no amount on its own line takes the amount of the next line that lies under it.
func (p *parser) summaryBelow(i int) {
	l := p.lines[i]
	if i+1 >= len(p.lines) || hasAmount(l) {
		return
	}
	j := i + 1
	for j+1 < len(p.lines) && len([]rune(p.lines[j].Text)) == 1 {
		j++ // a stray letter of a watermark between the two rows
	}
	next := p.lines[j]
	if next.Page != l.Page || next.Box.Y0-l.Box.Y1 > 2.5*math.Max(l.Size, 4) {
		return
	}
	gap := func(c cell, b passbook.Box) float64 { return math.Max(0, math.Max(c.Box.X0-b.X1, b.X0-c.Box.X1)) }
	// under reports whether an amount of the next line belongs to the label cell k: it lies
	// under it, or nearer to it than to any other cell of the labels' line (a grid whose values
	// are right-aligned under left-aligned labels).
	under := func(k int, b passbook.Box) bool {
		c := l.Cells[k]
		if b.X1 >= c.Box.X0-l.Size && b.X0 <= c.Box.X1+l.Size {
			return true
		}
		d := gap(c, b)
		if d > 15*l.Size {
			return false
		}
		for m, o := range l.Cells {
			if m != k && gap(o, b) <= d {
				return false
			}
		}
		return true
	}
	for ci, c := range l.Cells {
		lab := strings.TrimSpace(c.Text)
		open := reOpening.MatchString(lab) || reOpeningSq.MatchString(squeeze(lab))
		closing := reClosing.MatchString(lab) || reClosingSq.MatchString(squeeze(lab))
		if open == closing {
			continue
		}
		var found *token
		for k, tk := range next.tokens() {
			if tk.Amount == nil || !under(ci, tk.Box) {
				continue
			}
			if found != nil {
				found = nil // two amounts under one label: not a summary cell
				break
			}
			found = &next.toks[k]
		}
		if found == nil {
			continue
		}
		v := p.balanceValue(*found.Amount)
		at := &Location{next.Page, found.Box}
		p.attach(func(a *acctBuild) {
			switch {
			case open && a.opening == nil:
				a.opening, a.openAt = &v, at
			case closing && a.closing == nil:
				a.closing, a.closeAt = &v, at
			}
		})
	}
}

func (p *parser) attach(f func(*acctBuild)) {
	if p.cur != nil {
		f(p.cur)
		return
	}
	p.pending = append(p.pending, f)
}

func (p *parser) anyRows() bool {
	for _, a := range p.accts {
		if len(a.rows) > 0 {
			return true
		}
	}
	return false
}

// implicitTable builds the columns of a table without a recognised heading from the lines that
// start with a date and end with amounts: amounts whose right edges align form a column; the
// rightmost of several is the balance, two before it are debits then credits.
func implicitTable(ls []line) *table {
	// The dated lines: a date at the start, or after a row number ("12  2026.09.01 …").
	type dated struct {
		l      line
		d0, d1 int // the date's words
	}
	var ds []dated
	for _, l := range ls {
		ws := make([]string, len(l.Words))
		for i, w := range l.Words {
			ws[i] = w.Text
		}
		if _, n, ok := parseDateWords(ws); ok && n < len(ws) {
			ds = append(ds, dated{l, 0, n})
		} else if len(ws) > 2 && (idLike(ws[0]) || len(ws[0]) <= 4 && isDigits(ws[0])) {
			if _, n, ok := parseDateWords(ws[1:]); ok && 1+n < len(ws) {
				ds = append(ds, dated{l, 1, 1 + n})
			}
		}
	}
	// Amounts with cents; in a statement that prints none on its dated lines (whole won,
	// yen), whole numbers ("3,367,210", "0") after the date.
	collect := func(whole bool) (rows int, dateBox passbook.Box, descX0 float64, hits []passbook.Box) {
		descX0 = math.Inf(1)
		for _, d := range ds {
			var amts []passbook.Box
			for _, tk := range d.l.tokens() {
				if tk.Box.X0 < d.l.Words[d.d1].Box.X0 {
					continue
				}
				if tk.Amount != nil {
					amts = append(amts, tk.Box)
					continue
				}
				if whole {
					for _, w := range tk.Words {
						if _, ok := wholeAmount(w.Text); ok {
							amts = append(amts, w.Box)
						}
					}
				}
			}
			if len(amts) == 0 {
				continue
			}
			rows++
			if dateBox == (passbook.Box{}) {
				dateBox = wordsBox(d.l.Words[d.d0:d.d1])
			}
			descX0 = math.Min(descX0, d.l.Words[d.d1].Box.X0)
			hits = append(hits, amts...)
		}
		return
	}
	rows, dateBox, descX0, hits := collect(false)
	whole := false
	if rows == 0 {
		rows, dateBox, descX0, hits = collect(true)
		whole = true
	}
	if rows < 2 {
		return nil
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].X1 < hits[j].X1 })
	var clusters [][]passbook.Box
	for _, h := range hits {
		if n := len(clusters); n > 0 && h.X1-clusters[n-1][len(clusters[n-1])-1].X1 < 12 {
			clusters[n-1] = append(clusters[n-1], h)
			continue
		}
		clusters = append(clusters, []passbook.Box{h})
	}
	var cols []column
	for _, c := range clusters {
		if len(c) < 2 && len(clusters) > 1 || whole && 8*len(c) < rows {
			continue // (a whole number is money only in a column most rows fill)
		}
		b := c[0]
		for _, h := range c {
			b = union(b, h)
		}
		cols = append(cols, column{Kind: colAmount, Box: b})
	}
	switch len(cols) {
	case 0:
		return nil
	case 1:
	case 2:
		cols[1].Kind = colBalance
	default:
		n := len(cols)
		cols[n-1].Kind = colBalance
		cols[n-2].Kind = colCredit
		cols[n-3].Kind = colDebit
		cols = cols[n-3:]
	}
	if descX0 < cols[0].Box.X0 {
		cols = append([]column{{Kind: colDesc, Box: passbook.Box{X0: descX0, Y0: dateBox.Y0, X1: descX0 + 1, Y1: dateBox.Y1}}}, cols...)
	}
	cols = append([]column{{Kind: colDate, Box: dateBox}}, cols...)
	return &table{Cols: cols, active: true, implicit: true} // page 0: not ended by the text above the first row
}

// anchorDate returns a day on or after the statement's rows, for a statement whose period gives
// no year: the latest full date the document prints ("Payment due April 1, 2026"), else the
// date the file was made (its CreationDate, else its ModDate: "D:20260301120000Z"), else the
// clock's today. Rows are then dated in the year that puts them before it (a December row
// before a January anchor keeps the earlier year).
func anchorDate(ls []line, info map[string]string, now func() time.Time) passbook.Date {
	var best passbook.Date
	for _, l := range ls {
		ws := make([]string, len(l.Words))
		for i, w := range l.Words {
			ws[i] = strings.Trim(w.Text, "(),;")
		}
		for i := 0; i < len(ws); i++ {
			d, n, ok := parseDateWords(ws[i:])
			if !ok || d.Year == 0 {
				continue
			}
			i += n - 1
			o := orderDMY
			if d.Month == 0 && d.B > 12 {
				o = orderMDY
			}
			if v, ok := d.resolve(o, passbook.Date{}, passbook.Date{}); ok && v.Year >= 1990 && v.Year <= 2200 && v.After(best) {
				best = v
			}
		}
	}
	if !best.IsZero() {
		return best
	}
	for _, k := range []string{"CreationDate", "ModDate"} {
		s := strings.TrimPrefix(info[k], "D:")
		if len(s) < 8 || !isDigits(s[:8]) {
			continue
		}
		if t, err := time.Parse("20060102", s[:8]); err == nil && t.Year() >= 1990 && t.Year() <= 2200 {
			return passbook.DateOf(t)
		}
	}
	return passbook.DateOf(now())
}

// wholeAmount reads an amount printed without cents: "100", "0", "1,250", "-45".
func wholeAmount(w string) (amount, bool) {
	var a amount
	t := w
	if strings.HasPrefix(t, "-") {
		a.Neg, t = true, t[1:]
	}
	if t == "" || len(t) > 11 {
		return a, false
	}
	if strings.Contains(t, ",") {
		parts := strings.Split(t, ",")
		for i, g := range parts {
			if !isDigits(g) || i > 0 && len(g) != 3 || i == 0 && len(g) > 3 {
				return a, false
			}
		}
		t = strings.Join(parts, "")
	}
	if !isDigits(t) || len(t) > 9 || len(t) > 1 && t[0] == '0' {
		return a, false // (a long or zero-led number is a reference, not money)
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return a, false
	}
	a.Value = passbook.Money(v * 100)
	return a, true
}

// periodLine reports whether the words after a date are the rest of a period: "to" (or "-",
// "au", "bis", "through") and a second date, and nothing else of weight.
func periodLine(ws []string) bool {
	if len(ws) < 2 {
		return false
	}
	switch strings.ToLower(ws[0]) {
	case "to", "-", "–", "au", "bis", "through", "until", "à", "a", "al":
	default:
		return false
	}
	_, n, ok := parseDateWords(ws[1:])
	if !ok {
		return false
	}
	for _, w := range ws[1+n:] {
		if _, isAmt := parseAmount(w); isAmt {
			return false
		}
	}
	return true
}

// idLike reports whether a word is a short reference printed before a row's date: a card's last
// digits ("9944") or a masked number ("XX12").
func idLike(w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	digits := 0
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == 'X' || r == 'x' || r == '*':
		default:
			return false
		}
	}
	return digits >= 2
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// moneyLeftOfDesc reports whether box lies across a money column printed left of the
// descriptions ("Date | Amount | Description").
func (t *table) moneyLeftOfDesc(box passbook.Box, size float64) bool {
	d, ok := t.col(colDesc)
	if !ok {
		return false
	}
	for _, c := range t.Cols {
		if c.Kind.isMoney() && c.Box.X1 < d.Box.X0 && box.X0 <= c.Box.X1+size && box.X1 >= c.Box.X0-size && box.X1 < d.Box.X0+size {
			return true
		}
	}
	return false
}

// namedAt reports whether box lies under a column the heading names other than a money column.
func (t *table) namedAt(box passbook.Box, size float64) bool {
	for _, c := range t.Cols {
		if !c.Kind.isMoney() && box.X0 <= c.Box.X1+size && box.X1 >= c.Box.X0-size {
			return true
		}
	}
	return false
}

// refCol reports whether box starts in a reference column of a table that also has a
// description column.
func (t *table) refCol(box passbook.Box) bool {
	other := false
	var ref *column
	for i, c := range t.Cols {
		switch {
		case c.Kind == colDesc && c.Ref:
			ref = &t.Cols[i]
		case c.Kind == colDesc:
			other = true
		}
	}
	if ref == nil || !other {
		return false
	}
	next := math.Inf(1)
	for _, c := range t.Cols {
		if c.Box.X0 > ref.Box.X0 && c.Box.X0 < next {
			next = c.Box.X0
		}
	}
	return box.X0 >= ref.Box.X0-2 && box.X0 < next-2
}

// afterMoney reports whether box starts right of every money column, in a table whose
// descriptions are printed left of its amounts.
func (t *table) afterMoney(box passbook.Box) bool {
	d, ok := t.col(colDesc)
	if !ok {
		return false
	}
	right := math.Inf(-1)
	for _, c := range t.Cols {
		if c.Kind.isMoney() {
			if c.Box.X0 < d.Box.X0 {
				return false
			}
			right = math.Max(right, c.Box.X1)
		}
	}
	return box.X0 > right
}

// overlapsMoney reports whether box lies across a money column (widened by size).
func (t *table) overlapsMoney(box passbook.Box, size float64) bool {
	for _, c := range t.Cols {
		if c.Kind.isMoney() && box.X0 <= c.Box.X1+size && box.X1 >= c.Box.X0-size {
			return true
		}
	}
	return false
}

// startsWith reports whether re matches s within its first few characters.
func startsWith(re *regexp.Regexp, s string) bool {
	if len(s) > 48 {
		s = s[:48] // a label starts within the first few characters and is short: no need to scan a long row
	}
	loc := re.FindStringIndex(s)
	return loc != nil && loc[0] <= 6 && !hasLetter(s[:loc[0]])
}

func hasAmount(l line) bool {
	for _, t := range l.tokens() {
		if t.Amount != nil {
			return true
		}
	}
	return false
}

// squeeze drops the spaces of s, for labels whose letters a scan's text layer spaced apart
// ("L AST MONTH'S BAL ANCE").
func squeeze(s string) string { return strings.ReplaceAll(s, " ", "") }
