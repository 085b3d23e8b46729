// Package ocr reads scanned pages and image files (JPEG, PNG, BMP, TIFF) into the same
// words-with-boxes pages the statement engine reads from a PDF's text layer.
//
// Tesseract 5 does the recognition, run as a subprocess per page with TSV output: the build
// stays pure Go, a crash or a runaway page costs one process (which the context kills), and
// pages of a document run in parallel. Bitmaps reach Tesseract at about 300 dpi (image files
// are enlarged or reduced to it; PDF pages are rendered at it by the PDF engine); the skew of a
// scan is measured from the words' own lines and taken out of their coordinates; a page turned
// by 90° or 180° is found with Tesseract's orientation detection and turned back. Amounts and
// dates read with a letter for a digit are corrected, and the word keeps what OCR read.
package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/passbookhq/passbook/pdf"
)

// Options configure the OCR reader. The zero value is usable.
type Options struct {
	// Command is the tesseract executable, a name looked up in PATH or a path; "" means
	// "tesseract".
	Command string
	// Languages are Tesseract's language codes joined by "+"; "" means "eng". Those not
	// installed are left out.
	Languages string
	// PSM is Tesseract's page segmentation mode; 0 means 4 (one column of text of varying
	// sizes). Measured on the held-out scans (13 documents): 4 reads F1 0.987 with every
	// opening/closing balance; 6 (one uniform block) F1 0.993 but drops a summary line beside a
	// right-aligned address block (opening balances 0.94); 11 (sparse text) F1 0.981 on the two
	// layouts it finished.
	PSM int
	// Workers is how many Tesseract processes may run at once, across documents; 0 means one
	// per CPU.
	Workers int
	// Timeout bounds the OCR of one document; 0 means 2 minutes.
	Timeout time.Duration
	// Limits bound image files' pixels and pages.
	Limits Limits
	// DPI is the resolution pages are read at; 0 means 300.
	DPI int
	// Renderer draws the PDF pages ReadPDF OCRs; without one ReadPDF cannot read scanned pages.
	Renderer Renderer
}

// Renderer draws a PDF's pages as gray bitmaps at a resolution: pdf.PDFium implements it.
// It calls fn with each page (1-based) in order and stops at fn's first error.
type Renderer interface {
	Render(ctx context.Context, data []byte, pages []int, dpi float64, fn func(page int, g *image.Gray) error) error
}

// Reader OCRs image files and the scanned pages of PDFs. It is safe for concurrent use.
type Reader struct {
	tess *tesseract
	opts Options
	sem  chan struct{} // one token per running Tesseract process
}

