package authenticity

import (
	"slices"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/statement"
)

// TestAnalyzeUpload checks the cross-document family on statements of one account drawn with
// pdfgen and read by the real engines.
func TestAnalyzeUpload(t *testing.T) {
	mar := spec{holder: "ZOE SINGH", month: time.March, opening: fixtureOpening, rows: fixtureRows}
	apr := spec{holder: "ZOE SINGH", month: time.April, opening: mar.closing(), rows: fixtureRows}
	may := spec{holder: "ZOE SINGH", month: time.May, opening: apr.closing(), rows: fixtureRows}
	aprBroken := apr
	aprBroken.opening = apr.opening + 50000
	aprOther := apr
	aprOther.holder = "JOHN CARTER"
	aprSameName := apr
	aprSameName.holder = "Zoé Singh"

	file := func(name string, sp spec) Input {
		return input(t, name, statementDoc(sp).Bytes())
	}
	cases := []struct {
		name  string
		docs  []Input
		want  map[int][]string // codes per document index
		clean []int            // documents that must get no cross-document signal
	}{
		{"consecutive months", []Input{file("apr.pdf", apr), file("mar.pdf", mar), file("may.pdf", may)}, nil, []int{0, 1, 2}},
		{"accents and case in the name", []Input{file("mar.pdf", mar), file("apr.pdf", aprSameName)}, nil, []int{0, 1}},
		{"opening is not the previous closing", []Input{file("mar.pdf", mar), file("apr.pdf", aprBroken)},
			map[int][]string{1: {BalanceChain}}, []int{0}},
		{"a month missing", []Input{file("mar.pdf", mar), file("may.pdf", may)},
			map[int][]string{1: {PeriodGap}}, []int{0}},
		{"another holder, and neither is the upload's", []Input{file("mar.pdf", mar), file("apr.pdf", aprOther)},
			map[int][]string{0: {HolderMismatch}, 1: {HolderMismatch}}, nil},
		{"another holder beside two of one", []Input{file("mar.pdf", mar), file("apr.pdf", aprOther), file("may.pdf", may)},
			map[int][]string{1: {HolderMismatch}}, []int{0}},
		{"the same file twice", []Input{file("mar.pdf", mar), file("mar-again.pdf", mar)},
			map[int][]string{1: {DuplicateFile}}, []int{0}},
		{"two statements of one period", []Input{file("mar.pdf", mar), file("mar-b.pdf", spec{holder: "ZOE SINGH", month: time.March, opening: fixtureOpening, rows: fixtureRows[:10]})},
			map[int][]string{1: {PeriodOverlap}}, []int{0}},
	}
	cross := []string{DuplicateFile, PeriodOverlap, PeriodGap, BalanceChain, HolderMismatch, AddressMismatch}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := AnalyzeUpload(c.docs, Options{Now: testNow})
			if len(got) != len(c.docs) {
				t.Fatalf("%d results for %d documents", len(got), len(c.docs))
			}
			for i, codes := range c.want {
				for _, code := range codes {
					if !hasCode(got[i], code) {
						t.Errorf("document %d: missing %s; got %v", i, code, got[i].Signals)
					}
				}
			}
			for _, i := range c.clean {
				for _, s := range got[i].Signals {
					if slices.Contains(cross, s.Code) {
						t.Errorf("document %d: unexpected %s: %s", i, s.Code, s.Detail)
					}
				}
			}
			for i, a := range got {
				if c.want == nil && a.Verdict != passbook.Pass {
					t.Errorf("document %d: verdict %s, want pass: %v", i, a.Verdict, a.Signals)
				}
			}
		})
	}
}

func hasCode(a passbook.Authenticity, code string) bool {
	for _, s := range a.Signals {
		if s.Code == code {
			return true
		}
	}
	return false
}

func TestSameHolder(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"ZOE SINGH", "Zoé Singh", true},
		{"JOHN SMITH", "JOHN A SMITH", true},
		{"Mr John Smith", "JOHN SMITH", true},
		{"SMITH JOHN", "Mr John A Smith", true},
		{"SMITH, JOHN A.", "J. SMITH", true},
		{"Mme Marie-Hélène Tremblay", "TREMBLAY MARIE HELENE", true},
		{"DR. J A SMITH", "John Andrew Smith", true},
		{"JOHN SMITH AND JANE SMITH", "Mrs Jane Smith", true},
		{"John & Jane Smith", "JANE SMITH", true},
		{"M. OR MRS J SMITH", "JOHN SMITH", true},
		{"JOHN SMITH", "JANE SMITH", false},
		{"JOHN SMITH", "JOHN CARTER", false},
		{"ZOE SINGH", "PRIYA PATEL", false},
		{"John & Jane Smith", "ROBERT BROWN", false},
		{"J SMITH", "A SMITH", false},
		{"JOHN SMITH", "", true},
	}
	for _, c := range cases {
		if got := sameHolder(c.a, c.b); got != c.want {
			t.Errorf("sameHolder(%q, %q) = %v (%q, %q)", c.a, c.b, got, holderPeople(c.a), holderPeople(c.b))
		}
		if got := sameHolder(c.b, c.a); got != c.want {
			t.Errorf("sameHolder(%q, %q) = %v, not symmetric", c.b, c.a, got)
		}
	}
}

// TestHolders checks the grouping of an upload's documents by holder on parsed results: one
// holder written several ways passes; three people's statements are flagged.
func TestHolders(t *testing.T) {
	doc := func(holder string) Input {
		return Input{Name: holder + ".pdf", Statement: &statement.Result{Holder: passbook.Holder{Name: holder}}}
	}
	cases := []struct {
		name    string
		holders []string
		flagged []int
	}{
		{"one holder written four ways", []string{"SMITH JOHN", "Mr John A Smith", "J. SMITH", "JOHN SMITH AND JANE SMITH"}, nil},
		{"one statement of someone else", []string{"ZOE SINGH", "Zoé Singh", "MS Z SINGH", "JOHN CARTER"}, []int{3}},
		{"three people", []string{"ZOE SINGH", "JOHN CARTER", "PRIYA PATEL"}, []int{0, 1, 2}},
		{"two and two", []string{"ZOE SINGH", "JOHN CARTER", "SINGH ZOE", "Mr John Carter"}, []int{0, 1, 2, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var docs []Input
			for _, h := range c.holders {
				docs = append(docs, doc(h))
			}
			got := AnalyzeUpload(docs, Options{Now: testNow})
			for i, a := range got {
				want := slices.Contains(c.flagged, i)
				if hasCode(a, HolderMismatch) != want {
					t.Errorf("%q: flagged %v, want %v: %v", c.holders[i], !want, want, a.Signals)
				}
				if want && a.Verdict == passbook.Pass {
					t.Errorf("%q: another holder's statement passes: %+v", c.holders[i], a)
				}
				if want && a.Verdict == passbook.Fail {
					t.Errorf("%q: another holder alone is not a forgery: %+v", c.holders[i], a)
				}
			}
		})
	}
}

func TestAccountKey(t *testing.T) {
	cases := map[string]string{
		"00423-5417788":       "004235417788",
		"XXXX XXXX XXXX 9433": "…9433",
		"4520 54XX XXXX 9364": "…9364",
		"":                    "",
	}
	for in, want := range cases {
		if got := accountKey(in); got != want {
			t.Errorf("accountKey(%q) = %q, want %q", in, got, want)
		}
	}
}
