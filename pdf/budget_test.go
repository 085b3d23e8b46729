package pdf

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/passbookhq/passbook/internal/pdfgen"
)

// TestBombs opens each kind of bomb: each fails with ErrTooComplex and its own reason, before
// PDFium sees it.
func TestBombs(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"rectangles", pdfgen.RectBomb(5_000_000), "drawing operators"},
		{"text objects", pdfgen.TextBomb(10_000_000), "text objects"},
		{"whitespace", pdfgen.SpaceBomb(1 << 30), "inflates to more than"},
	}
	e := engine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Open(context.Background(), tt.data)
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%d-byte bomb: err = %v, want ErrTooComplex (%s)", len(tt.data), err, tt.want)
			}
		})
	}
	// A genuine statement is read by the same engine afterwards.
	data, err := os.ReadFile(fixturePDFs(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	if d := open(t, data); len(d.Pages) == 0 || len(d.Pages[0].Words) == 0 {
		t.Fatal("genuine statement not read after the bombs")
	}
}

// TestBudgetsInsidePDFium checks the limits that hold when the byte scan lets a file through: the
// objects of a page and the sandbox's memory.
func TestBudgetsInsidePDFium(t *testing.T) {
	dir, _ := os.UserCacheDir()
	cache := filepath.Join(dir, "passbook", "wazero-test")
	t.Run("objects per page", func(t *testing.T) {
		e, err := New(context.Background(), Options{CacheDir: cache, Workers: 1, Budget: Budget{PageObjects: 100}})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		_, err = e.Open(context.Background(), pdfgen.RectBomb(500))
		if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "page 1 holds more than 100 objects") {
			t.Fatalf("err = %v", err)
		}
		if _, err := e.Open(context.Background(), pdfgen.RectBomb(50)); err != nil {
			t.Fatalf("a page within budget: %v", err)
		}
	})
	t.Run("memory", func(t *testing.T) {
		// The byte scan is given room: PDFium itself runs out of its 64 MiB.
		e, err := New(context.Background(), Options{CacheDir: cache, Workers: 1, MemoryLimit: 64 << 20,
			Budget: Budget{Operators: 1 << 30, StreamBytes: 1 << 30, InflatedBytes: 1 << 30, PageObjects: 1 << 30}})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		_, err = e.Open(context.Background(), pdfgen.RectBomb(1_000_000))
		if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "memory") {
			t.Fatalf("err = %v", err)
		}
		// The instance that ran out was thrown away: the next document is read.
		if _, err := e.Open(context.Background(), pdfgen.RectBomb(10)); err != nil {
			t.Fatalf("after running out of memory: %v", err)
		}
	})
}

func TestOpCounter(t *testing.T) {
	tests := []struct {
		in       string
		ops, bts int
	}{
		{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", 5, 1},
		{"q 1 0 0 1 0 0 cm 0 0 10 10 re f Q", 5, 0},
		{"(BT ET re f \\) BT) Tj % BT BT BT\nET", 2, 0},
		{"<42 54> Tj /BT gs", 2, 0},
		{"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00BT re f\xff EI Q", 3, 0},
		{"[(a) 10 (b)] TJ ' \"", 3, 0},
	}
	for _, tt := range tests {
		// Fed in pieces of every size, the counts are the same.
		for size := 1; size <= len(tt.in); size++ {
			var c opCounter
			for i := 0; i < len(tt.in); i += size {
				c.count([]byte(tt.in[i:min(i+size, len(tt.in))]))
			}
			c.count([]byte{'\n'})
			if c.operators != tt.ops || c.textObjects != tt.bts {
				t.Errorf("%q in pieces of %d: %d operators, %d text objects; want %d, %d", tt.in, size, c.operators, c.textObjects, tt.ops, tt.bts)
				break
			}
		}
	}
}

// BenchmarkCheckBudget measures the byte scan over a genuine statement and over a bomb.
func BenchmarkCheckBudget(b *testing.B) {
	data, err := os.ReadFile(fixturePDFs(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	b.Run("statement", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := checkBudget(data, DefaultBudget); err != nil {
				b.Fatal(err)
			}
		}
	})
	bomb := pdfgen.RectBomb(5_000_000)
	b.Run("rect bomb", func(b *testing.B) {
		for b.Loop() {
			if err := checkBudget(bomb, DefaultBudget); err == nil {
				b.Fatal("bomb passed")
			}
		}
	})
}

// TestRenderRefusesBombs: drawing a bomb is refused by the same budget as reading it.
func TestRenderRefusesBombs(t *testing.T) {
	err := engine(t).Render(context.Background(), pdfgen.RectBomb(5_000_000), []int{1}, 72, func(int, *image.Gray) error { return nil })
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v", err)
	}
}
