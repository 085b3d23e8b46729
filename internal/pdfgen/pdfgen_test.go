package pdfgen

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// poppler runs one of poppler-utils' tools on data and returns its output; without the tool the
// test is skipped (they are installed wherever Passbook's CI runs).
func poppler(t *testing.T, tool string, data []byte, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s not installed", tool)
	}
	f := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, f)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

type bboxWord struct {
	XMin, YMin, XMax, YMax float64
	Text                   string
}

func words(t *testing.T, data []byte) []bboxWord {
	t.Helper()
	out := poppler(t, "pdftotext", data, "-bbox")
	var ws []bboxWord
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "word" {
			continue
		}
		var w bboxWord
		for _, a := range se.Attr {
			v, _ := strconv.ParseFloat(a.Value, 64)
			switch a.Name.Local {
			case "xMin":
				w.XMin = v
			case "yMin":
				w.YMin = v
			case "xMax":
				w.XMax = v
			case "yMax":
				w.YMax = v
			}
		}
		var text string
		if err := dec.DecodeElement(&text, &se); err == nil {
			w.Text = text
		}
		ws = append(ws, w)
	}
	return ws
}

func find(ws []bboxWord, text string) (bboxWord, bool) {
	for _, w := range ws {
		if w.Text == text {
			return w, true
		}
	}
	return bboxWord{}, false
}

func TestTextPositions(t *testing.T) {
	d := New()
	p := d.AddPage(612, 792)
	p.Rect(50, 100, 560, 114, Gray(0.9))
	p.Text(60, 110, "Helvetica", 10, "Opening")
	p.TextRight(540, 110, "Helvetica", 10, "1,234.56")
	p.Text(60, 200, "Times-Roman", 12, "Zoé")
	p.TextRight(540, 200, "Courier", 9, "-45.00")
	data := d.Bytes()

	ws := words(t, data)
	cases := []struct {
		text       string
		x0, x1     float64
		baseline   float64
		wantHeight float64
	}{
		{"Opening", 60, 60 + TextWidth("Helvetica", 10, "Opening"), 110, 10},
		{"1,234.56", 540 - TextWidth("Helvetica", 10, "1,234.56"), 540, 110, 10},
		{"Zoé", 60, 60 + TextWidth("Times-Roman", 12, "Zoé"), 200, 12},
		{"-45.00", 540 - 6*5.4, 540, 200, 9},
	}
	for _, c := range cases {
		w, ok := find(ws, c.text)
		if !ok {
			t.Errorf("%q not found in %+v", c.text, ws)
			continue
		}
		if math.Abs(w.XMin-c.x0) > 0.5 || math.Abs(w.XMax-c.x1) > 0.5 {
			t.Errorf("%q: x %.2f–%.2f, want %.2f–%.2f", c.text, w.XMin, w.XMax, c.x0, c.x1)
		}
		if w.YMin > c.baseline || w.YMax < c.baseline-c.wantHeight/2 {
			t.Errorf("%q: y %.2f–%.2f does not hold baseline %.2f", c.text, w.YMin, w.YMax, c.baseline)
		}
	}
}

func TestInvisibleTextIsInTextLayer(t *testing.T) {
	d := New()
	p := d.AddPage(300, 300)
	p.InvisibleText(20, 50, "Helvetica", 10, "hidden")
	data := d.Bytes()
	if _, ok := find(words(t, data), "hidden"); !ok {
		t.Fatal("invisible text missing from the text layer")
	}
	if !bytes.Contains(data, []byte("3 Tr")) {
		t.Fatal("render mode 3 not written")
	}
}

