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
	cases := []struct {
		name    string
		signals []passbook.Signal
		score   int
		verdict passbook.Verdict
	}{
		{"none", nil, 0, passbook.Pass},
		{"low", []passbook.Signal{sig("A", passbook.Low)}, 5, passbook.Pass},
		{"medium and two lows", []passbook.Signal{sig("A", passbook.Medium), sig("B", passbook.Low), sig("C", passbook.Low)}, 25, passbook.Pass},
		{"two mediums", []passbook.Signal{sig("A", passbook.Medium), sig("B", passbook.Medium)}, 30, passbook.Review},
		{"one high", []passbook.Signal{sig("A", passbook.High)}, 40, passbook.Review},
		{"same code twice counts once", []passbook.Signal{sig("A", passbook.High), sig("A", passbook.High)}, 40, passbook.Review},
		{"high and medium", []passbook.Signal{sig("A", passbook.High), sig("B", passbook.Medium)}, 55, passbook.Review},
		{"two highs", []passbook.Signal{sig("A", passbook.High), sig("B", passbook.High)}, 80, passbook.Fail},
		{"capped", []passbook.Signal{sig("A", passbook.High), sig("B", passbook.High), sig("C", passbook.High)}, 100, passbook.Fail},
	}
	for _, c := range cases {
		a := Verdict(c.signals)
		if a.Score != c.score || a.Verdict != c.verdict {
			t.Errorf("%s: score %d verdict %s, want %d %s", c.name, a.Score, a.Verdict, c.score, c.verdict)
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
