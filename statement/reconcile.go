package statement

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// period finds the statement period: the first line with a period word and two dates, or
// failing that the first line with two dates that carry a year.
func (p *parser) period(order dateOrder) (passbook.Date, passbook.Date) {
	try := func(l line) (passbook.Date, passbook.Date, bool) {
		ws := make([]string, len(l.Words))
		for i, w := range l.Words {
			ws[i] = strings.Trim(w.Text, "()")
		}
		from := 0
		for i, w := range ws {
			if rePeriodAnchor.MatchString(w) {
				from = i
			}
		}
		var ds []rawDate
		for i := from; i < len(ws); i++ {
			if d, n, ok := parseDateWords(ws[i:]); ok {
				ds = append(ds, d)
				i += n - 1
			}
		}
		if len(ds) < 2 && from > 0 {
			ds = ds[:0]
			for i := 0; i < len(ws); i++ {
				if d, n, ok := parseDateWords(ws[i:]); ok {
					ds = append(ds, d)
					i += n - 1
				}
			}
		}
		if len(ds) == 1 {
			if a, ok := bareDayBefore(ws, ds[0]); ok {
				ds = append([]rawDate{a}, ds...)
			}
		}
		if len(ds) < 2 {
			return passbook.Date{}, passbook.Date{}, false
		}
		a, b := ds[0], ds[1]
		if b.Year == 0 && a.Year != 0 {
			b.Year = a.Year
			if b.Month != 0 && b.Month < a.Month {
				b.Year++
			}
		}
		if b.Year == 0 {
			return passbook.Date{}, passbook.Date{}, false
		}
		if a.Year == 0 {
			a.Year = b.Year
			am, bm := a.Month, b.Month
			if am == 0 {
				am, bm = a.B, b.B
				if order == orderMDY {
					am, bm = a.A, b.A
				}
			}
			if am > bm {
				a.Year--
			}
		}
		s, ok1 := a.resolve(order, passbook.Date{}, passbook.Date{})
		e, ok2 := b.resolve(order, passbook.Date{}, passbook.Date{})
		if !ok1 || !ok2 || e.Before(s) || s.DaysUntil(e) > 400 {
			return passbook.Date{}, passbook.Date{}, false
		}
		return s, e, true
	}
	for _, l := range p.lines {
		if rePeriodWords.MatchString(l.Text) {
			if s, e, ok := try(l); ok {
				return s, e
			}
		}
	}
	for _, l := range p.lines {
		if s, e, ok := try(l); ok {
			return s, e
		}
	}
	// A statement that prints only its date ("Statement date: March 31, 2026") or its month
	// ("Statement for March 2026").
	for _, l := range p.lines {
		if !reStmtDate.MatchString(l.Text) {
			continue
		}
		ws := make([]string, len(l.Words))
		for i, w := range l.Words {
			ws[i] = strings.Trim(w.Text, "()")
		}
		for i := range ws {
			if d, _, ok := parseDateWords(ws[i:]); ok && d.Year != 0 {
				if e, ok := d.resolve(order, passbook.Date{}, passbook.Date{}); ok {
					return passbook.Date{}, e
				}
			}
			if i+1 < len(ws) {
				if m := monthOf(ws[i]); m > 0 && len(ws[i]) > 3 && len(ws[i+1]) == 4 && isDigits(ws[i+1]) {
					y, _ := strconv.Atoi(ws[i+1])
					s := passbook.NewDate(y, time.Month(m), 1)
					return s, passbook.NewDate(y, time.Month(m)+1, 1).AddDays(-1)
				}
			}
		}
	}
	return passbook.Date{}, passbook.Date{}
}

// reBareDay is a day printed alone at the start of a period whose month and year are printed
// once, at its end: "du 1er au 28 février 2002", "from 1st to 31 March 2026" ("1*" is how OCR
// often reads "1er").
var reBareDay = regexp.MustCompile(`(?i)^([0-3]?\d)(er|re|st|nd|rd|th|\*|°)?$`)

