package statement

import (
	"testing"
	"time"

	"github.com/passbookhq/passbook"
)

// monthResult is a one-account statement of month m with the given signed amounts.
func monthResult(m time.Month, opening passbook.Money, amounts ...passbook.Money) *Result {
	start := passbook.NewDate(2026, m, 1)
	r := &Result{PeriodStart: start, PeriodEnd: passbook.NewDate(2026, m+1, 1).AddDays(-1), Currency: "CAD", Institution: "Test Bank"}
	a := Account{Number: "12345-678", Type: passbook.Chequing, Currency: "CAD", Opening: passbook.M(opening)}
	bal := opening
	for i, v := range amounts {
		t := Transaction{Date: start.AddDays(i), Description: "ROW"}
		if v < 0 {
			t.Debit = passbook.M(-v)
		} else {
			t.Credit = passbook.M(v)
		}
		bal += v
		t.Balance = passbook.M(bal)
		a.Transactions = append(a.Transactions, t)
	}
	a.Closing = passbook.M(bal)
	a.Reconciliation.Reconciled = true
	r.Accounts = []Account{a}
	return r
}

func TestToStatementsMerges(t *testing.T) {
	feb := monthResult(time.February, 10000, -500, 2500)
	jan := monthResult(time.January, 5000, 5000)
	docs := []passbook.Document{{FileName: "feb.pdf"}, {FileName: "jan.pdf"}, {FileName: "jan-again.pdf"}, {FileName: "bad.pdf", Error: "not a PDF file"}}
	out := ToStatements(docs, []*Result{feb, jan, monthResult(time.January, 5000, 5000), nil})
	if len(out.Documents) != 4 || len(out.Accounts) != 1 {
		t.Fatalf("%d documents, %d accounts", len(out.Documents), len(out.Accounts))
	}
	a := out.Accounts[0]
	if len(a.Transactions) != 3 {
		t.Fatalf("%d transactions, want 3 (January once, then February)", len(a.Transactions))
	}
	if a.Transactions[0].Date != passbook.NewDate(2026, 1, 1) || a.Transactions[1].Date != passbook.NewDate(2026, 2, 1) {
		t.Errorf("not in date order: %v %v", a.Transactions[0].Date, a.Transactions[1].Date)
	}
	st := a.Statement
	if *st.OpeningBalance != 5000 || *st.ClosingBalance != 12000 || st.PeriodStart != jan.PeriodStart || st.PeriodEnd != feb.PeriodEnd || !st.Reconciled {
		t.Errorf("statement info %+v", st)
	}
	if *a.Balance.Current != 12000 || a.Category != "Operations" || a.LastFourDigits != "5678" {
		t.Errorf("account %+v", a)
	}
	again := ToStatements(docs, []*Result{feb, jan, jan, nil})
	if again.Accounts[0].Id != a.Id || again.Accounts[0].Transactions[2].Id != a.Transactions[2].Id {
		t.Error("ids are not stable")
	}
	seen := map[string]bool{}
	for _, tx := range a.Transactions {
		if seen[tx.Id] {
			t.Errorf("duplicate id %s", tx.Id)
		}
		seen[tx.Id] = true
	}
}