// New finds Tesseract. Without it, the error wraps ErrNotInstalled: the caller runs without
// OCR and says so.
func New(ctx context.Context, opts Options) (*Reader, error) {
	if opts.Languages == "" {
		opts.Languages = "eng"
	}
	if opts.PSM <= 0 {
		opts.PSM = 4
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.DPI <= 0 {
		opts.DPI = 300
	}
	opts.Limits = opts.Limits.withDefaults()
	t, err := findTesseract(ctx, opts.Command, opts.Languages)
	if err != nil {
		return nil, err
	}
	t.psm = opts.PSM
	return &Reader{tess: t, opts: opts, sem: make(chan struct{}, opts.Workers)}, nil
}

// Engine says what the reader runs, for the start-up log: "tesseract (/usr/bin/tesseract, eng+fra)".
func (r *Reader) Engine() string {
	return fmt.Sprintf("tesseract (%s, %s)", r.tess.path, r.tess.langs)
}

// ReadImage decodes an image file and OCRs its pages into a document whose pages are all
// Scanned and whose Image describes the file.
func (r *Reader) ReadImage(ctx context.Context, data []byte) (*pdf.Document, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	info, err := Inspect(data, r.opts.Limits)
	if err != nil {
		return nil, err
	}
	doc := &pdf.Document{Image: info, Pages: make([]pdf.Page, info.Pages)}
	_, bitmaps, err := Decode(data, r.opts.Limits)
	if err != nil {
		return nil, err
	}
	err = r.parallel(ctx, len(bitmaps), func(ctx context.Context, i int) error {
		b := bitmaps[i]
		bitmaps[i] = Bitmap{}
		p, err := r.page(ctx, i+1, b.Gray, imageDPI(b))
		doc.Pages[i] = p
		return err
	})
	if err != nil {
		return nil, stopped(ctx, err)
	}
	return doc, nil
}

// imageDPI is the resolution an image file's page is taken to have: the declared one when it is
// plausible for a document, otherwise the one that makes its shorter side a letter page's width.
func imageDPI(b Bitmap) float64 {
	if b.DPI >= 96 && b.DPI <= 1200 {
		// A declared density is only believed when the page it gives is paper-sized.
		short := float64(min(b.Gray.Rect.Dx(), b.Gray.Rect.Dy())) / b.DPI
		if short >= 2.5 && short <= 14 {
			return b.DPI
		}
	}
	return float64(min(b.Gray.Rect.Dx(), b.Gray.Rect.Dy())) / 8.5
}

// ReadPDF OCRs the pages of an opened PDF that have no usable text layer, rendering them with
// the renderer, and replaces them in doc. It reports how many pages it OCRed.
func (r *Reader) ReadPDF(ctx context.Context, data []byte, doc *pdf.Document) (int, error) {
	var todo []int
	for i := range doc.Pages {
		switch NeedsOCR(doc.Pages[i]) {
		case LayerGood:
			unhide(&doc.Pages[i])
		case LayerPoor, LayerNone:
			todo = append(todo, i+1)
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	rd := r.opts.Renderer
	if rd == nil {
		return 0, errors.New("ocr: no PDF renderer configured")
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	// PDFium renders on this goroutine, one page at a time; the workers OCR what it hands them.
	type job struct {
		page int
		g    *image.Gray
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	errs := make(chan error, r.opts.Workers+1)
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	for range r.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p, err := r.page(wctx, j.page, j.g, float64(r.opts.DPI))
				if err != nil {
					errs <- err
					wcancel()
					for range jobs {
					}
					return
				}
				old := doc.Pages[j.page-1]
				p.Width, p.Height = old.Width, old.Height // the rendering's rounding aside
				p.Rects, p.Annotations = old.Rects, old.Annotations
				p.TextLayer = "none"
				if old.OCR {
					p.TextLayer = "ocr-replaced"
				}
				doc.Pages[j.page-1] = p
			}
		}()
	}
	rerr := rd.Render(wctx, data, todo, float64(r.opts.DPI), func(page int, g *image.Gray) error {
		select {
		case jobs <- job{page, g}:
			return nil
		case <-wctx.Done():
			return wctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, stopped(ctx, err)
	}
	if rerr != nil {
		return 0, stopped(ctx, rerr)
	}
	return len(todo), nil
}

// stopped prefers the context's reason (the time budget, a cancellation) to the error a killed
// process reported.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
		}
		return ctx.Err()
	}
	return err
}

// ErrTimeout means a document's OCR outran its time budget.
var ErrTimeout = errors.New("OCR of the document took too long")

// parallel runs fn for 0..n-1 on the reader's workers, stopping at the first error.
func (r *Reader) parallel(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx, i); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}()
	}
	wg.Wait()
	return first
}

// page OCRs one bitmap of the given resolution: brought to the reading resolution, turned
// upright, read, and made a page.
func (r *Reader) page(ctx context.Context, number int, g *image.Gray, dpi float64) (pdf.Page, error) {
	target := float64(r.opts.DPI)
	if f := target / dpi; f < 0.8 || f > 1.25 {
		// Never beyond what the limits allow a decoded page.
		if px := float64(g.Rect.Dx()) * float64(g.Rect.Dy()) * f * f; px > float64(r.opts.Limits.MaxPixels) {
			f *= float64(r.opts.Limits.MaxPixels) / px
		}
		g = resize(g, f)
		dpi *= f
	}
	ws, err := r.recognize(ctx, g, dpi)
	if err != nil {
		return pdf.Page{Number: number}, err
	}
	// Little or poorly read text may be a page on its side or upside down.
	if len(ws) < 15 || meanConfidence(ws) < 70 {
		rot, conf, err := r.orient(ctx, g, dpi)
		if err != nil {
			return pdf.Page{Number: number}, err
		}
		if rot != 0 && conf >= 1 {
			rg := rotate(g, rot/90)
			rws, err := r.recognize(ctx, rg, dpi)
			if err != nil {
				return pdf.Page{Number: number}, err
			}
			if quality(rws) > quality(ws) {
				g, ws = rg, rws
			}
		}
	}
	ws = fixWords(ws)
	return toPage(number, ws, g.Rect.Dx(), g.Rect.Dy(), 72/dpi), nil
}