// bareDayBefore reads "FROM DAY TO END" in ws, where END is the one full date of the line: the
// period then starts on DAY of END's month. Only that exact shape counts, so that a lone number
// elsewhere on the line (a page number, a branch) never becomes a date.
func bareDayBefore(ws []string, end rawDate) (rawDate, bool) {
	if end.Year == 0 || end.Month == 0 {
		return rawDate{}, false
	}
	for i := 1; i+2 < len(ws); i++ {
		m := reBareDay.FindStringSubmatch(ws[i])
		if m == nil || !rePeriodFrom.MatchString(ws[i-1]) || !rePeriodTo.MatchString(ws[i+1]) {
			continue
		}
		if d, _, ok := parseDateWords(ws[i+2:]); !ok || d != end {
			continue
		}
		day, _ := strconv.Atoi(m[1])
		if day < 1 || day > end.Day {
			continue
		}
		return rawDate{Year: end.Year, Month: end.Month, Day: day}, true
	}
	return rawDate{}, false
}

// dateOrder decides whether numeric dates are day-first or month-first: from a date that can
// only be read one way, else from the reading that puts the rows inside the statement period.
func (p *parser) dateOrder(res *Result) dateOrder {
	dmy, mdy := 0, 0
	var all []rawDate
	for _, a := range p.accts {
		for _, r := range a.rows {
			for _, d := range []rawDate{r.date, r.post} {
				if d.Month == 0 && d.A > 0 {
					all = append(all, d)
				}
			}
		}
	}
	for _, l := range p.lines {
		if rePeriodWords.MatchString(l.Text) {
			for _, w := range l.Words {
				if d, ok := parseNumericDate(strings.Trim(w.Text, "(),")); ok {
					all = append(all, d)
				}
			}
		}
	}
	for _, d := range all {
		if d.A > 12 {
			dmy++
		}
		if d.B > 12 {
			mdy++
		}
	}
	order := orderDMY
	switch {
	case dmy > mdy:
		order = orderDMY
	case mdy > dmy:
		order = orderMDY
	default:
		score := func(o dateOrder) int {
			s, e := p.period(o)
			if s.IsZero() {
				return 0
			}
			n := 10
			for _, d := range all {
				if v, ok := d.resolve(o, s, e); ok && !v.Before(s.AddDays(-7)) && !v.After(e.AddDays(7)) {
					n++
				}
			}
			return n
		}
		sd, sm := score(orderDMY), score(orderMDY)
		if sm > sd || sm == sd && p.lang != "fr" && p.currency == "USD" {
			order = orderMDY
		}
	}
	res.PeriodStart, res.PeriodEnd = p.period(order)
	return order
}

// reading is one way of reading an account's rows.
type reading struct {
	flipSigned bool // signed amounts mean the opposite of the default
	owed       bool // the balance is an amount owed (credit card, line of credit)
}

