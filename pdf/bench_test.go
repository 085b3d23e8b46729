package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/pdfgen"
)

// maxFuzzInput bounds the inputs of the fuzz targets: larger ones teach nothing a small one
// does not, and slow every run down.
const maxFuzzInput = 64 << 10

// smallSeeds are small files of many shapes, the seeds of the fuzz targets (the Chromium fixtures
// are 40 KB each and made the fuzzer crawl).
func smallSeeds() [][]byte {
	var out [][]byte
	b, first := simplePage(textOps("F1", 12, 72, 700, "Balance 1,234.56")+"1 1 1 rg 70 690 80 20 re f\n", "/OpenAction << /S /JavaScript /JS (x) >>", "/Rotate 90")
	out = append(out, first)
	b.set(7, "<< /Producer <FEFF0041> >>")
	out = append(out, b.finish(7, "/Root 1 0 R /Info 7 0 R", lastXref(first)))
	out = append(out, encrypted(""), encrypted("x"))
	out = append(out, []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >> %%EOF"))
	b, first = simplePage(textOps("F1", 12, 72, 700, "x"), "/AA << >>", "")
	b.set(4, streamObj("/Filter /FlateDecode", "not zlib"))
	out = append(out, b.finish(4, "/Root 1 0 R /Info 7 0 R", lastXref(first)))
	out = append(out, []byte("%PDF-1.5\nxref\n0 1\n0000000000 65535 f \ntrailer << /Info 1 0 R /Prev 9 >>\nstartxref\n9\n%%EOF"))
	out = append(out, []byte("1 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\nendstream <x:xmpmeta"))
	out = append(out, pdfgen.RectBomb(200), pdfgen.TextBomb(100))
	for _, h := range []hostile{{Depth: 40}, {Chain: 50}, {Loop: true}, {StreamLen: 1 << 30}, {Filters: 3}} {
		out = append(out, h.bytes())
	}
	return out
}

// FuzzOpen feeds arbitrary bytes to the engine: it must return, without panicking, within its
// time budget, and fail only with one of the errors callers tell apart.
func FuzzOpen(f *testing.F) {
	for _, s := range smallSeeds() {
		f.Add(s)
	}
	e := engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		checkOpen(t, e, data)
		s := scanStructure(data)
		if s.Revisions < 1 || s.TrailingBytes < 0 {
			t.Errorf("structure %+v", s)
		}
	})
}

// checkOpen opens data and checks that the result is a document with pages or a known error.
func checkOpen(t *testing.T, e *PDFium, data []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := e.Open(ctx, data)
	switch {
	case err == nil && len(d.Pages) == 0:
		t.Error("a document without pages and without an error")
	case err != nil && !errors.Is(err, ErrNotPDF) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrEncrypted) &&
		!errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooComplex):
		t.Errorf("an error of no known kind: %v", err)
	}
}

// FuzzScanStructure fuzzes the byte scanners alone (structure and budget), which is much faster
// than through PDFium.
func FuzzScanStructure(f *testing.F) {
	for _, s := range smallSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		s := scanStructure(data)
		if s.Revisions < 1 || s.TrailingBytes < 0 || s.TrailingBytes > len(data) || len(s.RevisionChanges) >= s.Revisions+1 {
			t.Errorf("structure %+v", s)
		}
		if err := checkBudget(data, DefaultBudget); err != nil && !errors.Is(err, ErrTooComplex) {
			t.Errorf("budget: %v", err)
		}
	})
}

// hostile describes a file built to hurt a reader: deeply nested objects, long reference chains,
// a page tree that loops, a stream that claims a huge length, chains of filters, and a content
// stream of repeated operators.
type hostile struct {
	Depth     int    // nesting of arrays and dictionaries in the page's resources
	Chain     int    // indirect references from the page to its content stream
	Loop      bool   // the page tree's Kids include the tree itself
	StreamLen int64  // the /Length the content stream claims
	Filters   int    // FlateDecode applied this many times (declared as a filter array)
	Repeat    int    // times the content's operator is repeated (before compression)
	Op        string // the content's operator
}

