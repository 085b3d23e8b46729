package ocr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// The fixtures in testdata are the project's own statements (statement/testdata) made into
// scans by /work/shared/tools/make-scans with seed 4242 — a skewed, blurred, noisy JPEG photo,
// a screen-resolution PNG, an image-only two-page PDF — and a two-page 8-bit gray TIFF at
// 120 dpi, deflate-compressed (pdftoppm -gray of statement/testdata/quartz-01.pdf, written by
// ImageMagick); each beside the statement's truth.

var (
	engOnce sync.Once
	engPDF  *pdf.PDFium
	engErr  error
)

// engines returns the PDF engine and an OCR reader on it; the test is skipped when Tesseract
// is not installed (.ci/run installs it).
func engines(t testing.TB) (*pdf.PDFium, *ocr.Reader) {
	t.Helper()
	engOnce.Do(func() { engPDF, engErr = pdf.New(context.Background(), pdf.Options{}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	r, err := ocr.New(context.Background(), ocr.Options{Languages: "eng+fra", Renderer: engPDF})
	if errors.Is(err, ocr.ErrNotInstalled) {
		t.Skip("tesseract is not installed (Debian package tesseract-ocr)")
	}
	if err != nil {
		t.Fatal(err)
	}
	return engPDF, r
}

func truth(t testing.TB, path string) statement.Truth {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var tr statement.Truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestFixtures reads every scan in testdata through the upload engine, as an upload does, and
// scores it against its truth.
func TestFixtures(t *testing.T) {
	eng, r := engines(t)
	files, _ := filepath.Glob("testdata/*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".json") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out, err := engine.Engine{PDF: eng, OCR: r}.Statements(context.Background(), []engine.File{{Name: filepath.Base(path), Data: data}})
			if err != nil {
				t.Fatal(err)
			}
			if d := out.Documents[0]; d.Status != engine.DocumentRead {
				t.Fatalf("document %s: %s", d.Status, d.Error)
			}
			s := statement.ScoreDocument(truth(t, path), out)
			p, rc, f := s.F1()
			t.Logf("precision %.3f recall %.3f F1 %.3f, opening/closing %d/%d", p, rc, f, s.OpenCloseOK, s.OpenCloseN)
			if f < 0.95 {
				t.Errorf("F1 %.3f, want ≥ 0.95 (TP %d FP %d FN %d)", f, s.TP, s.FP, s.FN)
			}
			if s.OpenCloseOK < s.OpenCloseN {
				t.Errorf("opening/closing balances: %d of %d right", s.OpenCloseOK, s.OpenCloseN)
			}
		})
	}
	if n < 4 {
		t.Fatalf("%d fixtures in testdata", n)
	}
}

// TestImageDocument checks what the document says about an image file and its pages.
func TestImageDocument(t *testing.T) {
	_, r := engines(t)
	data, err := os.ReadFile("testdata/birch-00-photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.ReadImage(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Image == nil || doc.Image.Format != "jpeg" || doc.Image.Pages != 1 || len(doc.Pages) != 1 {
		t.Fatalf("image %+v, %d pages", doc.Image, len(doc.Pages))
	}
	if len(doc.Image.QuantTables) == 0 || doc.Image.Quality < 50 || doc.Image.Quality > 80 {
		t.Errorf("JPEG quality %d from %d tables; make-scans saves at 55–75", doc.Image.Quality, len(doc.Image.QuantTables))
	}
	p := doc.Pages[0]
	if !p.Scanned || p.Width < 500 || p.Width > 700 || p.Height < 700 || p.Height > 900 {
		t.Errorf("page scanned=%v %vx%v pt, want a letter page read by OCR", p.Scanned, p.Width, p.Height)
	}
	var conf float64
	for _, w := range p.Words {
		conf += w.Confidence
		if w.Size < 5 || w.Size > 30 {
			t.Errorf("word %q size %.1f pt", w.Text, w.Size)
			break
		}
	}
	if len(p.Words) < 100 || conf/float64(len(p.Words)) < 70 {
		t.Errorf("%d words, mean confidence %.1f", len(p.Words), conf/float64(max(1, len(p.Words))))
	}
}

// TestRotatedPages turns the photo by 90° and 180° before reading it: orientation detection
// turns it back.
func TestRotatedPages(t *testing.T) {
	eng, r := engines(t)
	data, err := os.ReadFile("testdata/birch-00-photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := truth(t, "testdata/birch-00-photo.jpg")
	for _, q := range []int{1, 2} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, turn(img, q)); err != nil {
			t.Fatal(err)
		}
		out, err := engine.Engine{PDF: eng, OCR: r}.Statements(context.Background(), []engine.File{{Name: "turned.png", Data: buf.Bytes()}})
		if err != nil {
			t.Fatal(err)
		}
		_, _, f := statement.ScoreDocument(tr, out).F1()
		if f < 0.9 {
			t.Errorf("turned %d°: F1 %.3f (%s)", 90*q, f, out.Documents[0].Error)
		}
	}
}

// turn rotates an image by quarter turns clockwise, in gray.
func turn(img image.Image, q int) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if q%2 == 1 {
		out = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		for x := range w {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			switch q {
			case 1:
				out.Set(h-1-y, x, c)
			case 2:
				out.Set(w-1-x, h-1-y, c)
			case 3:
				out.Set(y, w-1-x, c)
			}
		}
	}
	return out
}

