package statement

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
)

// ToStatements turns the results of the documents of one upload into the Flinks shape.
// results[i] belongs to docs[i] and is nil for a document that could not be read. Accounts that
// appear in several statements are merged in date order: the earliest statement's opening
// balance, the latest's closing balance, the transactions of all of them. Ids are derived from
// the account number and the transaction's position, so parsing the same files again gives the
// same ids.
func ToStatements(docs []passbook.Document, results []*Result) passbook.Statements {
	out := passbook.Statements{Documents: docs, Accounts: []passbook.Account{}}
	if out.Documents == nil {
		out.Documents = []passbook.Document{}
	}
	type part struct {
		res  *Result
		acct *Account
	}
	var keys []string
	groups := map[string][]part{}
	for i, r := range results {
		if r == nil {
			continue
		}
		if out.Holder == nil && r.Holder.Name != "" {
			h := r.Holder
			out.Holder = &h
		}
		for j := range r.Accounts {
			a := &r.Accounts[j]
			k := numberKey(a.Number)
			if k == "" {
				k = fmt.Sprintf("doc%d-%d:%s", i, j, a.Type)
			}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], part{r, a})
		}
	}
	for _, k := range keys {
		ps := groups[k]
		sort.SliceStable(ps, func(i, j int) bool { return startOf(ps[i].res, ps[i].acct).Before(startOf(ps[j].res, ps[j].acct)) })
		// The same statement uploaded twice counts once.
		uniq := ps[:0]
		for _, p := range ps {
			dup := false
			for _, q := range uniq {
				dup = dup || sameStatement(p.res, p.acct, q.res, q.acct)
			}
			if !dup {
				uniq = append(uniq, p)
			}
		}
		ps = uniq
		first, last := ps[0], ps[len(ps)-1]
		id := hashID("account", k)
		acc := passbook.Account{
			Id:            id,
			Title:         first.acct.Title,
			AccountNumber: first.acct.Number,
			Type:          first.acct.Type,
			Category:      passbook.CategoryOf(first.acct.Type),
			Currency:      first.acct.Currency,
			Transactions:  []passbook.Transaction{},
		}
		if acc.Title == "" {
			acc.Title = first.acct.Type
		}
		if n := strings.ReplaceAll(numberKey(acc.AccountNumber), "-", ""); len(n) >= 4 {
			acc.LastFourDigits = n[len(n)-4:]
		}
		st := &passbook.StatementInfo{Institution: first.res.Institution, PeriodStart: first.res.PeriodStart, PeriodEnd: last.res.PeriodEnd, Reconciled: true}
		st.OpeningBalance = first.acct.Opening
		st.ClosingBalance = last.acct.Closing
		conf := newConfidence()
		for _, p := range ps {
			st.Reconciled = st.Reconciled && p.acct.Reconciliation.Reconciled
			conf.add(p.acct)
			first := len(acc.Transactions)
			st.Discrepancies = append(st.Discrepancies, discrepancies(p.acct, func(i int) string {
				return hashID("transaction", fmt.Sprintf("%s/%d", k, first+i))
			})...)
			for _, t := range p.acct.Transactions {
				acc.Transactions = append(acc.Transactions, passbook.Transaction{
					Id:          hashID("transaction", fmt.Sprintf("%s/%d", k, len(acc.Transactions))),
					Date:        t.Date,
					Description: t.Description,
					Debit:       t.Debit,
					Credit:      t.Credit,
					Balance:     t.Balance,
				})
			}
		}
		// Where the statement prints no opening balance, the first running balance gives it.
		if st.OpeningBalance == nil && len(first.acct.Transactions) > 0 {
			if t := first.acct.Transactions[0]; t.Balance != nil {
				o := *t.Balance + openingDelta(first.acct, t)
				st.OpeningBalance = &o
			}
		}
		if st.ClosingBalance == nil {
			for i := len(last.acct.Transactions) - 1; i >= 0; i-- {
				if b := last.acct.Transactions[i].Balance; b != nil {
					st.ClosingBalance = b
					break
				}
			}
		}
		if st.ClosingBalance != nil {
			c := *st.ClosingBalance
			acc.Balance.Current = &c
			if acc.Type != passbook.CreditCard && acc.Type != passbook.LineOfCredit {
				acc.Balance.Available = &c
			}
		}
		st.Confidence = conf.String()
		acc.Statement = st
		out.Accounts = append(out.Accounts, acc)
	}
	return out
}

