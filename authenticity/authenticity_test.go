package authenticity

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the fixture code")

var (
	engineOnce sync.Once
	engineVal  *pdf.PDFium
	engineErr  error
)

// engine returns the PDF engine shared by the tests of this package.
func engine(t testing.TB) *pdf.PDFium {
	t.Helper()
	engineOnce.Do(func() {
		engineVal, engineErr = pdf.New(context.Background(), pdf.Options{Workers: 1})
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engineVal
}

func TestMain(m *testing.M) {
	code := m.Run()
	if engineVal != nil {
		engineVal.Close()
	}
	os.Exit(code)
}

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func analyzeBytes(t testing.TB, name string, data []byte) passbook.Authenticity {
	t.Helper()
	return Analyze(input(t, name, data), Options{Now: testNow})
}

// input reads a file through the real engines, as `passbook parse` does.
func input(t testing.TB, name string, data []byte) Input {
	t.Helper()
	doc, err := engine(t).Open(context.Background(), data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	res, err := statement.Parse(context.Background(), doc)
	if res == nil {
		t.Logf("%s: statement: %v", name, err)
	}
	return Input{Name: name, Data: data, Doc: doc, Statement: res}
}

// expectation is what testdata/NAME.json records for a fixture.
type expectation struct {
	About   string
	Verdict []passbook.Verdict
	Present []string
	Absent  []string `json:",omitempty"`
}

func codes(a passbook.Authenticity) []string {
	var out []string
	for _, s := range a.Signals {
		if !slices.Contains(out, s.Code) {
			out = append(out, s.Code)
		}
	}
	sort.Strings(out)
	return out
}

func TestFixtures(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			data := f.build()
			pdfPath := filepath.Join("testdata", f.name+".pdf")
			jsonPath := filepath.Join("testdata", f.name+".json")
			exp := expectation{About: f.about, Verdict: f.verdict, Present: f.want, Absent: f.absent}
			want, _ := json.MarshalIndent(exp, "", "  ")
			want = append(want, '\n')
			if *update {
				if err := os.WriteFile(pdfPath, data, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(jsonPath, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			committed, err := os.ReadFile(pdfPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to write the fixtures)", err)
			}
			if !bytes.Equal(committed, data) {
				t.Fatalf("%s differs from what the fixture code makes; run go test -update", pdfPath)
			}
			if got, err := os.ReadFile(jsonPath); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s is stale; run go test -update", jsonPath)
			}

			a := analyzeBytes(t, f.name, committed)
			for _, s := range a.Signals {
				t.Logf("%s %s p%d %s", s.Code, s.Severity, s.Page, s.Detail)
			}
			got := codes(a)
			if !slices.Contains(f.verdict, a.Verdict) {
				t.Errorf("verdict %s (score %d), want one of %v; signals %v", a.Verdict, a.Score, f.verdict, a.Signals)
			}
			for _, c := range f.want {
				if !slices.Contains(got, c) {
					t.Errorf("missing %s; got %v", c, a.Signals)
				}
			}
			for _, c := range f.absent {
				if slices.Contains(got, c) {
					t.Errorf("unexpected %s; got %v", c, a.Signals)
				}
			}
		})
	}
}

// TestLocated checks that signals about one value carry the page and a box around that value.
func TestLocated(t *testing.T) {
	for _, f := range fixtures() {
		if f.name != "whiteout-update" && f.name != "off-alignment" {
			continue
		}
		a := analyzeBytes(t, f.name, f.build())
		for _, s := range a.Signals {
			switch s.Code {
			case Whiteout, FontMismatch, OffAlignment:
			default:
				continue
			}
			if s.Page != 1 || s.Box == nil {
				t.Errorf("%s: %s not located: %+v", f.name, s.Code, s)
				continue
			}
			// The edited value is in the fixture's balance or credit column, on a row of the table.
			if s.Box.X1 < colCredit-60 || s.Box.X1 > colBalance+5 || s.Box.Y0 < tableTop || s.Box.Y1 > 560 {
				t.Errorf("%s: %s box %+v is not on the edited value", f.name, s.Code, *s.Box)
			}
		}
	}
}

func TestEditorsList(t *testing.T) {
	if len(editors) < 30 {
		t.Fatalf("editors.txt has %d entries", len(editors))
	}
	cases := []struct {
		producer string
		want     passbook.Severity // "" for none
	}{
		{"PDF-XChange Editor 10.1.2.382", passbook.High},
		{"iLovePDF", passbook.High},
		{"Adobe Photoshop CC 2019 (Windows)", passbook.High},
		{"Microsoft: Print To PDF", passbook.Medium},
		{"Microsoft® Word 2021", passbook.Low},
		{"Skia/PDF m156", ""},
		{"ReportLab PDF Library - www.reportlab.com", ""},
		{"TargetStream StreamEDS rv1.7.41", ""},
		{"", ""},
	}
	for _, c := range cases {
		e, ok := findEditor(c.producer)
		if got := map[bool]passbook.Severity{true: e.Severity}[ok]; got != c.want {
			t.Errorf("%q: severity %q, want %q", c.producer, got, c.want)
		}
	}
	for _, bad := range []string{"high | x", "urgent | x | y", "low |  | y"} {
		if _, err := ParseEditors(bad); err == nil {
			t.Errorf("ParseEditors(%q) accepted a bad line", bad)
		}
	}
}

func TestParsePDFDate(t *testing.T) {
	cases := []struct {
		in   string
		want string // RFC 3339, or "" for an error
	}{
		{"D:20261122235444Z", "2026-11-22T23:54:44Z"},
		{"D:20261128120914-05'00'", "2026-11-28T12:09:14-05:00"},
		{"D:20231004225850+08'00'", "2023-10-04T22:58:50+08:00"},
		{"D:20250731", "2025-07-31T00:00:00Z"},
		{"D:2026", "2026-01-01T00:00:00Z"},
		{"20261122235444", "2026-11-22T23:54:44Z"},
		{"2026-11-22T23:54:44Z", "2026-11-22T23:54:44Z"},
		{"D:20261322000000Z", ""},
		{"D:20260230000000Z", ""},
		{"D:2026-04-01", ""},
		{"yesterday", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := ParsePDFDate(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ParsePDFDate(%q) = %v, want an error", c.in, got)
		case c.want != "" && err != nil:
			t.Errorf("ParsePDFDate(%q): %v", c.in, err)
		case c.want != "" && got.Format(time.RFC3339) != c.want:
			t.Errorf("ParsePDFDate(%q) = %s, want %s", c.in, got.Format(time.RFC3339), c.want)
		}
	}
}

func TestVerdictThresholds(t *testing.T) {
	sig := func(code string, sev passbook.Severity) passbook.Signal {
		return passbook.Signal{Code: code, Severity: sev}
	}
	at := func(s passbook.Signal, page int, b passbook.Box) passbook.Signal {
		s.Page, s.Box = page, &b
		return s
	}
	value := passbook.Box{X0: 500, Y0: 300, X1: 560, Y1: 310}
	elsewhere := passbook.Box{X0: 100, Y0: 500, X1: 160, Y1: 510}
	cases := []struct {
		name    string
		signals []passbook.Signal
		score   int
		verdict passbook.Verdict
		misread bool // the reason names a possible misreading
	}{
		{"none", nil, 0, passbook.Pass, false},
		{"low", []passbook.Signal{sig(ModifiedAfterCreation, passbook.Low)}, 5, passbook.Pass, false},
		{"medium and two lows", []passbook.Signal{sig(XMPMismatch, passbook.Medium), sig(ModifiedAfterCreation, passbook.Low), sig(MalformedDate, passbook.Low)}, 25, passbook.Pass, false},
		{"two mediums", []passbook.Signal{sig(XMPMismatch, passbook.Medium), sig(TrailingBytes, passbook.Medium)}, 30, passbook.Review, false},
		{"one high", []passbook.Signal{sig(Whiteout, passbook.High)}, 40, passbook.Review, false},
		{"same code twice counts once", []passbook.Signal{sig(Whiteout, passbook.High), sig(Whiteout, passbook.High)}, 40, passbook.Review, false},
		{"high and medium", []passbook.Signal{sig(Whiteout, passbook.High), sig(FontMismatch, passbook.Medium)}, 55, passbook.Review, false},
		{"located white-out and arithmetic", []passbook.Signal{sig(Whiteout, passbook.High), sig(BalanceBreak, passbook.High)}, 80, passbook.Fail, false},
		{"capped", []passbook.Signal{sig(Whiteout, passbook.High), sig(BalanceBreak, passbook.High), sig(ClosingMismatch, passbook.High)}, 100, passbook.Fail, false},
		{"editor and an update", []passbook.Signal{sig(EditorProducer, passbook.High), sig(RevisionChangedMetadata, passbook.Medium)}, 55, passbook.Review, false},
		{"editor, producer changed and an update", []passbook.Signal{sig(EditorProducer, passbook.High), sig(ProducerChanged, passbook.High), sig(RevisionChangedMetadata, passbook.Medium)}, 95, passbook.Fail, false},
		{"arithmetic corroborated by the structure", []passbook.Signal{sig(BalanceBreak, passbook.High), sig(RevisionChangedContent, passbook.High)}, 80, passbook.Fail, false},
		// A misread row breaks a balance, the closing and a total: one cause, not three.
		{"arithmetic alone is a possible misread", []passbook.Signal{sig(BalanceBreak, passbook.High), sig(ClosingMismatch, passbook.High), sig(TotalMismatch, passbook.High)}, FailScore - 1, passbook.Review, true},
		{"arithmetic with lows only", []passbook.Signal{sig(BalanceBreak, passbook.High), sig(ModifiedAfterCreation, passbook.Low), sig(InvisibleText, passbook.Low), sig(MalformedDate, passbook.Low)}, 55, passbook.Review, true},
		{"arithmetic and the upload's chain", []passbook.Signal{sig(ClosingMismatch, passbook.High), sig(BalanceChain, passbook.High)}, FailScore - 1, passbook.Review, true},
		{"one update and nothing it changed", []passbook.Signal{sig(RevisionChangedContent, passbook.High), sig(RevisionAddedFonts, passbook.Medium), sig(ModifiedAfterCreation, passbook.Low)}, FailScore - 1, passbook.Review, false},
		{"a lone medium outlier elsewhere corroborates nothing", []passbook.Signal{at(sig(BalanceBreak, passbook.High), 1, value), sig(ClosingMismatch, passbook.High), at(sig(OffAlignment, passbook.Medium), 1, elsewhere)}, FailScore - 1, passbook.Review, true},
		{"an outlier on the value that breaks", []passbook.Signal{at(sig(BalanceBreak, passbook.High), 1, value), sig(ClosingMismatch, passbook.High), at(sig(OffAlignment, passbook.Medium), 1, value)}, 95, passbook.Fail, false},
		{"two kinds of outlier", []passbook.Signal{sig(BalanceBreak, passbook.High), sig(FontMismatch, passbook.Medium), sig(SizeMismatch, passbook.Medium)}, 70, passbook.Fail, false},
	}
	for _, c := range cases {
		a := Verdict(c.signals)
		if a.Score != c.score || a.Verdict != c.verdict {
			t.Errorf("%s: score %d verdict %s, want %d %s (%s)", c.name, a.Score, a.Verdict, c.score, c.verdict, a.Reason)
		}
		if got := strings.Contains(a.Reason, "misread"); got != c.misread {
			t.Errorf("%s: reason %q, names a misreading: %v, want %v", c.name, a.Reason, got, c.misread)
		}
		if a.Verdict != passbook.Pass && a.Reason == "" && a.Score >= FailScore {
			t.Errorf("%s: a fail without a reason", c.name)
		}
		if a.Signals == nil {
			t.Errorf("%s: Signals is nil, want an empty list for JSON", c.name)
		}
	}
	a := Verdict([]passbook.Signal{sig("L", passbook.Low), sig("H", passbook.High), sig("M", passbook.Medium)})
	if a.Signals[0].Code != "H" || a.Signals[2].Code != "L" {
		t.Errorf("signals not ordered by severity: %v", a.Signals)
	}
}

// TestReading checks that the reading confidence is stated beside the verdict, from the
// statement's arithmetic, and that a sign the reader may have got wrong is a note, not a signal.
func TestReading(t *testing.T) {
	tx := func(amount passbook.Money, bal passbook.Money) statement.Transaction {
		t := statement.Transaction{Date: passbook.NewDate(2026, 3, 2), Description: "ROW", Balance: passbook.M(bal)}
		if amount < 0 {
			t.Debit = passbook.M(-amount)
		} else {
			t.Credit = passbook.M(amount)
		}
		return t
	}
	good := statement.Account{Number: "1", Opening: passbook.M(1000), Closing: passbook.M(1500), Transactions: []statement.Transaction{tx(500, 1500)},
		Reconciliation: statement.Reconciliation{Reconciled: true, ClosingOK: true, Expected: passbook.M(1500), BalancesChecked: 1}}
	flipped := statement.Account{Number: "2", Opening: passbook.M(1000), Closing: passbook.M(1500), Transactions: []statement.Transaction{tx(-250, 1500), tx(0, 1500)},
		Reconciliation: statement.Reconciliation{Expected: passbook.M(750), BalancesChecked: 1, Breaks: []statement.Break{{Index: 0, Expected: 750, Printed: 1250}}}}
	flipped.Transactions[0].Balance = passbook.M(1250)
	empty := statement.Account{Number: "3"}
	cases := []struct {
		name     string
		accounts []statement.Account
		want     string
		notes    int
	}{
		{"reconciled", []statement.Account{good}, passbook.ReadingReconciled, 0},
		{"unreconciled", []statement.Account{flipped}, passbook.ReadingUnreconciled, 2},
		{"partial", []statement.Account{good, flipped}, passbook.ReadingPartial, 2},
		{"no rows", []statement.Account{empty}, passbook.ReadingUnchecked, 1},
	}
	for _, c := range cases {
		in := Input{Statement: &statement.Result{Accounts: c.accounts}}
		a := Analyze(in, Options{Now: testNow})
		if a.Reading == nil || a.Reading.Confidence != c.want || len(a.Reading.Notes) != c.notes {
			t.Errorf("%s: reading %+v, want %s with %d notes", c.name, a.Reading, c.want, c.notes)
		}
		for _, s := range a.Signals {
			if s.Code == BalanceBreak {
				t.Errorf("%s: a break the other sign explains became a signal: %v", c.name, s)
			}
		}
	}
	if a := Analyze(Input{}, Options{}); a.Reading != nil {
		t.Errorf("no statement, reading %+v", a.Reading)
	}
}

func TestNilInputs(t *testing.T) {
	a := Analyze(Input{}, Options{})
	if a.Verdict != passbook.Pass || len(a.Signals) != 0 {
		t.Fatalf("empty input: %+v", a)
	}
	if got := AnalyzeUpload(nil, Options{}); len(got) != 0 {
		t.Fatalf("AnalyzeUpload(nil) = %v", got)
	}
}

// FuzzAnalyze feeds arbitrary bytes, metadata, XMP and word texts to the analysis, on top of a
// real parsed statement (the PDF engine has its own fuzz test).
func FuzzAnalyze(f *testing.F) {
	base := fixtures()[2].build() // whiteout-update
	doc, err := engine(f).Open(context.Background(), base)
	if err != nil {
		f.Fatal(err)
	}
	res, _ := statement.Parse(context.Background(), doc)
	f.Add(base, "D:20260401061200Z", pdfgenXMP, "1,234.56")
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Producer (D:2026\xff) /Producer <FEFF00> >> endobj\n%%EOF"), "D:2026-13-45", "<x pdf:Producer='a'", "(12.00)CR")
	f.Fuzz(func(t *testing.T, data []byte, date, xmp, word string) {
		d := *doc
		d.Structure.Info = map[string]string{"Producer": date, "CreationDate": date, "ModDate": "D:20260401"}
		d.Structure.XMP = xmp
		d.Pages = append([]pdf.Page(nil), doc.Pages...)
		p := &d.Pages[0]
		p.Words = append([]pdf.Word(nil), p.Words...)
		for i := range p.Words {
			if i%7 == 0 {
				p.Words[i].Text = word
			}
		}
		a := Analyze(Input{Name: "fuzz.pdf", Data: data, Doc: &d, Statement: res}, Options{Now: testNow})
		if a.Score < 0 || a.Score > 100 {
			t.Fatalf("score %d out of range", a.Score)
		}
		for _, s := range a.Signals {
			if s.Code == "" || s.Detail == "" {
				t.Fatalf("signal without code or detail: %+v", s)
			}
		}
		ParsePDFDate(date)
	})
}

const pdfgenXMP = `<x:xmpmeta><rdf:Description pdf:Producer="Foxit PDF Editor" xmp:CreateDate="2026-04-01T06:12:00Z"/></x:xmpmeta>`

func BenchmarkAnalyze(b *testing.B) {
	data := fixtures()[2].build() // whiteout-update: every family has work to do
	doc, err := engine(b).Open(context.Background(), data)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Name: "bench.pdf", Data: data, Doc: doc}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(in, Options{Now: testNow})
	}
}

// BenchmarkAnalyzeLong measures a 30-page statement, where every amount is compared with a
// column that spans all pages.
func BenchmarkAnalyzeLong(b *testing.B) {
	d := genuineStatement("ZOE SINGH")
	for range 29 {
		p := d.AddPage(612, 792)
		bal := fixtureOpening
		for i := range 36 {
			r := fixtureRows[i%len(fixtureRows)]
			y := 60 + 19*float64(i)
			bal += r.credit - r.debit
			p.Text(52, y, bodyFont, bodySize, r.date)
			p.Text(100, y, bodyFont, bodySize, r.desc)
			if r.debit != 0 {
				p.TextRight(colDebit, y, bodyFont, bodySize, money(r.debit))
			} else {
				p.TextRight(colCredit, y, bodyFont, bodySize, money(r.credit))
			}
			p.TextRight(colBalance, y, bodyFont, bodySize, money(bal))
		}
	}
	data := d.Bytes()
	in := input(b, "long.pdf", data)
	b.ReportAllocs()
	for b.Loop() {
		Analyze(in, Options{Now: testNow})
	}
}
