package pdfgen

import (
	"bytes"
	"strings"
	"testing"
)

func TestAppender(t *testing.T) {
	d := New()
	d.Compress(true)
	first := d.AddPage(612, 792)
	first.Text(60, 110, "Times-Roman", 10, "32.32")
	first.Raw("0.5 0 0 0.5 0 0 cm") // a transformation left in force, as Chromium's streams do
	d.AddPage(595, 842).Text(60, 110, "Times-Roman", 10, "page two")
	d.SetInfo("Producer", "Genuine Generator 1.0")
	d.SetInfo("Title", "Statement (March)")
	orig := d.Bytes()

	a, err := Open(orig)
	if err != nil {
		t.Fatal(err)
	}
	if a.Pages() != 2 {
		t.Fatalf("%d pages, want 2", a.Pages())
	}
	if p := a.Page(2); p.Width() != 595 || p.Height() != 842 {
		t.Fatalf("page 2 is %v×%v", p.Width(), p.Height())
	}
	p := a.Page(1)
	p.Rect(58, 100, 90, 113, White)
	p.Text(60, 110, "Courier", 10, "162.10")
	a.Page(2).Annotate("FreeText", 50, 100, 150, 120, "note")
	a.SetInfo("Producer", "Some PDF Editor")
	edited, err := a.Update()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(edited, orig) || bytes.Count(edited, []byte("%%EOF")) != 2 {
		t.Fatal("not an incremental update of the original")
	}
	info := poppler(t, "pdfinfo", edited)
	for _, want := range []string{"Some PDF Editor", "Statement (March)", "Pages:           2"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	if !bytes.Contains(edited[len(orig):], []byte("/Subtype /FreeText")) || !bytes.Contains(edited[len(orig):], []byte("/Annots [")) {
		t.Error("annotation not appended")
	}
	ws := words(t, edited)
	for _, w := range []string{"32.32", "162.10", "two"} {
		if _, ok := find(ws, w); !ok {
			t.Errorf("%q missing after the update: %+v", w, ws)
		}
	}
	if w, _ := find(ws, "162.10"); w.XMin < 59.5 || w.XMin > 60.5 {
		t.Errorf("appended text placed at x=%.1f, want 60: the page's transformation leaked into the update", w.XMin)
	}
	// A second update on top of the first.
	b, err := Open(edited)
	if err != nil {
		t.Fatal(err)
	}
	b.SetInfo("ModDate", Date(2026, 4, 2, 0, 0, 0))
	twice, err := b.Update()
	if err != nil {
		t.Fatal(err)
	}
	if out := poppler(t, "pdfinfo", twice); !strings.Contains(out, "Some PDF Editor") || bytes.Count(twice, []byte("%%EOF")) != 3 {
		t.Errorf("second update lost the first:\n%s", out)
	}

	if _, err := Open([]byte("%PDF-1.7\nnot really\n")); err == nil {
		t.Error("Open accepted a file without a trailer")
	}
}
