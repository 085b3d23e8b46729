package statement

import (
	"bytes"
	"encoding/xml"
	"os/exec"
	"strconv"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// popplerDoc reads a PDF's words with `pdftotext -bbox`, for development and as a reference
// for the PDF engine; it is never used at run time. Tests that call it skip without poppler.
func popplerDoc(t testing.TB, path string) *pdf.Document {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command(bin, "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	doc, err := parseBBox(out)
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return doc
}

func parseBBox(out []byte) (*pdf.Document, error) {
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var doc pdf.Document
	var cur *pdf.Page
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(n string) float64 {
			for _, a := range se.Attr {
				if a.Name.Local == n {
					f, _ := strconv.ParseFloat(a.Value, 64)
					return f
				}
			}
			return 0
		}
		switch se.Name.Local {
		case "page":
			doc.Pages = append(doc.Pages, pdf.Page{Number: len(doc.Pages) + 1, Width: attr("width"), Height: attr("height")})
			cur = &doc.Pages[len(doc.Pages)-1]
		case "word":
			var text string
			if err := dec.DecodeElement(&text, &se); err != nil || cur == nil {
				continue
			}
			b := passbook.Box{X0: attr("xMin"), Y0: attr("yMin"), X1: attr("xMax"), Y1: attr("yMax")}
			h := b.Y1 - b.Y0
			cur.Words = append(cur.Words, pdf.Word{Text: text, Box: b, Baseline: b.Y1 - 0.22*h, Size: h / 1.15})
		}
	}
	return &doc, nil
}
