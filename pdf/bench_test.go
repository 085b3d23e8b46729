package pdf

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzOpen feeds arbitrary bytes to the engine: it must return, without panicking, within its
// time budget.
func FuzzOpen(f *testing.F) {
	for _, file := range fixturePDFs(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	b, first := simplePage(textOps("F1", 12, 72, 700, "Balance 1,234.56")+"1 1 1 rg 70 690 80 20 re f\n", "/OpenAction << /S /JavaScript /JS (x) >>", "/Rotate 90")
	f.Add(first)
	b.set(7, "<< /Producer <FEFF0041> >>")
	f.Add(b.finish(7, "/Root 1 0 R /Info 7 0 R", lastXref(first)))
	f.Add(encrypted(""))
	f.Add(encrypted("x"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >> %%EOF"))
	e := engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d, err := e.Open(ctx, data)
		if err == nil && len(d.Pages) == 0 {
			t.Error("a document without pages and without an error")
		}
		s := scanStructure(data)
		if s.Revisions < 1 || s.TrailingBytes < 0 {
			t.Errorf("structure %+v", s)
		}
	})
}

// FuzzScanStructure fuzzes the byte scanner alone, which is much faster than through PDFium.
func FuzzScanStructure(f *testing.F) {
	for _, file := range fixturePDFs(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	b, first := simplePage(textOps("F1", 12, 72, 700, "x"), "/AA << >>", "")
	b.set(4, streamObj("/Filter /FlateDecode", "not zlib"))
	f.Add(b.finish(4, "/Root 1 0 R /Info 7 0 R", lastXref(first)))
	f.Add([]byte("%PDF-1.5\nxref\n0 1\n0000000000 65535 f \ntrailer << /Info 1 0 R /Prev 9 >>\nstartxref\n9\n%%EOF"))
	f.Add([]byte("1 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\nendstream <x:xmpmeta"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := scanStructure(data)
		if s.Revisions < 1 || s.TrailingBytes < 0 || s.TrailingBytes > len(data) || len(s.RevisionChanges) >= s.Revisions+1 {
			t.Errorf("structure %+v", s)
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
