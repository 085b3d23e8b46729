package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/institution/sandbox"
)

func txKey(t passbook.Transaction) string {
	m := func(p *passbook.Money) string {
		if p == nil || *p == 0 {
			return "-"
		}
		return p.String()
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s", t.Date, t.Description, m(t.Debit), m(t.Credit), m(t.Balance))
}

// The sandbox's monthly statements (what GetStatements returns for a linked login) are real
// statements: `passbook parse` reads each deposit and credit-card account's twelve back to
// exactly the transactions they were drawn from, with their balances (a card's payment row whose
// balance comes to 0.00 included).
func TestSandboxStatementsReadBack(t *testing.T) {
	today := passbook.NewDate(2026, 3, 14)
	dir := t.TempDir()
	checked, cards := 0, 0
	for ai, a := range sandbox.Accounts("Greatday", today) {
		if a.Category != "Operations" && a.Type != passbook.CreditCard {
			continue
		}
		checked++
		if a.Type == passbook.CreditCard {
			cards++
		}
		sts := sandbox.MonthlyStatements(sandbox.FlinksCapital, a, 12, today)
		if len(sts) < 11 {
			t.Fatalf("%s: %d statements", a.Title, len(sts))
		}
		var files, want []string
		empty := false
		for i, st := range sts {
			empty = empty || len(st.Transactions) == 0
			f := filepath.Join(dir, fmt.Sprintf("a%d-%02d.pdf", ai, i))
			if err := os.WriteFile(f, st.PDF, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
			for _, tx := range st.Transactions {
				want = append(want, txKey(tx))
			}
		}
		var out, errb bytes.Buffer
		if err := run(context.Background(), append([]string{"parse"}, files...), &out, &errb); err != nil {
			t.Fatalf("%s: parse: %v %s", a.Title, err, errb.String())
		}
		var got passbook.Statements
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Accounts) != 1 {
			t.Fatalf("%s: %d accounts read back, want 1: %+v", a.Title, len(got.Accounts), got.Documents)
		}
		var have []string
		for _, tx := range got.Accounts[0].Transactions {
			have = append(have, txKey(tx))
		}
		sort.Strings(want)
		sort.Strings(have)
		if len(have) != len(want) {
			t.Errorf("%s: %d transactions read back, want %d", a.Title, len(have), len(want))
		}
		for i := range min(len(have), len(want)) {
			if have[i] != want[i] {
				t.Errorf("%s: read %q, want %q", a.Title, have[i], want[i])
				break
			}
		}
		// A month without transactions gives the engine no row to reconcile.
		if !empty && !got.Accounts[0].Statement.Reconciled {
			t.Errorf("%s: not reconciled", a.Title)
		}
	}
	if checked < 5 || cards < 1 {
		t.Fatalf("%d accounts checked, %d of them credit cards", checked, cards)
	}
}
