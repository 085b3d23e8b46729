package sandbox

import (
	"sort"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/pdfgen"
)

// Statement is one monthly statement of a sandbox account, as a bank would issue it: the
// period's transactions (oldest first) between an opening and a closing balance, and the PDF.
type Statement struct {
	Start, End       passbook.Date
	Opening, Closing passbook.Money
	Transactions     []passbook.Transaction
	PDF              []byte
}

// MonthsOf returns how many monthly statements Flinks' monthsOfStatements (or GetStatements'
// NumberOfStatements) asks for: MostRecent 1, Months3 3, Months12 12; ok is false for another
// value. "" is the documented default, Months3.
func MonthsOf(s string) (n int, ok bool) {
	switch strings.ToLower(s) {
	case "mostrecent":
		return 1, true
	case "", "months3":
		return 3, true
	case "months12":
		return 12, true
	}
	return 0, false
}

// owedIncreases reports whether a's balance is what is owed (a credit account): its debits raise it.
func owedIncreases(a passbook.Account) bool { return a.Category == "Credits" }

// MonthlyStatements renders the statements of a's last months complete calendar months before
// today's month (fewer when its history is shorter), newest first, as institution names it.
// Each is drawn from the account's own transactions and running balances, so reading the PDF
// back gives the account's transactions of that month.
func MonthlyStatements(institution string, a passbook.Account, months int, today passbook.Date) []Statement {
	txs := append([]passbook.Transaction(nil), a.Transactions...)
	// Oldest first; the account lists them newest first, so a stable sort on the reversed list
	// keeps same-day transactions in the order they happened.
	for i, j := 0, len(txs)-1; i < j; i, j = i+1, j-1 {
		txs[i], txs[j] = txs[j], txs[i]
	}
	sort.SliceStable(txs, func(i, j int) bool { return txs[i].Date.Before(txs[j].Date) })
	owed := owedIncreases(a)
	var out []Statement
	first := passbook.NewDate(today.Year, today.Month, 1)
	for m := 1; m <= months; m++ {
		start := passbook.NewDate(first.Year, first.Month-time.Month(m), 1)
		end := passbook.NewDate(start.Year, start.Month+1, 1).AddDays(-1)
		st := Statement{Start: start, End: end}
		known := false
		for _, t := range txs {
			if t.Date.Before(start) && t.Balance != nil {
				st.Opening, known = *t.Balance, true
			}
			if !t.Date.Before(start) && !t.Date.After(end) {
				st.Transactions = append(st.Transactions, t)
			}
		}
		if len(st.Transactions) == 0 {
			if !known {
				break // before the account's history
			}
			st.Closing = st.Opening
		} else {
			t0 := st.Transactions[0]
			if t0.Balance == nil {
				continue // a statement needs running balances
			}
			st.Opening = *t0.Balance - signed(t0, owed)
			st.Closing = st.Opening
			for _, t := range st.Transactions {
				st.Closing += signed(t, owed)
			}
		}
		st.PDF = renderStatement(institution, a, st, owed)
		out = append(out, st)
	}
	return out
}

// signed is what t adds to the balance.
func signed(t passbook.Transaction, owed bool) passbook.Money {
	var d, c passbook.Money
	if t.Debit != nil {
		d = *t.Debit
	}
	if t.Credit != nil {
		c = *t.Credit
	}
	if owed {
		return d - c
	}
	return c - d
}

func statementDay(d passbook.Date) string { return d.Time().Format("Jan 02, 2006") }

// renderStatement draws one statement on Letter pages: the bank, the holder and address, the
// account and period, then a table of Date, Description, Withdrawals (Purchases), Deposits
// (Payments) and Balance between the opening and closing balances.
func renderStatement(institution string, a passbook.Account, st Statement, owed bool) []byte {
	doc := pdfgen.New()
	doc.SetInfo("Producer", "Passbook sandbox statements")
	doc.SetInfo("Title", a.Title+" "+statementDay(st.Start)+" - "+statementDay(st.End))
	outCol, inCol := "Withdrawals", "Deposits"
	if owed {
		outCol, inCol = "Purchases", "Payments"
	}
	// The amount columns start after the longest description, so that no description runs
	// into them; a smaller size keeps very long ones on the page.
	size := 9.0
	widest := func() float64 {
		w := pdfgen.TextWidth("Helvetica", size, "Opening balance")
		for _, t := range st.Transactions {
			w = max(w, pdfgen.TextWidth("Helvetica", size, t.Description))
		}
		return w
	}
	for size > 6 && 130+widest()+24+3*80 > 580 {
		size--
	}
	colOut := 130 + widest() + 24 + 70
	colIn, colBal := colOut+80, colOut+160
	var p *pdfgen.Page
	y := 0.0
	page := 0
	newPage := func() {
		page++
		p = doc.AddPage(612, 792)
		p.Text(50, 50, "Helvetica-Bold", 14, strings.ToUpper(institution))
		y = 80
		if page == 1 {
			if h := a.Holder; h != nil {
				p.Text(50, y, "Helvetica", 10, strings.ToUpper(h.Name))
				p.Text(50, y+14, "Helvetica", 10, strings.ToUpper(h.Address.CivicAddress+", "+h.Address.City+" "+h.Address.Province+" "+h.Address.PostalCode))
			}
			y += 40
			if a.Type == passbook.CreditCard {
				p.Text(50, y, "Helvetica", 10, a.Title+" - Card number "+a.AccountNumber)
			} else {
				p.Text(50, y, "Helvetica", 10, a.Title+" "+a.AccountNumber)
			}
			p.Text(50, y+14, "Helvetica", 10, "Statement period: "+statementDay(st.Start)+" to "+statementDay(st.End))
			y += 40
		}
		p.Text(50, y, "Helvetica-Bold", 9, "Date")
		p.Text(130, y, "Helvetica-Bold", 9, "Description")
		p.TextRight(colOut, y, "Helvetica-Bold", 9, outCol)
		p.TextRight(colIn, y, "Helvetica-Bold", 9, inCol)
		p.TextRight(colBal, y, "Helvetica-Bold", 9, "Balance")
		y += 16
	}
	newPage()
	p.Text(50, y, "Helvetica", size, statementDay(st.Start))
	p.Text(130, y, "Helvetica", size, "Opening balance")
	p.TextRight(colBal, y, "Helvetica", size, st.Opening.String())
	y += 14
	bal := st.Opening
	for _, t := range st.Transactions {
		if y > 750 {
			newPage()
		}
		bal += signed(t, owed)
		p.Text(50, y, "Helvetica", size, statementDay(t.Date))
		p.Text(130, y, "Helvetica", size, t.Description)
		if t.Debit != nil && *t.Debit != 0 {
			p.TextRight(colOut, y, "Helvetica", size, t.Debit.String())
		}
		if t.Credit != nil && *t.Credit != 0 {
			p.TextRight(colIn, y, "Helvetica", size, t.Credit.String())
		}
		p.TextRight(colBal, y, "Helvetica", size, bal.String())
		y += 14
	}
	if y > 750 {
		newPage()
	}
	p.Text(50, y, "Helvetica", size, statementDay(st.End))
	p.Text(130, y, "Helvetica", size, "Closing balance")
	p.TextRight(colBal, y, "Helvetica", size, bal.String())
	return doc.Bytes()
}