// quality ranks two readings of one page: confident characters.
func quality(ws []TSVWord) float64 {
	n := 0
	for _, w := range ws {
		n += len([]rune(w.Text))
	}
	return meanConfidence(ws) * float64(n)
}

func (r *Reader) recognize(ctx context.Context, g *image.Gray, dpi float64) ([]TSVWord, error) {
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-r.sem }()
	return r.tess.words(ctx, g, int(dpi+0.5), r.opts.PSM)
}

func (r *Reader) orient(ctx context.Context, g *image.Gray, dpi float64) (int, float64, error) {
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	defer func() { <-r.sem }()
	return r.tess.orientation(ctx, g, int(dpi+0.5))
}

// Layer is what a PDF page's own text is worth.
type Layer int

const (
	LayerText Layer = iota // a real text layer: read as it is
	LayerGood              // an invisible OCR layer over a scan that reads well: unhidden and read
	LayerPoor              // an invisible OCR layer that reads badly: OCRed again
	LayerNone              // no text at all (an image-only page): OCRed
)

// Minimum share of clean words for an invisible OCR layer to be read as it is.
const goodLayer = 0.85

// NeedsOCR says what a page's text layer is worth. A page with fewer than three visible words
// has none; an OCR layer (pdf.Page.OCR) is judged by the share of its words that are clean —
// a dictionary-shaped word (letters, with inner apostrophes or hyphens), a number, an amount or a
// date — against goodLayer: a bad OCR layer is mostly fragments mixing letters, digits and
// symbols.
func NeedsOCR(p pdf.Page) Layer {
	if p.Scanned {
		return LayerText
	}
	if p.OCR {
		n, clean := 0, 0
		for _, w := range p.Words {
			t := strings.TrimSpace(w.Text)
			if t == "" {
				continue
			}
			n++
			if cleanWord(t) {
				clean++
			}
		}
		if n >= 10 && float64(clean) >= goodLayer*float64(n) {
			return LayerGood
		}
		return LayerPoor
	}
	visible := 0
	for _, w := range p.Words {
		if !w.Hidden && strings.TrimSpace(w.Text) != "" {
			visible++
		}
	}
	if visible < 3 {
		return LayerNone
	}
	return LayerText
}

// unhide makes an OCR layer's words the page's visible text.
func unhide(p *pdf.Page) {
	for i := range p.Words {
		p.Words[i].Hidden = false
	}
	p.TextLayer = "ocr-used"
}

// cleanWord reports a word a good OCR would produce: letters only (inner ' - . allowed), or a
// number, amount or date (digits with , . / - : $ ( ) and a currency or CR/DR suffix).
func cleanWord(t string) bool {
	t = strings.Trim(t, ".,;:!?\"'()[]*")
	if t == "" {
		return true
	}
	letters, digits, other := 0, 0, 0
	for _, c := range t {
		switch {
		case unicode.IsLetter(c):
			letters++
		case unicode.IsDigit(c):
			digits++
		case strings.ContainsRune("'’-.&/", c):
		case strings.ContainsRune(",:$€£()%#+", c):
			other++
		default:
			return false
		}
	}
	switch {
	case digits == 0:
		return other == 0 || letters > 0 && other <= 1
	case letters == 0:
		return true
	}
	// Digits and letters together: a date like "15Jan" or a reference like "#437" or "CR".
	return letters <= 3 || digits <= 2
}
