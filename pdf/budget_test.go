package pdf

import (
	"bufio"
	"bytes"
	"compress/lzw"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
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
		{"rectangles", pdfgen.RectBomb(5_000_000), "draws more than 200000 objects"},
		{"text objects", pdfgen.TextBomb(10_000_000), "text objects"},
		{"whitespace", pdfgen.SpaceBomb(1 << 30), "inflates to more than"},
		{"rectangles behind LZW", pdfgen.Bomb(pdfgen.LZW, pdfgen.AsContent, pdfgen.Rects(1_100_000)), "draws more than 200000 objects"},
		{"text objects behind LZW", pdfgen.Bomb(pdfgen.LZW, pdfgen.AsContent, pdfgen.Texts(1_000_000)), "text objects"},
		{"whitespace behind RunLength", pdfgen.Bomb(pdfgen.RunLength, pdfgen.AsContent, pdfgen.Spaces(100<<20)), "a stream inflates to more than 64 MB"},
		{"whitespace behind LZW", pdfgen.Bomb(pdfgen.LZW, pdfgen.AsContent, pdfgen.Spaces(100<<20)), "a stream inflates to more than 64 MB"},
		// Smaller than the whole document's bound, much bigger than the 100×100 pixels it claims.
		{"image XObject", pdfgen.Bomb(pdfgen.Flate, pdfgen.AsImage, pdfgen.Spaces(100<<20)), "image stream inflates to more than its 100×100 pixels"},
		{"image XObject behind LZW", pdfgen.Bomb(pdfgen.LZW, pdfgen.AsImage, pdfgen.Spaces(100<<20)), "image stream inflates to more than its 100×100 pixels"},
		{"unused object behind LZW", pdfgen.Bomb(pdfgen.LZW, pdfgen.Unused, pdfgen.Spaces(100<<20)), "a stream inflates to more than 64 MB"},
		{"unused object behind RunLength", pdfgen.Bomb(pdfgen.RunLength, pdfgen.Unused, pdfgen.Spaces(100<<20)), "a stream inflates to more than 64 MB"},
		// Under the operator budget, over the objects a page may hold: refused before PDFium
		// builds them.
		{"objects", pdfgen.RectBomb(300_000), "draws more than 200000 objects"},
		{"indirect filter", pdfgen.Bomb(pdfgen.Flate, pdfgen.IndirectFilter, pdfgen.Rects(1_100_000)), "draws more than 200000 objects"},
		{"operators", pdfgen.Bomb(pdfgen.Flate, pdfgen.AsContent, func(w io.Writer) { io.WriteString(w, strings.Repeat("0 g\n", 2_100_000)) }), "drawing operators"},
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
	// The same files with a line of text in them are read: the scan and PDFium decode them alike.
	line := func(w io.Writer) { io.WriteString(w, "BT /F1 12 Tf 72 700 Td (Hello world) Tj ET\n") }
	for _, f := range []pdfgen.BombFilter{pdfgen.Flate, pdfgen.LZW, pdfgen.RunLength} {
		for _, h := range []pdfgen.BombHiding{pdfgen.AsContent, pdfgen.IndirectFilter} {
			d, err := e.Open(context.Background(), pdfgen.Bomb(f, h, line))
			if err != nil || len(d.Pages) != 1 {
				t.Fatalf("%s, hiding %d, a line of text: %v", f, h, err)
			}
			var text strings.Builder
			for _, w := range d.Pages[0].Words {
				text.WriteString(w.Text)
			}
			if text.String() != "Helloworld" {
				t.Fatalf("%s, hiding %d, a line of text: read %q", f, h, text.String())
			}
		}
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
		e, err := New(context.Background(), Options{CacheDir: cache, Workers: 1, Budget: Budget{PageObjects: 100, StreamObjects: 1 << 30}})
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

// TestFilterReaders decodes what pdfgen's writers (and the standard library's LZW writer, which
// has no early change) encode, fed in pieces of several sizes, and reads broken data to its end
// without error.
func TestFilterReaders(t *testing.T) {
	var inputs [][]byte
	inputs = append(inputs, nil, []byte("a"), []byte("TOBEORNOTTOBEORTOBEORNOT#"), bytes.Repeat([]byte("ab"), 10_000))
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{100, 5000, 70_000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.IntN(7)) + 'a' // few symbols: long strings, a table that fills and clears
		}
		inputs = append(inputs, b)
	}
	text := pdfgen.Rects(20_000)
	var content bytes.Buffer
	text(&content)
	inputs = append(inputs, content.Bytes())

	encoders := []struct {
		name   string
		encode func(io.Writer) io.WriteCloser
		decode func(io.Reader) io.Reader
	}{
		{"lzw early", func(w io.Writer) io.WriteCloser { return pdfgen.NewLZWWriter(w, true) },
			func(r io.Reader) io.Reader { return newLZWReader(r, true) }},
		{"lzw late", func(w io.Writer) io.WriteCloser { return pdfgen.NewLZWWriter(w, false) },
			func(r io.Reader) io.Reader { return newLZWReader(r, false) }},
		{"go lzw", func(w io.Writer) io.WriteCloser { return lzw.NewWriter(w, lzw.MSB, 8) },
			func(r io.Reader) io.Reader { return newLZWReader(r, false) }},
		{"runlength", func(w io.Writer) io.WriteCloser { return pdfgen.NewRunLengthWriter(w) },
			func(r io.Reader) io.Reader { return &runLengthReader{r: bufio.NewReader(r)} }},
	}
	for _, enc := range encoders {
		for _, in := range inputs {
			var z bytes.Buffer
			w := enc.encode(&z)
			w.Write(in)
			w.Close()
			for _, piece := range []int{1, 7, 4096, 1 << 20} {
				out, err := io.ReadAll(&pieces{r: enc.decode(bytes.NewReader(z.Bytes())), n: piece})
				if err != nil || !bytes.Equal(out, in) {
					t.Fatalf("%s: %d bytes in, %d out (pieces of %d), err %v", enc.name, len(in), len(out), piece, err)
				}
			}
			// Cut short, the data decodes to a prefix and ends.
			out, err := io.ReadAll(enc.decode(bytes.NewReader(z.Bytes()[:z.Len()/2])))
			if err != nil || !bytes.HasPrefix(in, out) {
				t.Fatalf("%s cut short: %d bytes out, err %v", enc.name, len(out), err)
			}
		}
	}
}

