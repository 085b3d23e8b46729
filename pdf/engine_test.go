package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testEngine is shared by the tests of the package: starting PDFium is the slow part.
var testEngine = sync.OnceValues(func() (*PDFium, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return New(context.Background(), Options{CacheDir: filepath.Join(dir, "passbook", "wazero-test"), Workers: 2})
})

func engine(t testing.TB) *PDFium {
	t.Helper()
	e, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func open(t testing.TB, data []byte) *Document {
	t.Helper()
	d, err := engine(t).Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpenWordsOfHandmadePage(t *testing.T) {
	content := textOps("F1", 12, 72, 700, "Opening balance 1,234.56") +
		textOps("F2", 10, 72, 680, "2026-03-05 Coffee -4.50") +
		"1 1 1 rg 300 600 100 20 re f 0 0 0 rg\n" +
		textOps("F1", 12, 310, 605, "349.87")
	_, data := simplePage(content, "", "")
	d := open(t, data)
	if len(d.Pages) != 1 {
		t.Fatalf("%d pages", len(d.Pages))
	}
	p := d.Pages[0]
	if p.Width != 612 || p.Height != 792 {
		t.Errorf("size %v×%v", p.Width, p.Height)
	}
	want := []struct {
		text string
		font string
		size float64
		x0   float64
		base float64
	}{
		{"Opening", "Helvetica", 12, 72, 92},
		{"balance", "Helvetica", 12, -1, 92},
		{"1,234.56", "Helvetica", 12, -1, 92},
		{"2026-03-05", "Courier", 10, 72, 112},
		{"Coffee", "Courier", 10, 72 + 11*6, 112},
		{"-4.50", "Courier", 10, 72 + 18*6, 112},
		{"349.87", "Helvetica", 12, 310, 187},
	}
	if len(p.Words) != len(want) {
		for _, w := range p.Words {
			t.Logf("%+v", w)
		}
		t.Fatalf("got %d words, want %d", len(p.Words), len(want))
	}
	for i, w := range want {
		got := p.Words[i]
		if got.Text != w.text || got.Font != w.font || got.Size != w.size || got.Baseline != w.base {
			t.Errorf("word %d = %q %s %v base %v, want %q %s %v base %v", i, got.Text, got.Font, got.Size, got.Baseline, w.text, w.font, w.size, w.base)
		}
		if w.x0 >= 0 && abs(got.Box.X0-w.x0) > 0.5 {
			t.Errorf("word %q starts at %v, want %v", got.Text, got.Box.X0, w.x0)
		}
		if got.Box.Y0 >= got.Baseline || got.Box.Y1 <= got.Baseline {
			t.Errorf("word %q box %+v does not straddle its baseline %v", got.Text, got.Box, got.Baseline)
		}
		if got.Color != 0x000000ff || got.Hidden || got.Rotation != 0 {
			t.Errorf("word %q colour %08x hidden %v rotation %d", got.Text, got.Color, got.Hidden, got.Rotation)
		}
	}
	if len(p.Rects) != 1 {
		t.Fatalf("rects %+v", p.Rects)
	}
	r := p.Rects[0]
	if r.Box.X0 != 300 || r.Box.X1 != 400 || r.Box.Y0 != 172 || r.Box.Y1 != 192 || r.Color != 0xffffffff {
		t.Errorf("rect %+v", r)
	}
	last := len(p.Words) - 1
	if p.WordOrder[last] <= r.Order || p.WordOrder[0] >= r.Order {
		t.Errorf("orders: words %v, rect %d", p.WordOrder, r.Order)
	}
}

func TestOpenErrors(t *testing.T) {
	_, good := simplePage(textOps("F1", 12, 72, 700, "Hello"), "", "")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotPDF},
		{"html", []byte("<!doctype html><p>hello"), ErrNotPDF},
		{"magic late", append(make([]byte, 2000), good...), ErrNotPDF},
		{"only header", []byte("%PDF-1.7\n"), ErrDamaged},
		{"truncated", good[:len(good)/3], ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := engine(t).Open(context.Background(), tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestOpenTimeBudgetAndRecovery(t *testing.T) {
	data, err := os.ReadFile(fixturePDFs(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Open(ctx, data); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: err = %v", err)
	}
	// A long document and a short budget: the read is abandoned mid-way and its instance killed.
	b := newPDF()
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	const n = 400
	kids := ""
	for i := range n {
		kids += fmt.Sprintf("%d 0 R ", 5+i)
	}
	b.add(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	b.add(streamObj("", strings.Repeat(textOps("F1", 8, 40, 700, "Lorem ipsum dolor sit amet 1,234.56 consectetur"), 60)))
	for range n {
		b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
	}
	long := b.finish(1, "/Root 1 0 R", 0)
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := e.Open(ctx, long); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTooComplex) {
		t.Fatalf("caller's deadline: err = %v", err)
	}
	// The engine's own time budget: the document is too complex.
	dir, _ := os.UserCacheDir()
	short, err := New(context.Background(), Options{CacheDir: filepath.Join(dir, "passbook", "wazero-test"), Workers: 1, Timeout: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	if _, err := short.Open(context.Background(), long); !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "longer than") {
		t.Fatalf("engine's time budget: err = %v", err)
	}
	// The engine goes on working after a document ran out of time.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := e.Open(context.Background(), data)
			if err != nil || len(d.Pages) == 0 || len(d.Pages[0].Words) == 0 {
				t.Errorf("after a timeout: %v", err)
			}
		}()
	}
	wg.Wait()
}

func TestTooManyPages(t *testing.T) {
	dir, _ := os.UserCacheDir()
	e, err := New(context.Background(), Options{CacheDir: filepath.Join(dir, "passbook", "wazero-test"), Workers: 1, MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	b := newPDF()
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
	if _, err := e.Open(context.Background(), b.finish(1, "/Root 1 0 R", 0)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestCacheDirUnusable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(context.Background(), Options{CacheDir: filepath.Join(file, "cache")}); err == nil {
		t.Fatal("a cache directory under a file was accepted")
	}
}