// finish resolves an account's dates and directions and proves it.
func (p *parser) finish(b *acctBuild, res *Result, order dateOrder) Account {
	a := Account{Number: b.number, Title: b.title, Currency: b.currency, Opening: b.opening, Closing: b.closing, OpeningAt: b.openAt, ClosingAt: b.closeAt, NumberAt: b.numberAt}
	if a.Currency == "" {
		a.Currency = res.Currency
	}
	a.Type = typeFromText(b.title)
	if a.Type == "" {
		a.Type = typeFromText(b.context)
	}
	if a.Type == "" && !p.card {
		a.Type = typeFromText(b.near)
	}
	if a.Type == "" {
		k := numberKey(b.number)
		if i := strings.LastIndexByte(k, '-'); i > 0 && len(k)-i == 2 && i >= 5 {
			switch k[i+1] {
			case '0':
				a.Type = passbook.Chequing
			default:
				a.Type = passbook.Savings
			}
		}
	}
	if a.Type == "" {
		if p.card {
			a.Type = passbook.CreditCard
		} else {
			a.Type = passbook.Chequing
		}
	}
	owed := a.Type == passbook.CreditCard || a.Type == passbook.LineOfCredit
	start, end := res.PeriodStart, res.PeriodEnd
	if start.IsZero() && end.IsZero() {
		end = p.anchor // no period printed: the latest printed date, the file's date or the clock's
	}
	build := func(rows []*rawRow) []Transaction {
		txs := make([]Transaction, 0, len(rows))
		for _, r := range rows {
			t := Transaction{Description: strings.Join(strings.Fields(strings.Join(r.desc, " ")), " "), Page: r.page, Row: r.box, DateBox: r.dateBox, AmountBox: r.amtBox, Balance: r.bal}
			if d, ok := r.date.resolve(order, start, end); ok && r.hasDate {
				t.Date = d
			}
			if r.hasPost {
				if d, ok := r.post.resolve(order, start, end); ok {
					t.PostingDate = d
					if d.Before(t.Date) {
						// Two dates, whatever their order: a purchase is made before it is posted.
						t.Date, t.PostingDate = d, t.Date
					}
				}
			}
			if r.bal != nil {
				bb := r.balBox
				t.BalanceBox = &bb
			}
			txs = append(txs, t)
		}
		return txs
	}
	all := make([]*rawRow, 0, len(b.rows))
	for _, r := range b.rows {
		if r.amt != nil {
			all = append(all, r)
		}
	}
	// The rows as printed, and without the undated lines that only add up the rows next to them
	// (a cardholder's subtotal, a section's total printed on its title line), when there are any.
	variants := [][]*rawRow{all}
	if sub := subtotals(all); len(sub) > 0 {
		var kept []*rawRow
		for _, r := range all {
			if !sub[r] {
				kept = append(kept, r)
			}
		}
		variants = append(variants, kept)
	}
	// Choose the reading the arithmetic proves best; the default wins ties.
	readings := []reading{{false, owed}, {true, owed}, {false, !owed}, {true, !owed}}
	best, bestScore, bestRows := readings[0], -1<<30, all
	for vi, rows := range variants {
		a.Transactions = build(rows)
		for _, rd := range readings {
			apply(a.Transactions, rows, rd)
			rec := check(&a, rows, b.totals, rd)
			s := 2*rec.BalancesChecked - 3*len(rec.Breaks)
			if rec.ClosingOK {
				s += 4
			}
			for _, t := range a.Totals {
				if t.OK {
					s++
				}
			}
			if !b.signed && rd.flipSigned {
				s-- // nothing to flip: no reason to prefer it
			}
			if vi > 0 {
				s-- // rows are rows unless the arithmetic says otherwise
			}
			if s > bestScore {
				best, bestScore, bestRows = rd, s, rows
			}
		}
	}
	rows := bestRows
	a.Transactions = build(rows)
	apply(a.Transactions, rows, best)
	a.Reconciliation = check(&a, rows, b.totals, best)
	if best.owed != owed {
		if best.owed {
			a.Type = passbook.CreditCard
		} else if a.Type == passbook.CreditCard {
			a.Type = passbook.Chequing
		}
	}
	return a
}

// apply sets Debit/Credit of each transaction under a reading; rows of unknown direction take
// the direction their printed balances say.
func apply(txs []Transaction, rows []*rawRow, rd reading) {
	var prev *passbook.Money
	for i, r := range rows {
		t := &txs[i]
		credit := r.credit
		if r.src == dirSign && rd.flipSigned {
			credit = !credit
		}
		if (r.src == dirUnknown || r.guess) && prev != nil && r.bal != nil {
			up := *r.bal-*prev == r.amt.Value
			down := *prev-*r.bal == r.amt.Value
			if up || down {
				credit = up != rd.owed
			}
		}
		v := r.amt.Value
		t.Debit, t.Credit = nil, nil
		if credit {
			t.Credit = &v
		} else {
			t.Debit = &v
		}
		if r.bal != nil {
			prev = r.bal
		}
	}
}

