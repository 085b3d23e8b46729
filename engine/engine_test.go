package engine

import (
	"context"
	"sync"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

var (
	engOnce sync.Once
	eng     *pdf.PDFium
	engErr  error
)

// testEngine is the real PDF engine, started once for the package's tests.
func testEngine(t testing.TB) *pdf.PDFium {
	engOnce.Do(func() { eng, engErr = pdf.New(context.Background(), pdf.Options{Workers: 1}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

func TestPDFEngineReadsFixtures(t *testing.T) {
	a := uploadtest.New("00123-4567890", 1, 12)
	b := uploadtest.New("00123-4567890", 2, 9)
	st, err := Engine{PDF: testEngine(t)}.Statements(context.Background(), []File{
		{Name: "jan.pdf", Data: a.PDF(8)}, {Name: "feb.pdf", Data: b.PDF(50)}, {Name: "junk.pdf", Data: []byte("%PDF-1.4 nothing")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Documents) != 3 || st.Documents[0].Authenticity == nil || st.Documents[0].Status != DocumentRead || st.Documents[0].Pages != 2 || st.Documents[2].Status != DocumentFailed || st.Documents[2].Error == "" {
		t.Fatalf("documents: %+v", st.Documents)
	}
	if len(st.Accounts) != 1 {
		t.Fatalf("accounts merged across statements: %d", len(st.Accounts))
	}
	acc := st.Accounts[0]
	if len(acc.Transactions) != len(a.Txs)+len(b.Txs) {
		t.Fatalf("transactions: %d, want %d", len(acc.Transactions), len(a.Txs)+len(b.Txs))
	}
	if acc.Balance.Current == nil || *acc.Balance.Current != b.Closing() {
		t.Fatalf("current balance %v, want %v", acc.Balance.Current, b.Closing())
	}
	var debits passbook.Money
	for _, tx := range acc.Transactions {
		if tx.Debit != nil {
			debits += *tx.Debit
		}
	}
	var want passbook.Money
	for _, f := range []uploadtest.Statement{a, b} {
		for _, tx := range f.Txs {
			want += tx.Debit
		}
	}
	if debits != want {
		t.Fatalf("debits %v, want %v", debits, want)
	}
}
