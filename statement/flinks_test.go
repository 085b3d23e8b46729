package statement

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
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

// TestConfidence checks each account's reading confidence and the discrepancies it lists, one
// statement at a time and merged across two statements of one account.
func TestConfidence(t *testing.T) {
	checked := func(r *Result, n int) *Result { r.Accounts[0].Reconciliation.BalancesChecked = n; return r }
	broken := func(r *Result, checks int, idx int) *Result {
		a := &r.Accounts[0]
		a.Reconciliation = Reconciliation{BalancesChecked: checks, Breaks: []Break{{Index: idx, Expected: 1, Printed: 2, At: Location{Page: 1, Box: passbook.Box{X0: 1, X1: 2}}}}}
		if idx < 0 {
			a.Reconciliation.Expected = passbook.M(1) // the closing balance is checked, and fails
		}
		return r
	}
	badTotal := func(r *Result) *Result {
		a := &r.Accounts[0]
		a.Reconciliation.Reconciled = false
		a.Totals = []Total{{Kind: TotalCredits, Label: "Total deposits", Printed: 900, Computed: 700, At: Location{Page: 1}}}
		return r
	}
	for _, c := range []struct {
		name    string
		results []*Result
		want    string
		kinds   []string
		txIndex int // the merged index of the row of the first discrepancy, -1 for none
	}{
		{"reconciled", []*Result{checked(monthResult(time.January, 100, 5, -3), 2)}, passbook.ReadingReconciled, nil, -1},
		{"unchecked", []*Result{monthResult(time.January, 100, 5)}, passbook.ReadingUnchecked, nil, -1},
		{"one break of three", []*Result{broken(monthResult(time.January, 100, 5, 6, 7), 3, 1)}, passbook.ReadingPartial, []string{passbook.DiscrepancyBalance}, 1},
		{"closing only, wrong", []*Result{broken(monthResult(time.January, 100, 5), 0, -1)}, passbook.ReadingUnreconciled, []string{passbook.DiscrepancyClosing}, -1},
		{"total only, wrong", []*Result{badTotal(monthResult(time.January, 100, 5))}, passbook.ReadingUnreconciled, []string{passbook.DiscrepancyTotal}, -1},
		{"second statement breaks", []*Result{checked(monthResult(time.January, 100, 5, 6), 2), broken(monthResult(time.February, 111, 1, 2), 2, 0)}, passbook.ReadingPartial, []string{passbook.DiscrepancyBalance}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs := make([]passbook.Document, len(c.results))
			out := ToStatements(docs, c.results)
			st := out.Accounts[0].Statement
			if st.Confidence != c.want {
				t.Errorf("confidence %s, want %s", st.Confidence, c.want)
			}
			if len(st.Discrepancies) != len(c.kinds) {
				t.Fatalf("discrepancies %+v, want kinds %v", st.Discrepancies, c.kinds)
			}
			for i, k := range c.kinds {
				if st.Discrepancies[i].Kind != k {
					t.Errorf("discrepancy %d: kind %s, want %s", i, st.Discrepancies[i].Kind, k)
				}
			}
			if c.txIndex >= 0 && st.Discrepancies[0].TransactionId != out.Accounts[0].Transactions[c.txIndex].Id {
				t.Errorf("discrepancy names transaction %s, want row %d (%s)", st.Discrepancies[0].TransactionId, c.txIndex, out.Accounts[0].Transactions[c.txIndex].Id)
			}
		})
	}
}

// TestNoText checks what Parse says of a document without words: a scan (pages with images)
// needs OCR; pages with nothing at all have no text; an OCR layer's hidden words are read.
func TestNoText(t *testing.T) {
	img := pdf.Page{Number: 1, Width: 612, Height: 792, Images: []passbook.Box{{X0: 0, Y0: 0, X1: 612, Y1: 792}}}
	if _, err := Parse(context.Background(), &pdf.Document{Pages: []pdf.Page{img}}); !errors.Is(err, ErrNoTextLayer) {
		t.Errorf("scan: %v, want ErrNoTextLayer", err)
	}
	blank := pdf.Page{Number: 1, Width: 612, Height: 792}
	if _, err := Parse(context.Background(), &pdf.Document{Pages: []pdf.Page{blank}}); !errors.Is(err, ErrNoStatement) {
		t.Errorf("blank: %v, want ErrNoStatement", err)
	}
	ocrPage := img
	ocrPage.OCR = true
	ocrPage.Words = []pdf.Word{{Text: "Statement", Box: passbook.Box{X0: 40, Y0: 40, X1: 100, Y1: 50}, Baseline: 48, Size: 10, Hidden: true}}
	if _, err := Parse(context.Background(), &pdf.Document{Pages: []pdf.Page{ocrPage}}); err != nil {
		t.Errorf("OCR layer: %v, want its words read", err)
	}
}