// bytes writes the file.
func (h hostile) bytes() []byte {
	b := newPDF()
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	kids := "3 0 R"
	if h.Loop {
		kids += " 2 0 R"
	}
	b.add(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, 1+min(h.Depth, 3)))
	nest := strings.Repeat("[<< /A ", min(h.Depth, 5000)) + "1" + strings.Repeat(" >>]", min(h.Depth, 5000))
	content := 4
	if h.Chain > 0 {
		content = 5 + min(h.Chain, 2000) // the chain 5 → 6 → … ends at the stream, added last
	}
	b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 4 0 R >> /X %s >> >>", content, nest))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := range min(h.Chain, 2000) {
		b.add(fmt.Sprintf("%d 0 R", 6+i))
	}
	op := h.Op
	if op == "" {
		op = "0 0 1 1 re f\n"
	}
	data := []byte(strings.Repeat(op, min(max(h.Repeat, 1), 100_000)))
	filters := ""
	for range min(h.Filters, 8) {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(data)
		w.Close()
		data = z.Bytes()
		filters += " /FlateDecode"
	}
	dict := ""
	if filters != "" {
		dict = "/Filter [" + filters + " ]"
	}
	length := int64(len(data))
	if h.StreamLen > 0 {
		length = h.StreamLen
	}
	b.add(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, length, data))
	return b.finish(1, "/Root 1 0 R", 0)
}

// FuzzHostileStructure builds files from hostile structures the fuzzer chooses: each must be
// read or refused with a known error, within the engine's budgets.
func FuzzHostileStructure(f *testing.F) {
	f.Add(0, 0, false, int64(0), 0, 1, "BT /F1 9 Tf (x) Tj ET\n")
	f.Add(200, 0, false, int64(0), 0, 1, "")
	f.Add(0, 500, false, int64(0), 0, 1, "")
	f.Add(0, 0, true, int64(0), 0, 1, "")
	f.Add(0, 0, false, int64(1)<<40, 0, 1, "")
	f.Add(0, 0, false, int64(0), 4, 50_000, "q Q ")
	f.Add(0, 0, false, int64(-5), 1, 10, "BI /W 1 /H 1 /BPC 8 /CS /G ID x EI ")
	e := engine(f)
	f.Fuzz(func(t *testing.T, depth, chain int, loop bool, streamLen int64, filters, repeat int, op string) {
		if len(op) > 256 {
			return
		}
		h := hostile{Depth: max(depth, 0), Chain: max(chain, 0), Loop: loop, StreamLen: streamLen, Filters: max(filters, 0), Repeat: repeat, Op: op}
		data := h.bytes()
		checkOpen(t, e, data)
		if err := checkBudget(data, DefaultBudget); err != nil && !errors.Is(err, ErrTooComplex) {
			t.Errorf("budget: %v", err)
		}
	})
}

// BenchmarkOpen reads the Chromium-printed fixtures; it reports pages per second.
func BenchmarkOpen(b *testing.B) {
	var docs [][]byte
	pages := 0
	for _, f := range fixturePDFs(b) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
		pages += len(open(b, data).Pages)
	}
	e := engine(b)
	b.ResetTimer()
	for b.Loop() {
		for _, data := range docs {
			if _, err := e.Open(context.Background(), data); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkStart measures starting an engine with a warm compilation cache, as a CLI run does.
func BenchmarkStart(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "cache")
	warm, err := New(context.Background(), Options{CacheDir: dir, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	warm.Close()
	b.ResetTimer()
	for b.Loop() {
		e, err := New(context.Background(), Options{CacheDir: dir, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		e.Close()
	}
}

// BenchmarkScanStructure measures the byte scan alone.
func BenchmarkScanStructure(b *testing.B) {
	data, err := os.ReadFile(fixturePDFs(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		scanStructure(data)
	}
}