func TestInfoAndUpdate(t *testing.T) {
	d := New()
	p := d.AddPage(612, 792)
	p.Text(60, 110, "Helvetica", 10, "32.32")
	d.SetInfo("Producer", "Genuine Generator 1.0")
	d.SetInfo("CreationDate", Date(2026, 3, 31, 9, 0, 0))
	orig := d.Bytes()
	if out := poppler(t, "pdfinfo", orig); !strings.Contains(out, "Genuine Generator 1.0") {
		t.Fatalf("pdfinfo does not show the producer:\n%s", out)
	}

	p.Rect(58, 100, 90, 113, White)
	p.Text(60, 110, "Courier", 10, "162.10")
	d.SetInfo("Producer", "Some PDF Editor")
	edited := d.Update()
	if !bytes.HasPrefix(edited, orig) {
		t.Fatal("the update does not keep the original bytes")
	}
	if n := bytes.Count(edited, []byte("%%EOF")); n != 2 {
		t.Fatalf("%d %%%%EOF markers, want 2", n)
	}
	if !bytes.Contains(edited[len(orig):], []byte("/Prev ")) {
		t.Fatal("update trailer has no /Prev")
	}
	out := poppler(t, "pdfinfo", edited)
	if !strings.Contains(out, "Some PDF Editor") {
		t.Fatalf("pdfinfo does not see the updated producer:\n%s", out)
	}
	ws := words(t, edited)
	if _, ok := find(ws, "162.10"); !ok {
		t.Fatalf("updated text missing: %+v", ws)
	}
	if _, ok := find(ws, "32.32"); !ok {
		t.Fatalf("original text lost: %+v", ws)
	}
	// Objects that did not change are not rewritten in the update.
	if bytes.Contains(edited[len(orig):], []byte("/Type /Pages")) {
		t.Fatal("unchanged page tree rewritten in the update")
	}

	rewritten := d.Bytes()
	if n := bytes.Count(rewritten, []byte("%%EOF")); n != 1 {
		t.Fatalf("rewrite has %d %%%%EOF markers, want 1", n)
	}
	if _, ok := find(words(t, rewritten), "162.10"); !ok {
		t.Fatal("rewrite lost the edit")
	}
}

func TestStructureFeatures(t *testing.T) {
	d := New()
	d.Compress(true)
	p := d.AddPage(612, 792)
	p.Text(60, 110, "Helvetica-Bold", 10, "Statement (March)")
	p.Image(300, 300, 400, 400, 2, 2, []byte{0, 255, 255, 0})
	p.Annotate("FreeText", 100, 100, 200, 120, "note")
	d.AddTextField(1, "amount", "10.00", 100, 500, 200, 520)
	d.Attach("data.txt", []byte("hello"))
	d.SetJavaScript("app.alert('x')")
	d.SetXMP(XMP("Genuine Generator", "Tool", "2026-03-31T09:00:00Z", ""))
	data := d.Bytes()
	info := poppler(t, "pdfinfo", data)
	for _, want := range []string{"Form:            AcroForm", "Pages:           1"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	if _, ok := find(words(t, data), "(March)"); !ok {
		t.Error("escaped parentheses not read back")
	}
	if _, err := exec.LookPath("pdfimages"); err == nil {
		if out := poppler(t, "pdfimages", data, "-list"); !strings.Contains(out, "gray") {
			t.Errorf("image not listed:\n%s", out)
		}
	}
}

func TestTextWidth(t *testing.T) {
	cases := []struct {
		font string
		size float64
		s    string
		want float64
	}{
		{"Helvetica", 10, "1,234.56", (6*556 + 2*278) / 100.0},
		{"Courier", 10, "abc", 18},
		{"Times-Roman", 10, "10", 10},
		{"Helvetica", 10, "", 0},
	}
	for _, c := range cases {
		if got := TextWidth(c.font, c.size, c.s); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("TextWidth(%q, %v, %q) = %v, want %v", c.font, c.size, c.s, got, c.want)
		}
	}
}

// TestProtect checks that a protected file opens in poppler with its user password only, and that
// an empty user password leaves it readable by anyone.
func TestProtect(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	d := New()
	d.AddPage(612, 792).Text(72, 72, "Helvetica", 12, "Statement (March) 1,234.56")
	d.SetInfo("Producer", "Bank (test)")
	d.Protect("1985-04-12", "owner")
	data := d.Bytes()
	if bytes.Contains(data, []byte("1,234.56")) || bytes.Contains(data, []byte("Bank (test)")) {
		t.Fatal("text in the clear")
	}
	if got := poppler(t, "pdftotext", data, "-upw", "1985-04-12"); !strings.Contains(got, "Statement (March) 1,234.56") {
		t.Errorf("with the password: %q", got)
	}
	if got := poppler(t, "pdfinfo", data, "-upw", "1985-04-12"); !strings.Contains(got, "Bank (test)") || !strings.Contains(got, "Encrypted:       yes") {
		t.Errorf("pdfinfo: %q", got)
	}
	f := filepath.Join(t.TempDir(), "locked.pdf")
	os.WriteFile(f, data, 0o600)
	if out, err := exec.Command("pdftotext", f, "-").CombinedOutput(); err == nil {
		t.Errorf("opened without the password: %s", out)
	}
	d.Protect("", "owner")
	if got := poppler(t, "pdftotext", d.Bytes()); !strings.Contains(got, "1,234.56") {
		t.Errorf("an owner password only: %q", got)
	}
}