// check computes an account's reconciliation under a reading.
func check(a *Account, rows []*rawRow, totals []rawTotal, rd reading) Reconciliation {
	var rec Reconciliation
	eff := func(t Transaction) passbook.Money {
		v := t.Amount()
		if rd.owed {
			v = -v
		}
		return v
	}
	var run *passbook.Money
	if a.Opening != nil {
		o := *a.Opening
		run = &o
	}
	for i, t := range a.Transactions {
		if t.Credit != nil {
			rec.Credits += *t.Credit
		} else if t.Debit != nil {
			rec.Debits += *t.Debit
		}
		if run != nil {
			v := *run + eff(t)
			run = &v
		}
		if t.Balance != nil {
			if run != nil {
				rec.BalancesChecked++
				if *run != *t.Balance {
					br := Break{Index: i, Expected: *run, Printed: *t.Balance}
					if t.BalanceBox != nil {
						br.At = Location{t.Page, *t.BalanceBox}
					}
					rec.Breaks = append(rec.Breaks, br)
				}
			}
			v := *t.Balance
			run = &v
		}
	}
	if a.Opening != nil {
		e := *a.Opening
		for _, t := range a.Transactions {
			e += eff(t)
		}
		rec.Expected = &e
		rec.ClosingOK = a.Closing != nil && *a.Closing == e
	}
	if a.Closing != nil && run != nil && *run != *a.Closing && len(a.Transactions) > 0 && a.Transactions[len(a.Transactions)-1].Balance != nil {
		br := Break{Index: -1, Expected: *run, Printed: *a.Closing}
		if a.ClosingAt != nil {
			br.At = *a.ClosingAt
		}
		rec.Breaks = append(rec.Breaks, br)
	}
	if rec.Expected != nil && a.Closing != nil && !rec.ClosingOK && rec.BalancesChecked == 0 {
		// No running balance to point at a row: the closing balance itself does not follow.
		br := Break{Index: -1, Expected: *rec.Expected, Printed: *a.Closing}
		if a.ClosingAt != nil {
			br.At = *a.ClosingAt
		}
		rec.Breaks = append(rec.Breaks, br)
	}
	a.Totals = a.Totals[:0]
	totOK := true
	// A printed total covers all the rows of its kind, or those of one table (a statement with
	// separate "Withdrawals" and "Checks" sections totals each).
	type key struct {
		table  int
		credit bool
	}
	perTable := map[key]passbook.Money{}
	var tables []int
	for _, r := range rows {
		tables = append(tables, r.table)
	}
	for i, t := range a.Transactions {
		if i < len(tables) {
			k := key{tables[i], t.Credit != nil}
			perTable[k] += val(t.Debit) + val(t.Credit)
		}
	}
	for _, t := range totals {
		tot := Total{Kind: t.kind, Label: t.label, Printed: t.value, At: t.at}
		if t.kind == TotalCredits {
			tot.Computed = rec.Credits
		} else {
			tot.Computed = rec.Debits
		}
		tot.OK = tot.Printed == tot.Computed
		if !tot.OK {
			for k, v := range perTable {
				if k.credit == (t.kind == TotalCredits) && v == tot.Printed {
					tot.Computed, tot.OK = v, true
				}
			}
		}
		totOK = totOK && tot.OK
		a.Totals = append(a.Totals, tot)
	}
	switch {
	case rd.owed:
		rec.Reading = "owed"
	default:
		rec.Reading = "bank"
	}
	if rd.flipSigned {
		rec.Reading += ",flipped"
	}
	proven := rec.ClosingOK || (a.Opening == nil || a.Closing == nil) && rec.BalancesChecked > 0
	rec.Reconciled = proven && len(rec.Breaks) == 0 && totOK && len(a.Transactions) > 0
	return rec
}

func val(m *passbook.Money) passbook.Money {
	if m == nil {
		return 0
	}
	return *m
}

// subtotals finds the undated rows (read with the date of the row above) whose amount is the sum
// of the rows just after or just before them, up to the next such row: candidates for a subtotal
// rather than a transaction. Rows with a running balance are transactions.
func subtotals(rows []*rawRow) map[*rawRow]bool {
	var out map[*rawRow]bool
	sums := func(i, step int) bool {
		r := rows[i]
		var s passbook.Money
		for j := i + step; j >= 0 && j < len(rows); j += step {
			q := rows[j]
			if q.inherit && q.bal == nil {
				continue // another subtotal (a running total repeated on each page), or a candidate
			}
			if q.amt.Neg != r.amt.Neg {
				return false
			}
			s += q.amt.Value
			if s == r.amt.Value {
				return true
			}
			if s > r.amt.Value {
				return false
			}
		}
		return false
	}
	for i, r := range rows {
		if !r.inherit || r.bal != nil || r.amt.Value == 0 {
			continue
		}
		if sums(i, 1) || sums(i, -1) {
			if out == nil {
				out = map[*rawRow]bool{}
			}
			out[r] = true
		}
	}
	// A row that prints the net of all the rows before it ("NET AMOUNT OF MONTHLY ACTIVITY").
	// The net is taken both by the printed signs and by the rows' directions ("547.18 CR").
	var net, netDir passbook.Money
	for i, r := range rows {
		v := r.amt.Value
		if i >= 2 && r.bal == nil && v != 0 && (net == v || net == -v || netDir == v || netDir == -v) {
			if out == nil {
				out = map[*rawRow]bool{}
			}
			out[r] = true
		}
		net += r.amt.signed()
		if r.credit {
			netDir -= v
		} else {
			netDir += v
		}
	}
	// The same subtotal printed again on a later page.
	for _, r := range rows {
		if !r.inherit || r.bal != nil || out[r] {
			continue
		}
		for q := range out {
			if q.amt.Value == r.amt.Value && strings.Join(q.desc, " ") == strings.Join(r.desc, " ") {
				out[r] = true
				break
			}
		}
	}
	return out
}
