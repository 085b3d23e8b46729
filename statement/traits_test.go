package statement

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

const traitsDir = "testdata/traits"

// readPending reads testdata/traits/PENDING: one fixture file name per line, each with a
// '# trait …' comment saying what the engine does not read yet; blank and comment lines are
// skipped.
func readPending(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, why, _ := strings.Cut(line, "#")
		name = strings.TrimSpace(name)
		if strings.ContainsAny(name, " \t") || strings.TrimSpace(why) == "" {
			return nil, fmt.Errorf("%s:%d: want 'FILE.pdf # trait N: why', got %q", path, n, line)
		}
		out[name] = strings.TrimSpace(why)
	}
	return out, sc.Err()
}

// TestTraits reads every statement of the trait matrix (testdata/traits, made by ./internal/gen
// -set traits) and requires the exact accounts, balances and transactions of its truth. Fixtures
// listed in testdata/traits/PENDING are not read exactly yet: they are skipped with what differs,
// and fail once they are read exactly, so that the list only ever shrinks.
func TestTraits(t *testing.T) {
	pending, err := readPending(filepath.Join(traitsDir, "PENDING"))
	if err != nil {
		t.Fatal(err)
	}
	for name := range pending {
		if _, err := os.Stat(filepath.Join(traitsDir, name)); err != nil || !strings.HasSuffix(name, ".pdf") {
			t.Errorf("PENDING names %s, which is not a fixture in %s", name, traitsDir)
		}
	}
	files, _ := filepath.Glob(filepath.Join(traitsDir, "*.json"))
	if len(files) == 0 {
		t.Fatal("no trait fixtures")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			var truth Truth
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			diffs := readTrait(t, strings.TrimSuffix(f, ".json")+".pdf", truth)
			why, isPending := pending[name+".pdf"]
			switch {
			case isPending && len(diffs) == 0:
				t.Errorf("read exactly now: remove %s.pdf from %s/PENDING", name, traitsDir)
			case isPending:
				t.Skipf("pending (%s): %d differences, first: %s", why, len(diffs), diffs[0])
			}
			for i, d := range diffs {
				if i == 25 {
					t.Errorf("… %d more", len(diffs)-i)
					break
				}
				t.Error(d)
			}
		})
	}
}

// readTrait parses the PDF at path and lists every way its reading differs from the truth.
func readTrait(t *testing.T, path string, truth Truth) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := testEngine(t).Open(context.Background(), data)
	if err != nil {
		return []string{fmt.Sprintf("open: %v", err)}
	}
	res, err := Parse(context.Background(), doc)
	if err != nil {
		return []string{fmt.Sprintf("parse: %v", err)}
	}
	out := ToStatements([]passbook.Document{{FileName: filepath.Base(path), Pages: len(doc.Pages)}}, []*Result{res})
	return diffTruth(out, truth)
}

// diffTruth compares a reading with a truth: accounts (number, type, currency), opening and
// closing balances, and every transaction (date, description, debit, credit, balance) in order.
func diffTruth(out passbook.Statements, truth Truth) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if len(out.Accounts) != len(truth.Accounts) {
		add("%d accounts, want %d", len(out.Accounts), len(truth.Accounts))
	}
	for i := range min(len(out.Accounts), len(truth.Accounts)) {
		oa, ta := out.Accounts[i], truth.Accounts[i]
		if AccountKey(oa.AccountNumber) != AccountKey(ta.Number) {
			add("account %d: number %q, want %q", i, oa.AccountNumber, ta.Number)
		}
		wantType := map[string]string{"chequing": passbook.Chequing, "savings": passbook.Savings, "credit_card": passbook.CreditCard}[ta.Type]
		if oa.Type != wantType {
			add("account %s: type %s, want %s", ta.Number, oa.Type, wantType)
		}
		if oa.Currency != ta.Currency {
			add("account %s: currency %s, want %s", ta.Number, oa.Currency, ta.Currency)
		}
		if mony(oa.Statement.OpeningBalance) != mony(ta.OpeningBalance) || mony(oa.Statement.ClosingBalance) != mony(ta.ClosingBalance) {
			add("account %s: opening/closing %s/%s, want %s/%s", ta.Number, mony(oa.Statement.OpeningBalance), mony(oa.Statement.ClosingBalance), mony(ta.OpeningBalance), mony(ta.ClosingBalance))
		}
		if len(oa.Transactions) != len(ta.Transactions) {
			add("account %s: %d transactions, want %d", ta.Number, len(oa.Transactions), len(ta.Transactions))
		}
		for j := range min(len(oa.Transactions), len(ta.Transactions)) {
			o, w := oa.Transactions[j], ta.Transactions[j]
			got := []string{o.Date.ISO(), strings.Join(strings.Fields(o.Description), " "), mony(o.Debit), mony(o.Credit), mony(o.Balance)}
			want := []string{w.Date.ISO(), w.Description, mony(w.Debit), mony(w.Credit), mony(w.Balance)}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				add("account %s row %d: got %q, want %q", ta.Number, j, got, want)
			}
		}
	}
	return diffs
}
