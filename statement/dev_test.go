package statement

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

// TestDevCorpus scores the parser on a folder of PDFs with truth, reading words with poppler.
// It is for development only: PASSBOOK_DEV_CORPUS=/path/to/folder go test -run DevCorpus -v.
func TestDevCorpus(t *testing.T) {
	dir := os.Getenv("PASSBOOK_DEV_CORPUS")
	if dir == "" {
		t.Skip("PASSBOOK_DEV_CORPUS not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	per := map[string]Score{}
	for _, f := range files {
		if strings.HasSuffix(f, "labels.json") {
			continue
		}
		var truth Truth
		b, _ := os.ReadFile(f)
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		pdfPath := strings.TrimSuffix(f, ".json") + ".pdf"
		doc := popplerDoc(t, pdfPath)
		if os.Getenv("DEV_ENGINE") != "" {
			data, _ := os.ReadFile(pdfPath)
			d, err := testEngine(t).Open(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			doc = d
		}
		res, err := Parse(context.Background(), doc)
		if err != nil {
			t.Logf("%s: %v", f, err)
		}
		out := ToStatements([]passbook.Document{{FileName: filepath.Base(f)}}, []*Result{res})
		s := ScoreDocument(truth, out)
		layout := strings.SplitN(filepath.Base(f), "-", 2)[0]
		c := per[layout]
		c.Add(s)
		per[layout] = c
		_, _, f1 := s.F1()
		if f1 < 1 || s.OpenCloseOK < s.OpenCloseN || os.Getenv("V") != "" {
			t.Logf("%s: tp=%d fp=%d fn=%d oc=%d/%d accts=%d/%d", filepath.Base(f), s.TP, s.FP, s.FN, s.OpenCloseOK, s.OpenCloseN, s.AccountsFound, s.Accounts)
			if res != nil {
				for _, a := range res.Accounts {
					t.Logf("   acct %q type=%s open=%v close=%v n=%d rec=%v breaks=%d checked=%d reading=%s", a.Number, a.Type, mstr(a.Opening), mstr(a.Closing), len(a.Transactions), a.Reconciliation.Reconciled, len(a.Reconciliation.Breaks), a.Reconciliation.BalancesChecked, a.Reconciliation.Reading)
				}
				t.Logf("   period %v %v inst=%q holder=%+v", res.PeriodStart, res.PeriodEnd, res.Institution, res.Holder)
			}
		}
	}
	var sb strings.Builder
	WriteReport(&sb, per)
	t.Log("\n" + sb.String())
}

func mstr(m *passbook.Money) string {
	if m == nil {
		return "nil"
	}
	return m.String()
}