// openingDelta is what undoes the first transaction's effect on the running balance.
func openingDelta(a *Account, t Transaction) passbook.Money {
	v := -t.Amount()
	if a.Reconciliation.Reading != "" && a.Reconciliation.Reading[0] == 'o' { // balance owed
		v = -v
	}
	return v
}

func startOf(r *Result, a *Account) passbook.Date {
	if !r.PeriodStart.IsZero() {
		return r.PeriodStart
	}
	for _, t := range a.Transactions {
		if !t.Date.IsZero() {
			return t.Date
		}
	}
	return passbook.Date{}
}

// hashID is a deterministic identifier in the UUID format.
func hashID(kind, key string) string {
	b := sha256.Sum256([]byte("passbook/" + kind + "/" + key))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func sameStatement(r1 *Result, a1 *Account, r2 *Result, a2 *Account) bool {
	if r1.PeriodStart != r2.PeriodStart || r1.PeriodEnd != r2.PeriodEnd || len(a1.Transactions) != len(a2.Transactions) || !mEq(a1.Opening, a2.Opening) || !mEq(a1.Closing, a2.Closing) {
		return false
	}
	for i := range a1.Transactions {
		t, u := a1.Transactions[i], a2.Transactions[i]
		if t.Date != u.Date || !mEq(t.Debit, u.Debit) || !mEq(t.Credit, u.Credit) || t.Description != u.Description {
			return false
		}
	}
	return true
}

// confidence tallies the arithmetic of the statements of one account.
type confidence struct{ ok, bad, unchecked int }

func newConfidence() *confidence { return &confidence{} }

func (c *confidence) add(a *Account) {
	rec := a.Reconciliation
	checks := rec.BalancesChecked + len(a.Totals)
	if rec.Expected != nil && a.Closing != nil {
		checks++
	}
	switch {
	case len(a.Transactions) == 0 || checks == 0:
		c.unchecked++
	case rec.Reconciled:
		c.ok++
	case failed(a) < checks:
		c.ok++ // some figures follow, others do not
		c.bad++
	default:
		c.bad++
	}
}

// failed counts the figures of an account that do not add up.
func failed(a *Account) int {
	n := len(a.Reconciliation.Breaks)
	for _, t := range a.Totals {
		if !t.OK {
			n++
		}
	}
	return n
}

// String is the account's reading confidence: reconciled when every statement adds up,
// unreconciled when nothing checked does, partial in between, unchecked when nothing printed can
// be checked.
func (c *confidence) String() string {
	switch {
	case c.ok == 0 && c.bad == 0:
		return passbook.ReadingUnchecked
	case c.bad == 0:
		return passbook.ReadingReconciled
	case c.ok == 0:
		return passbook.ReadingUnreconciled
	}
	return passbook.ReadingPartial
}

// discrepancies lists the printed figures of one statement's account that the rows do not add
// up to; id names the transaction at an index of a.Transactions.
func discrepancies(a *Account, id func(int) string) []passbook.Discrepancy {
	var out []passbook.Discrepancy
	for _, b := range a.Reconciliation.Breaks {
		d := passbook.Discrepancy{Kind: passbook.DiscrepancyBalance, Expected: b.Expected, Printed: b.Printed, Page: b.At.Page}
		if b.Index < 0 {
			d.Kind = passbook.DiscrepancyClosing
		} else {
			d.TransactionId = id(b.Index)
		}
		if b.At.Page > 0 {
			box := b.At.Box
			d.Box = &box
		}
		out = append(out, d)
	}
	for _, t := range a.Totals {
		if t.OK {
			continue
		}
		box := t.At.Box
		out = append(out, passbook.Discrepancy{Kind: passbook.DiscrepancyTotal, Label: t.Label, Expected: t.Computed, Printed: t.Printed, Page: t.At.Page, Box: &box})
	}
	return out
}
