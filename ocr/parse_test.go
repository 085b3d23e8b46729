package ocr

import (
	"bytes"
	"image"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/passbookhq/passbook/pdf"
)

const tsvSample = tsvColumns + `
1	1	0	0	0	0	0	0	1311	1678	-1	
2	1	1	0	0	0	99	104	1124	870	-1	
4	1	1	1	1	0	117	104	1046	68	-1	
5	1	1	1	1	1	117	104	137	26	96.427444	Northern
5	1	1	1	1	2	267	107	92	31	96.427773	Maple
5	1	1	1	1	3	370	109	80	25	-1	 
5	1	1	1	2	1	116	140	68	17	58.5	7,984.O2
`

func TestParseTSV(t *testing.T) {
	ws, err := ParseTSV(strings.NewReader(tsvSample))
	if err != nil {
		t.Fatal(err)
	}
	want := []TSVWord{
		{Block: 1, Par: 1, Line: 1, Left: 117, Top: 104, Width: 137, Height: 26, Conf: 96.427444, Text: "Northern"},
		{Block: 1, Par: 1, Line: 1, Left: 267, Top: 107, Width: 92, Height: 31, Conf: 96.427773, Text: "Maple"},
		{Block: 1, Par: 1, Line: 2, Left: 116, Top: 140, Width: 68, Height: 17, Conf: 58.5, Text: "7,984.O2"},
	}
	if len(ws) != len(want) {
		t.Fatalf("%d words, want %d: %+v", len(ws), len(want), ws)
	}
	for i := range want {
		if ws[i] != want[i] {
			t.Errorf("word %d: %+v, want %+v", i, ws[i], want[i])
		}
	}
	for _, bad := range []string{
		"",
		"level\tpage\n",
		tsvColumns + "\n5\t1\t1\t1\t1\t1\t117\n",
		tsvColumns + "\n5\t1\t1\t1\t1\t1\tx\t104\t137\t26\t96\tWord\n",
		tsvColumns + "\n5\t1\t1\t1\t1\t1\t1\t104\t137\t26\tNaN\tWord\n",
	} {
		if _, err := ParseTSV(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseTSV(%q): no error", bad)
		}
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add([]byte(tsvSample))
	f.Add([]byte(tsvColumns + "\n5\t1\t1\t1\t1\t1\t-5\t104\t0\t26\t96\tWord\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ws, err := ParseTSV(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, w := range ws {
			if w.Text == "" || w.Width <= 0 || w.Height <= 0 || w.Conf < 0 || w.Conf > 100 {
				t.Fatalf("word %+v", w)
			}
		}
		p := toPage(1, fixWords(ws), 2000, 3000, 0.24)
		for _, w := range p.Words {
			if math.IsNaN(w.Box.X0) || math.IsNaN(w.Baseline) || math.IsNaN(w.Size) {
				t.Fatalf("word %+v", w)
			}
		}
	})
}

func TestParseOSD(t *testing.T) {
	out := []byte("Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 11.43\nScript: Latin\nScript confidence: 2.00\n")
	if rot, conf, ok := parseOSD(out); !ok || rot != 90 || conf != 11.43 {
		t.Errorf("parseOSD: %d %v %v", rot, conf, ok)
	}
	if _, _, ok := parseOSD([]byte("Rotate: 45\n")); ok {
		t.Error("Rotate: 45 accepted")
	}
}

func TestFixWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1,296.19", "1,296.19"},
		{"7,984.O2", "7,984.02"},
		{"l,2S6.19", "1,256.19"},
		{"$1O5.2l", "$105.21"},
		{"-$3,392.46", "-$3,392.46"},
		{"(1,25O.00)", "(1,250.00)"},
		{"1,29619", "1,296.19"},
		{"1,296,19", "1,296.19"},
		{"116.08CR", "116.08CR"},
		{"1l6.O8CR", "116.08CR"},
		{"11602", "11602"},     // a reference number, not an amount
		{"COSTCO", "COSTCO"},   // letters stay letters
		{"SOLD.OO", "SOLD.OO"}, // no digit: not an amount
		{"Jul0S", "Jul 05"},    // a day stuck to its month, split and corrected
		{"Jul15", "Jul 15"},    // split
		{"15Jul", "15 Jul"},    // split
		{"July", "July"},       // a word
		{"O1", "01"},           // a day
		{"1S", "15"},           // a day
		{"Il", "Il"},           // no digit: a word
		{"4S", "4S"},           // no day of a month
		{"#437", "#437"},       // a cheque number
		{"65478-5958677", "65478-5958677"},
	} {
		ws := fixWords([]TSVWord{{Left: 10, Width: 100, Height: 20, Conf: 90, Text: c.in}})
		var texts []string
		for _, w := range ws {
			texts = append(texts, w.Text)
			if w.Text != c.in && w.Orig != c.in {
				t.Errorf("%q → %q without OCR's reading kept (Orig %q)", c.in, w.Text, w.Orig)
			}
		}
		if got := strings.Join(texts, " "); got != c.want {
			t.Errorf("fixWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNeedsOCR(t *testing.T) {
	words := func(hidden bool, texts ...string) []pdf.Word {
		var ws []pdf.Word
		for _, s := range texts {
			for f := range strings.FieldsSeq(s) {
				ws = append(ws, pdf.Word{Text: f, Hidden: hidden})
			}
		}
		return ws
	}
	good := "Opening balance on Jul 1: $7,984.02 Jul 02 REFUND HOME DEPOT 7051 116.08 8,100.10 CHEQUE #437 830.34"
	poor := "0pen1ng ba1@nce 0n Ju| l: $7,9B4.0Z Ju|O2 REFU~D H0ME DEP0T 7O5l 1l6.O8 8,lOO.l0 CHE~UE #4E7 8E0.34"
	for _, c := range []struct {
		name string
		page pdf.Page
		want Layer
	}{
		{"text layer", pdf.Page{Words: words(false, good)}, LayerText},
		{"image only", pdf.Page{Words: words(false, "Page 1")}, LayerNone},
		{"good OCR layer", pdf.Page{OCR: true, Words: words(true, good)}, LayerGood},
		{"poor OCR layer", pdf.Page{OCR: true, Words: words(true, poor)}, LayerPoor},
		{"already OCRed", pdf.Page{Scanned: true}, LayerText},
	} {
		if got := NeedsOCR(c.page); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSkew: words of lines running 1° downhill are put back on level baselines.
func TestSkew(t *testing.T) {
	a := 1.0 * math.Pi / 180
	var ws []TSVWord
	for line := range 10 {
		for i := range 8 {
			x := 100 + 200*i
			y := 200 + 60*line + int(float64(x)*math.Tan(a))
			ws = append(ws, TSVWord{Block: 1, Par: 1, Line: line + 1, Left: x, Top: y, Width: 150, Height: 30, Conf: 95, Text: "word"})
		}
	}
	if got := skew(ws) * 180 / math.Pi; math.Abs(got-1) > 0.05 {
		t.Fatalf("skew %.3f°, want 1°", got)
	}
	p := toPage(1, ws, 2000, 2600, 0.24)
	for i := 1; i < 8; i++ {
		if p.Words[i].Baseline != p.Words[0].Baseline {
			t.Fatalf("line 1: baselines %v and %v", p.Words[0].Baseline, p.Words[i].Baseline)
		}
	}
	// The first and last words of a line keep their horizontal order and level tops.
	if d := math.Abs(p.Words[7].Box.Y0 - p.Words[0].Box.Y0); d > 0.01 {
		t.Errorf("tops differ by %.2f pt after deskew", d)
	}
	if s := p.Words[0].Size; s < 7 || s > 9 {
		t.Errorf("size %.2f pt, want ~8 (30 px high at 0.24 pt/px)", s)
	}
}

func TestResizeRotate(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 4, 2))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 30)
	}
	r := rotate(g, 1)
	if r.Rect.Dx() != 2 || r.Rect.Dy() != 4 || r.GrayAt(1, 0).Y != g.GrayAt(0, 0).Y || r.GrayAt(0, 3).Y != g.GrayAt(3, 1).Y {
		t.Errorf("rotate 90°: %v", r.Pix)
	}
	if back := rotate(rotate(rotate(r, 1), 1), 1); !bytes.Equal(back.Pix, g.Pix) {
		t.Errorf("four quarter turns: %v, want %v", back.Pix, g.Pix)
	}
	up := resize(g, 2)
	if up.Rect.Dx() != 8 || up.Rect.Dy() != 4 || up.GrayAt(0, 0).Y != g.GrayAt(0, 0).Y {
		t.Errorf("resize ×2: %v", up.Rect)
	}
	down := resize(up, 0.5)
	if down.Rect.Dx() != 4 || down.Rect.Dy() != 2 {
		t.Errorf("resize ÷2: %v", down.Rect)
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"testdata/quartz-01-tiff.tif"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x00\x00\x00\x00"))
	f.Add([]byte("BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x18\x00"))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00\x96\x00\x96\x00\x00\xff\xd9"))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x00\x01\x03\x00\x01\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"))
	lim := Limits{MaxPixels: 4_000_000, MaxPages: 4}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, pages, err := Decode(b, lim)
		if err != nil {
			return
		}
		if len(pages) != info.Pages {
			t.Fatalf("%d pages decoded, %d announced", len(pages), info.Pages)
		}
		for _, p := range pages {
			if int64(p.Gray.Rect.Dx())*int64(p.Gray.Rect.Dy()) > lim.MaxPixels {
				t.Fatalf("page %v over the limit", p.Gray.Rect)
			}
		}
	})
}