// pieces reads at most n bytes at a time.
type pieces struct {
	r io.Reader
	n int
}

func (p *pieces) Read(b []byte) (int, error) { return p.r.Read(b[:min(len(b), p.n)]) }

// TestImageBound: an image's stream may inflate to what its pixels hold, past the bound of other
// streams, but no more.
func TestImageBound(t *testing.T) {
	b := Budget{StreamBytes: 1 << 20}.withDefaults()
	image := func(w, h int, n int64) []byte {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		pdfgen.Spaces(n)(zw)
		zw.Close()
		return []byte(fmt.Sprintf("1 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n", w, h, z.Len(), z.Bytes()))
	}
	// 1000×1000 RGB with a predictor byte per row: 3,001,000 bytes.
	if err := checkBudget(image(1000, 1000, 3_001_000), b); err != nil {
		t.Fatalf("a full image: %v", err)
	}
	if err := checkBudget(image(1000, 1000, 3_010_000), b); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("an image over its pixels: %v", err)
	}
}

func TestOpCounter(t *testing.T) {
	tests := []struct {
		in       string
		ops, bts int
	}{
		{"BT /F1 12 Tf 72 700 Td (Hello) Tj ET", 5, 1},
		{"0 0 1 1 re f 2 2 3 3 re f* 1 0 0 1 0 0 cm /Im0 Do 0 0 m 1 1 l S n", 10, 0},
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

// TestOpCounterObjects counts the operators that make page objects, and no others.
func TestOpCounterObjects(t *testing.T) {
	tests := []struct {
		in      string
		objects int
	}{
		{"0 0 1 1 re f 2 2 3 3 re f* 0 0 m 1 1 l S 0 0 m 5 5 l s B B* b b* F", 9},
		{"BT /F1 9 Tf (a) Tj [(b) 2 (c)] TJ (d) ' 1 2 (e) \" ET", 4},
		{"q /Im0 Do Q /Sh0 sh BI /W 1 /H 1 ID \x00 EI", 3},
		{"0 0 m 1 1 l W n q 1 0 0 1 5 5 cm Q /GS0 gs 0.5 g", 0},
	}
	for _, tt := range tests {
		var c opCounter
		c.count([]byte(tt.in + "\n"))
		if c.objects != tt.objects {
			t.Errorf("%q: %d objects, want %d", tt.in, c.objects, tt.objects)
		}
	}
}
