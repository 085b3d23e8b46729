package authenticity

import (
	"slices"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
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
		{"another holder", []Input{file("mar.pdf", mar), file("apr.pdf", aprOther)},
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

func TestSameName(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"ZOE SINGH", "Zoé Singh", true},
		{"JOHN SMITH", "JOHN A SMITH", true},
		{"Mr John Smith", "JOHN SMITH", true},
		{"JOHN SMITH", "JANE SMITH", false},
		{"JOHN SMITH", "", true},
	}
	for _, c := range cases {
		if got := sameName(c.a, c.b); got != c.want {
			t.Errorf("sameName(%q, %q) = %v", c.a, c.b, got)
		}
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
