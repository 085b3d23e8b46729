package statement

import (
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

func TestClassifyHeader(t *testing.T) {
	for _, c := range []struct {
		in   string
		want colKind
	}{
		{"Date", colDate}, {"Posting date", colPost}, {"Description", colDesc}, {"Withdrawals", colDebit},
		{"Deposits", colCredit}, {"Amount", colAmount}, {"Balance", colBalance}, {"Retraits", colDebit},
		{"Dépôts", colCredit}, {"Solde", colBalance}, {"Montant", colAmount},
		{"Buchungstag", colDate}, {"Buchung", colPost}, {"Wert", colDate}, {"Valuta", colDate},
		{"Vorgang/Buchungsinformation", colDesc}, {"Verwendungszweck", colDesc}, {"Soll", colDebit},
		{"Haben", colCredit}, {"Betrag", colAmount}, {"Saldo", colBalance}, {"Kontostand", colBalance},
		{"Werbung", colNone}, {"", colNone},
	} {
		if got := classifyHeader(c.in); got != c.want {
			t.Errorf("classifyHeader(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestBalanceLabels(t *testing.T) {
	for _, c := range []struct {
		in            string
		open, closing bool
	}{
		{"Opening balance", true, false}, {"Solde précédent", true, false}, {"Alter Kontostand", true, false},
		{"Anfangssaldo", true, false}, {"Neuer Kontostand", false, true}, {"Solde de fermeture", false, true},
		{"Endsaldo", false, true}, {"Closing balance", false, true}, {"Kontoinhaber", false, false},
	} {
		if got := reOpening.MatchString(c.in); got != c.open {
			t.Errorf("opening %q = %v", c.in, got)
		}
		if got := reClosing.MatchString(c.in); got != c.closing {
			t.Errorf("closing %q = %v", c.in, got)
		}
	}
}

// A diagonal stamp's letters, far larger than the text, must not join the lines they cross.
func TestWatermarkLetters(t *testing.T) {
	var ws []pdf.Word
	for i, s := range []string{"19.01.", "Gutschr.", "SEPA", "154,00", "Referenz", "T150", "ARBEITSAMT", "BONN"} {
		y := 100 + float64(i/4)*12
		x := 40 + float64(i%4)*80
		ws = append(ws, pdf.Word{Text: s, Box: passbook.Box{X0: x, Y0: y, X1: x + 60, Y1: y + 9}, Baseline: y + 7, Size: 9})
	}
	ws = append(ws, pdf.Word{Text: "M", Box: passbook.Box{X0: 130, Y0: 60, X1: 250, Y1: 300}, Baseline: 110, Size: 250})
	ls := pageLines(pdf.Page{Number: 1, Width: 612, Height: 792, Words: ws})
	if len(ls) != 2 {
		t.Fatalf("got %d lines, want 2", len(ls))
	}
	for _, l := range ls {
		if len(l.Words) != 4 {
			t.Errorf("line %q: %d words, want 4", l.Text, len(l.Words))
		}
	}
}
