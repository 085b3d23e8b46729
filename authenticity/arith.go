package authenticity

import (
	"fmt"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/statement"
)

// periodSlack is how many days a transaction may fall outside the printed period before it counts
// as outside: card statements list purchases made a few days before the cycle opened.
const periodSlack = 7

// maxBreaks is the number of running-balance breaks up to which each is strong evidence. One
// changed amount breaks one balance (two if a balance itself was changed); many breaks in one
// account more often mean the table was misread, so beyond it they weigh medium.
const maxBreaks = 2

// arithmeticSignals reads the content-arithmetic family from the statement engine's result.
func arithmeticSignals(st *statement.Result, today passbook.Date) []passbook.Signal {
	var out []passbook.Signal
	for _, a := range st.Accounts {
		name := a.Number
		if name == "" {
			name = a.Title
		}
		rec := a.Reconciliation
		for n, b := range rec.Breaks {
			if n >= maxPerCode {
				break
			}
			if b.Index < 0 && len(a.Transactions) == 0 {
				continue // no rows were read: the closing cannot be checked
			}
			what := "the running balance"
			if b.Index < 0 {
				what = "the closing balance"
			} else if b.Index < len(a.Transactions) {
				t := a.Transactions[b.Index]
				what = "the balance of row " + itoa(b.Index+1) + " (" + t.Date.ISO() + ")"
				if d := strings.TrimSpace(t.Description); d != "" {
					what = "the balance after “" + clip(d, 40) + "” (" + t.Date.ISO() + ")"
				}
			}
			if b.Index >= 0 && b.Index < len(a.Transactions) && signFlip(b, a.Transactions[b.Index]) {
				// The row's amount with the other sign would make it add up: a debit read as a
				// credit (or the reverse). That is the reader's doubt, stated in the reading.
				continue
			}
			sev, note := passbook.High, ""
			if len(rec.Breaks) > maxBreaks {
				sev, note = passbook.Medium, fmt.Sprintf(" (one of %d breaks: some may come from a misread table)", len(rec.Breaks))
			}
			out = append(out, signal(BalanceBreak, sev, b.At.Page, locBox(b.At),
				"account %s: %s is printed as %s but the previous balance and the row give %s%s",
				name, what, b.Printed, b.Expected, note))
		}
		if len(a.Transactions) == 0 {
			continue // nothing was read to check the printed figures against
		}
		if rec.Expected != nil && a.Closing != nil && !rec.ClosingOK && *rec.Expected != *a.Closing {
			page, box := 0, (*passbook.Box)(nil)
			if a.ClosingAt != nil {
				page, box = a.ClosingAt.Page, locBox(*a.ClosingAt)
			}
			out = append(out, signal(ClosingMismatch, passbook.High, page, box,
				"account %s: opening %s with the listed activity gives %s, but the closing balance is printed as %s",
				name, moneyStr(a.Opening), *rec.Expected, *a.Closing))
		}
		for _, t := range a.Totals {
			if t.OK || t.Printed == t.Computed || t.Computed == 0 || t.Printed == 0 || swapped(t, a.Totals) {
				// Agreed; or no rows of the kind were read; or a zero total (fee and interest
				// lines) taken for the activity total; or the rows read as the other kind.
				continue
			}
			out = append(out, signal(TotalMismatch, passbook.High, t.At.Page, locBox(t.At),
				"account %s: “%s” is printed as %s but the rows add up to %s", name, t.Label, t.Printed, t.Computed))
		}
		outside, future := 0, 0
		for _, t := range a.Transactions {
			d := t.Date
			if !t.PostingDate.IsZero() {
				d = t.PostingDate
			}
			if d.IsZero() {
				continue
			}
			if !st.PeriodStart.IsZero() && !st.PeriodEnd.IsZero() &&
				(d.Before(st.PeriodStart.AddDays(-periodSlack)) || d.After(st.PeriodEnd.AddDays(periodSlack))) {
				if outside++; outside <= maxPerCode {
					out = append(out, signal(OutsidePeriod, passbook.Medium, t.Page, boxPtr(t.DateBox),
						"account %s: a transaction dated %s lies outside the statement period %s – %s",
						name, d.ISO(), st.PeriodStart.ISO(), st.PeriodEnd.ISO()))
				}
			}
			if d.After(today.AddDays(1)) {
				if future++; future <= maxPerCode {
					out = append(out, signal(FutureDate, passbook.Medium, t.Page, boxPtr(t.DateBox),
						"account %s: a transaction is dated %s, after today (%s)", name, d.ISO(), today.ISO()))
				}
			}
		}
	}
	if !st.PeriodEnd.IsZero() && st.PeriodEnd.After(today.AddDays(1)) {
		out = append(out, signal(FutureDate, passbook.Medium, 0, nil,
			"the statement period ends on %s, after today (%s)", st.PeriodEnd.ISO(), today.ISO()))
	}
	return out
}

func locBox(l statement.Location) *passbook.Box {
	if l.Page == 0 && l.Box == (passbook.Box{}) {
		return nil
	}
	return boxPtr(l.Box)
}

func moneyStr(m *passbook.Money) string {
	if m == nil {
		return "(not printed)"
	}
	return m.String()
}

// signFlip reports whether a break disappears when the row's amount takes the other sign.
func signFlip(b statement.Break, t statement.Transaction) bool {
	amt := t.Amount()
	if amt == 0 {
		return false
	}
	d := b.Printed - b.Expected
	return d == -2*amt
}

// swapped reports whether a total's computed figure is the printed figure of the account's total
// of the other kind: the reader put the rows in the wrong kind.
func swapped(t statement.Total, all []statement.Total) bool {
	for _, o := range all {
		if o.Kind != t.Kind && o.Printed == t.Computed {
			return true
		}
	}
	return false
}
