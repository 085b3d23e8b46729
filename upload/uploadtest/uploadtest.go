// Package uploadtest makes statement PDFs with known content for the tests and benchmarks of
// uploads: a simple bank layout (holder, account number, period, a table of dated withdrawals
// and deposits with running balances) drawn by internal/pdfgen, with its truth alongside.
package uploadtest

import (
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/pdfgen"
)

// Tx is one line of a generated statement.
type Tx struct {
	Date        passbook.Date
	Description string
	Debit       passbook.Money // 0: none
	Credit      passbook.Money
}

// Statement is the truth of a generated statement.
type Statement struct {
	Holder  string
	Number  string
	Start   passbook.Date
	End     passbook.Date
	Opening passbook.Money
	Txs     []Tx
}

// Closing is the statement's closing balance.
func (f Statement) Closing() passbook.Money {
	b := f.Opening
	for _, t := range f.Txs {
		b += t.Credit - t.Debit
	}
	return b
}

// New returns a statement of n transactions in month m of 2026 for account number.
func New(number string, m time.Month, n int) Statement {
	f := Statement{Holder: "JORDAN TREMBLAY", Number: number, Start: passbook.NewDate(2026, m, 1),
		End: passbook.NewDate(2026, m+1, 1).AddDays(-1), Opening: passbook.Money(250000 + int(m)*1000)}
	for i := range n {
		t := Tx{Date: f.Start.AddDays(1 + i*27/max(n, 1))}
		if i%3 == 2 {
			t.Description, t.Credit = fmt.Sprintf("PAYROLL DEPOSIT %d", i), passbook.Money(180000+i*7)
		} else {
			t.Description, t.Debit = fmt.Sprintf("GROCERY STORE #%d", 100+i), passbook.Money(4599+i*113)
		}
		f.Txs = append(f.Txs, t)
	}
	return f
}

func day(d passbook.Date) string { return d.Time().Format("Jan 02, 2006") }

// PDF draws the statement on as many Letter pages as its lines need, at most rowsPerPage
// transactions on a page.
func (f Statement) PDF(rowsPerPage int) []byte { return f.document(rowsPerPage).Bytes() }

// ProtectedPDF is PDF protected by a user password, as banks send statements.
func (f Statement) ProtectedPDF(rowsPerPage int, password string) []byte {
	doc := f.document(rowsPerPage)
	doc.Protect(password, "bank-owner")
	return doc.Bytes()
}

func (f Statement) document(rowsPerPage int) *pdfgen.Document {
	doc := pdfgen.New()
	doc.SetInfo("Producer", "Passbook test bank")
	var p *pdfgen.Page
	y := 0.0
	newPage := func(first bool) {
		p = doc.AddPage(612, 792)
		p.Text(50, 50, "Helvetica-Bold", 14, "MAPLE TEST BANK")
		y = 80
		if first {
			p.Text(50, y, "Helvetica", 10, f.Holder)
			p.Text(50, y+14, "Helvetica", 10, "12 RUE DES ERABLES, MONTREAL QC H2X 1Y4")
			y += 40
			p.Text(50, y, "Helvetica", 10, "Chequing Account "+f.Number)
			p.Text(50, y+14, "Helvetica", 10, "Statement period: "+day(f.Start)+" to "+day(f.End))
			y += 40
		}
		p.Text(50, y, "Helvetica-Bold", 9, "Date")
		p.Text(130, y, "Helvetica-Bold", 9, "Description")
		p.TextRight(380, y, "Helvetica-Bold", 9, "Withdrawals")
		p.TextRight(460, y, "Helvetica-Bold", 9, "Deposits")
		p.TextRight(550, y, "Helvetica-Bold", 9, "Balance")
		y += 16
	}
	newPage(true)
	p.Text(50, y, "Helvetica", 9, day(f.Start))
	p.Text(130, y, "Helvetica", 9, "Opening balance")
	p.TextRight(550, y, "Helvetica", 9, f.Opening.String())
	y += 14
	bal := f.Opening
	onPage := 0
	for _, t := range f.Txs {
		if onPage == rowsPerPage || y > 760 { // a full page: continue on the next one
			newPage(false)
			onPage = 0
		}
		onPage++
		bal += t.Credit - t.Debit
		p.Text(50, y, "Helvetica", 9, day(t.Date))
		p.Text(130, y, "Helvetica", 9, t.Description)
		if t.Debit != 0 {
			p.TextRight(380, y, "Helvetica", 9, t.Debit.String())
		}
		if t.Credit != 0 {
			p.TextRight(460, y, "Helvetica", 9, t.Credit.String())
		}
		p.TextRight(550, y, "Helvetica", 9, bal.String())
		y += 14
	}
	p.Text(50, y, "Helvetica", 9, day(f.End))
	p.Text(130, y, "Helvetica", 9, "Closing balance")
	p.TextRight(550, y, "Helvetica", 9, bal.String())
	return doc
}
