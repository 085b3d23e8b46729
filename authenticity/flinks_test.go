package authenticity

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

func TestFlinksFraudAnalysis(t *testing.T) {
	box := &passbook.Box{X0: 1, Y0: 2, X1: 3, Y1: 4}
	forged := Verdict([]passbook.Signal{
		{Code: Whiteout, Severity: passbook.High, Page: 2, Box: box, Detail: "a"},
		{Code: FontMismatch, Severity: passbook.Medium, Page: 2, Box: box, Detail: "b"},
		{Code: FontMismatch, Severity: passbook.Medium, Page: 1, Box: box, Detail: "c"},
		{Code: BalanceBreak, Severity: passbook.High, Page: 3, Box: box, Detail: "d"},
	})
	clean := Verdict(nil)
	docs := []passbook.Document{
		{Id: "d1", FileName: "a.pdf", Authenticity: &forged},
		{Id: "d2", FileName: "b.pdf", Authenticity: &clean},
		{Id: "d3", FileName: "broken.pdf", Error: "not a PDF file"},
	}
	fa := FlinksFraudAnalysis(docs)
	if len(fa.DocumentAnalysis) != 2 {
		t.Fatalf("%d analyses, want 2 (unreadable files left out)", len(fa.DocumentAnalysis))
	}
	a, b := fa.DocumentAnalysis[0], fa.DocumentAnalysis[1]
	if a.Status != StatusFraud || a.Verdict != passbook.Fail || b.Status != StatusNoFraud {
		t.Errorf("statuses %s/%s and %s", a.Status, a.Verdict, b.Status)
	}
	if a.FraudVerdict != VerdictHighRisk || b.FraudVerdict != VerdictTrust {
		t.Errorf("Flinks verdicts %q and %q", a.FraudVerdict, b.FraudVerdict)
	}
	if d := a.FullAnalysis[0].FraudSignals[0].UnderlyingData[0].Details; len(d) != 4 || d[0].SpecificType != "Description" || d[2] != (Detail{"PageNumber", "2", "Integer"}) || d[3].DataType != "Box" {
		t.Errorf("UnderlyingData details %+v", d)
	}
	sigs := a.FullAnalysis[0].FraudSignals
	if len(sigs) != 3 {
		t.Fatalf("%d signal types, want 3: %+v", len(sigs), sigs)
	}
	for _, s := range sigs {
		if s.Type == FontMismatch && (s.Count != 2 || s.PageNumber != 1 || len(s.UnderlyingData) != 2 || len(s.Occurrences) != 2) {
			t.Errorf("font mismatch grouped wrong: %+v", s)
		}
	}
	if sigs[2].Severity != passbook.Medium {
		t.Errorf("signals not ordered by severity: %+v", sigs)
	}
	body, _ := json.Marshal(fa)
	for _, key := range []string{`"DocumentAnalysis"`, `"FullAnalysis"`, `"DocumentType":"BankStatement"`, `"FraudSignals"`, `"PageNumber"`, `"UnderlyingData":[{"Details":[{"SpecificType"`, `"DataType"`, `"FraudVerdict":"High Risk"`, `"Box"`} {
		if !strings.Contains(string(body), key) {
			t.Errorf("JSON lacks %s: %s", key, body)
		}
	}
}