// TestNotInstalled: without Tesseract the reader cannot start, and the upload engine without a
// reader fails image files and image-only PDFs with the words the user sees.
func TestNotInstalled(t *testing.T) {
	_, err := ocr.New(context.Background(), ocr.Options{Command: filepath.Join(t.TempDir(), "tesseract")})
	if !errors.Is(err, ocr.ErrNotInstalled) {
		t.Fatalf("New with a missing binary: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := ocr.New(context.Background(), ocr.Options{}); !errors.Is(err, ocr.ErrNotInstalled) {
		t.Fatalf("New with no tesseract in PATH: %v", err)
	}
	engOnce.Do(func() { engPDF, engErr = pdf.New(context.Background(), pdf.Options{}) })
	if engErr != nil {
		t.Fatal(engErr)
	}
	for _, name := range []string{"birch-00-photo.jpg", "quartz-01-scan.pdf"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := engine.Engine{PDF: engPDF}.Statements(context.Background(), []engine.File{{Name: name, Data: data}})
		if err != nil {
			t.Fatal(err)
		}
		if d := out.Documents[0]; d.Status != engine.DocumentFailed || !strings.Contains(d.Error, "OCR is not installed on this server") {
			t.Errorf("%s: %s %q", name, d.Status, d.Error)
		}
	}
}

// TestTimeBudget: a document whose OCR outlives its budget fails with ErrTimeout; a cancelled
// one with the context's error.
func TestTimeBudget(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract is not installed")
	}
	r, err := ocr.New(context.Background(), ocr.Options{Timeout: 1}) // 1 ns
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/birch-00-photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadImage(context.Background(), data); !errors.Is(err, ocr.ErrTimeout) {
		t.Fatalf("ReadImage over budget: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.ReadImage(ctx, data); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadImage cancelled: %v", err)
	}
}

// TestDecompressionBomb: files whose headers claim more pixels or pages than the limits are
// refused before any pixel is decoded.
func TestDecompressionBomb(t *testing.T) {
	small := ocr.Limits{MaxPixels: 1_000_000, MaxPages: 1}
	for _, c := range []struct {
		name string
		data []byte
		lim  ocr.Limits
	}{
		{"png 100000×100000", pngHeader(100000, 100000), ocr.Limits{}},
		{"jpeg over the limit", encodeJPEG(t, 1200, 1000), small},
		{"tiff of two pages", mustRead(t, "testdata/quartz-01-tiff.tif"), small},
	} {
		_, err := ocr.Inspect(c.data, c.lim)
		if !errors.Is(err, ocr.ErrImageTooBig) {
			t.Errorf("%s: %v, want ErrImageTooBig", c.name, err)
		}
		if _, _, err := ocr.Decode(c.data, c.lim); !errors.Is(err, ocr.ErrImageTooBig) {
			t.Errorf("%s: Decode: %v, want ErrImageTooBig", c.name, err)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is the start of a PNG (signature and a valid IHDR) claiming w×h pixels.
func pngHeader(w, h int) []byte {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	// Encode a 1×1 image, then patch its IHDR's size and CRC.
	enc.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	put := func(off int, v uint32) {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, uint32(w))
	put(20, uint32(h))
	put(29, crc(b[12:29]))
	return b
}

func crc(b []byte) uint32 {
	c := ^uint32(0)
	for _, x := range b {
		c ^= uint32(x)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ 0xEDB88320
			} else {
				c >>= 1
			}
		}
	}
	return ^c
}

// TestMultiPageTIFF decodes both pages of the bilevel TIFF.
func TestMultiPageTIFF(t *testing.T) {
	info, pages, err := ocr.Decode(mustRead(t, "testdata/quartz-01-tiff.tif"), ocr.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != "tiff" || info.Pages != 2 || len(pages) != 2 {
		t.Fatalf("%+v, %d pages decoded", info, len(pages))
	}
	for i, p := range pages {
		if p.Gray.Rect.Dx() < 1000 || p.DPI == 0 {
			t.Errorf("page %d: %v, %v dpi", i+1, p.Gray.Rect, p.DPI)
		}
	}
}

// BenchmarkOCRPage reads the one-page photo: pages per second of OCR on this machine.
func BenchmarkOCRPage(b *testing.B) {
	_, r := engines(b)
	data := mustRead(b, "testdata/birch-00-photo.jpg")
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.ReadImage(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkOCRScannedPDF reads the two-page image-only PDF, its pages OCRed in parallel.
func BenchmarkOCRScannedPDF(b *testing.B) {
	eng, r := engines(b)
	data := mustRead(b, "testdata/quartz-01-scan.pdf")
	b.ResetTimer()
	for b.Loop() {
		doc, err := eng.Open(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := r.ReadPDF(context.Background(), data, doc); err != nil || n != 2 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "pages/s")
}
