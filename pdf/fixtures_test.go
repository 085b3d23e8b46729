package pdf

//go:generate go run ./internal/fixtures -out testdata

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixturePDFs returns the Chromium-printed fixtures with their truth files.
func fixturePDFs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.pdf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out []string
	for _, f := range files {
		if _, err := os.Stat(strings.TrimSuffix(f, ".pdf") + ".json"); err == nil {
			out = append(out, f)
		}
	}
	return out
}

func TestChromiumFixturesWords(t *testing.T) {
	for _, f := range fixturePDFs(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var truth struct {
				Words    []string
				BodySize float64 `json:"body_size"`
			}
			raw, _ := os.ReadFile(strings.TrimSuffix(f, ".pdf") + ".json")
			if err := json.Unmarshal(raw, &truth); err != nil {
				t.Fatal(err)
			}
			d := open(t, data)
			var got []string
			for _, p := range d.Pages {
				for _, w := range p.Words {
					got = append(got, w.Text)
					if w.Hidden || w.Font == "" || w.Size <= 0 || w.Box.X1 <= w.Box.X0 || w.Box.Y1 <= w.Box.Y0 {
						t.Errorf("word %+v", w)
					}
				}
				if len(p.Rects) == 0 {
					t.Errorf("page %d: no filled rectangles (the table rows have backgrounds)", p.Number)
				}
			}
			// The table's words are most of the page: the median size is the body size.
			var sizes []float64
			for _, w := range d.Pages[0].Words {
				sizes = append(sizes, w.Size)
			}
			slices.Sort(sizes)
			if med := sizes[len(sizes)/2]; abs(med-truth.BodySize) > 0.05 {
				t.Errorf("median size %v, want %v", med, truth.BodySize)
			}
			// Compare as multisets: the truth is in HTML order, the words in drawing order.
			want := slices.Clone(truth.Words)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("words differ\n got %q\nwant %q", got, want)
			}
			if d.Structure.Info["Producer"] == "" || d.Structure.Revisions != 1 || d.Structure.XrefRepaired {
				t.Errorf("structure %+v", d.Structure)
			}
		})
	}
}

// TestWordsMatchPdftotext compares the words and their boxes with poppler's.
func TestWordsMatchPdftotext(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed")
		}
		t.Skip("pdftotext is not installed")
	}
	for _, f := range fixturePDFs(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, _ := os.ReadFile(f)
			d := open(t, data)
			theirs := pdftotextWords(t, f)
			if len(theirs) != len(d.Pages) {
				t.Fatalf("%d pages, pdftotext %d", len(d.Pages), len(theirs))
			}
			for i, p := range d.Pages {
				ours := p.Words
				if len(ours) != len(theirs[i]) {
					t.Errorf("page %d: %d words, pdftotext %d", i+1, len(ours), len(theirs[i]))
				}
				used := make([]bool, len(theirs[i]))
				for _, w := range ours {
					found := false
					for j, o := range theirs[i] {
						if used[j] || o.Text != w.Text {
							continue
						}
						if abs(o.XMin-w.Box.X0) <= 1 && abs(o.XMax-w.Box.X1) <= 1 && abs(o.YMin-w.Box.Y0) <= 1 && abs(o.YMax-w.Box.Y1) <= 1 {
							used[j], found = true, true
							break
						}
					}
					if !found {
						t.Errorf("page %d: %q at %+v has no pdftotext word within 1pt", i+1, w.Text, w.Box)
					}
				}
			}
		})
	}
}

type popplerWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

func pdftotextWords(t *testing.T, file string) [][]popplerWord {
	out, err := exec.Command("pdftotext", "-bbox", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Pages []struct {
			Words []popplerWord `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(string(out)))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var pages [][]popplerWord
	for _, p := range doc.Pages {
		pages = append(pages, p.Words)
	}
	return pages
}
