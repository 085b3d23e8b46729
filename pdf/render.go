package pdf

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
)

// Rendering pages to bitmaps, for OCR of scanned pages. It uses the same PDFium instances as
// Open, with a few more exports.

var renderFuncs = [...]string{
	"FPDFBitmap_Create", "FPDFBitmap_FillRect", "FPDF_RenderPageBitmap",
	"FPDFBitmap_GetBuffer", "FPDFBitmap_GetStride", "FPDFBitmap_Destroy",
}

const (
	rfBitmapCreate = iota
	rfBitmapFillRect
	rfRenderPageBitmap
	rfBitmapGetBuffer
	rfBitmapGetStride
	rfBitmapDestroy
	numRenderFuncs
)

// DefaultMaxRenderPixels caps one rendered page (a 35-megapixel bitmap is an A4 page at 600 dpi);
// a larger page is rendered at a lower resolution.
const DefaultMaxRenderPixels = 35_000_000

// Render draws the given pages (1-based, in the order given) of a PDF as 8-bit gray bitmaps at
// dpi dots per inch, with their /Rotate applied and annotations drawn, and hands each to fn
// before drawing the next. A page whose bitmap would exceed DefaultMaxRenderPixels is drawn at
// the resolution that fits. It stops at fn's first error, when ctx is done, and when drawing one
// page takes longer than the engine's Timeout.
func (e *PDFium) Render(ctx context.Context, data []byte, pages []int, dpi float64, fn func(page int, g *image.Gray) error) error {
	if !hasMagic(data) {
		return ErrNotPDF
	}
	if dpi <= 0 || dpi > 1200 || math.IsNaN(dpi) {
		return fmt.Errorf("pdf: render: resolution %v dpi out of range", dpi)
	}
	if err := checkBudget(data, e.opts.Budget); err != nil {
		return err // a bomb is refused here as by Open, whichever is called first
	}
	// The engine's time budget bounds each page's drawing, not the whole call: fn may take its
	// time (OCR waits for a free process). busy holds when PDFium started on the current page
	// (0 while fn runs); a watchdog kills the instance when one page outlives the budget.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return fmt.Errorf("pdf: no PDFium instance: %w", err)
	}
	var once sync.Once
	release := func(healthy bool) {
		once.Do(func() {
			if healthy {
				inst.Close()
			} else {
				inst.Kill()
			}
		})
	}
	var busy atomic.Int64
	busy.Store(time.Now().UnixNano())
	out := make(chan error, 1)
	go func() {
		var err error
		healthy := false
		defer func() {
			if r := recover(); r != nil {
				err, healthy = fmt.Errorf("%w: PDFium failed: %v", ErrDamaged, r), false
			}
			release(healthy)
			out <- err
		}()
		impl := inst.GetImplementation()
		w, berr := bind(ctx, impl)
		if berr != nil {
			err = berr
			return
		}
		rf, berr := bindRender(impl)
		if berr != nil {
			err = berr
			return
		}
		err = w.render(rf, data, pages, dpi, func(page int, g *image.Gray) error {
			busy.Store(0)
			defer busy.Store(time.Now().UnixNano())
			return fn(page, g)
		})
		var fatal *wasmError
		if errors.As(err, &fatal) {
			err = fmt.Errorf("%w: %w", ErrDamaged, err)
			return
		}
		w.release()
		healthy = ctx.Err() == nil && w.mem.Size() <= e.maxAlloc
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-out:
			if ctx.Err() != nil {
				return e.stopped(ctx)
			}
			return err
		case <-ctx.Done():
			release(false)
			return e.stopped(ctx)
		case <-tick.C:
			if since := busy.Load(); since != 0 && time.Since(time.Unix(0, since)) > e.opts.Timeout {
				cancel(errOverTime)
			}
		}
	}
}

// bindRender resolves the rendering exports of the module behind a go-pdfium instance.
func bindRender(impl any) ([numRenderFuncs]caller, error) {
	var fns [numRenderFuncs]caller
	fnMethod := reflect.ValueOf(impl).MethodByName("Fn")
	if !fnMethod.IsValid() {
		return fns, errBinding
	}
	for i, name := range renderFuncs {
		r := fnMethod.Call([]reflect.Value{reflect.ValueOf(name)})
		if r[0].IsNil() {
			return fns, fmt.Errorf("%w: no export %s", errBinding, name)
		}
		c, ok := r[0].Interface().(caller)
		if !ok {
			return fns, errBinding
		}
		fns[i] = c
	}
	return fns, nil
}

// rcall runs a rendering export.
func (w *wasm) rcall(fns [numRenderFuncs]caller, fn int, args ...uint64) (uint64, error) {
	copy(w.stack[:], args)
	if err := fns[fn].CallWithStack(context.Background(), w.stack[:]); err != nil {
		return 0, &wasmError{err}
	}
	return w.stack[0], nil
}

// PDFium render flags.
const (
	renderAnnot    = 0x01
	renderPrinting = 0x800
)

func (w *wasm) render(rf [numRenderFuncs]caller, data []byte, pages []int, dpi float64, fn func(int, *image.Gray) error) error {
	buf, err := w.writeBytes(data)
	if err != nil {
		return &wasmError{err}
	}
	defer w.free(buf)
	h, err := w.u32(fnLoadMemDocument, uint64(buf), uint64(len(data)), 0)
	if err != nil {
		return &wasmError{err}
	}
	if h == 0 {
		return fmt.Errorf("%w: PDFium cannot load it to render", ErrDamaged)
	}
	defer w.call(fnCloseDocument, uint64(h))
	n, err := w.i32(fnGetPageCount, uint64(h))
	if err != nil {
		return &wasmError{err}
	}
	for _, pn := range pages {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if pn < 1 || pn > int(n) {
			return fmt.Errorf("pdf: render: no page %d", pn)
		}
		g, err := w.renderPage(rf, h, pn-1, dpi)
		if err != nil {
			return err
		}
		if err := fn(pn, g); err != nil {
			return err
		}
	}
	return nil
}

func (w *wasm) renderPage(rf [numRenderFuncs]caller, doc uint32, index int, dpi float64) (*image.Gray, error) {
	ph, err := w.u32(fnLoadPage, uint64(doc), uint64(index))
	if err != nil {
		return nil, &wasmError{err}
	}
	if ph == 0 {
		return nil, fmt.Errorf("%w: page %d cannot be loaded", ErrDamaged, index+1)
	}
	defer w.call(fnClosePage, uint64(ph))
	// Width and height come with /Rotate applied.
	pw, err := w.f32(fnGetPageWidthF, uint64(ph))
	if err != nil {
		return nil, &wasmError{err}
	}
	pht, err := w.f32(fnGetPageHeightF, uint64(ph))
	if err != nil {
		return nil, &wasmError{err}
	}
	pw, pht = finite(pw), finite(pht)
	if pw <= 0 || pht <= 0 {
		return nil, fmt.Errorf("%w: page %d has no size", ErrDamaged, index+1)
	}
	if px := pw * pht * dpi * dpi / (72 * 72); px > DefaultMaxRenderPixels {
		dpi *= math.Sqrt(DefaultMaxRenderPixels / px)
	}
	bw, bh := max(1, int(math.Round(pw*dpi/72))), max(1, int(math.Round(pht*dpi/72)))
	bm, err := w.rcall(rf, rfBitmapCreate, uint64(bw), uint64(bh), 0)
	if err != nil {
		return nil, err
	}
	if uint32(bm) == 0 {
		return nil, fmt.Errorf("%w: page %d: out of sandbox memory for a %d×%d bitmap", ErrTooLarge, index+1, bw, bh)
	}
	defer w.rcall(rf, rfBitmapDestroy, bm)
	if _, err := w.rcall(rf, rfBitmapFillRect, bm, 0, 0, uint64(bw), uint64(bh), 0xFFFFFFFF); err != nil {
		return nil, err
	}
	if _, err := w.rcall(rf, rfRenderPageBitmap, bm, uint64(ph), 0, 0, uint64(bw), uint64(bh), 0, renderAnnot|renderPrinting); err != nil {
		return nil, err
	}
	p, err := w.rcall(rf, rfBitmapGetBuffer, bm)
	if err != nil {
		return nil, err
	}
	stride, err := w.rcall(rf, rfBitmapGetStride, bm)
	if err != nil {
		return nil, err
	}
	st := int(uint32(stride))
	if st < 4*bw {
		return nil, &wasmError{errors.New("bitmap stride smaller than its width")}
	}
	pix, ok := w.mem.Read(uint32(p), uint32(st*bh))
	if !ok {
		return nil, &wasmError{errors.New("bitmap out of sandbox memory")}
	}
	g := image.NewGray(image.Rect(0, 0, bw, bh))
	for y := range bh {
		src := pix[y*st : y*st+4*bw]
		dst := g.Pix[y*g.Stride : y*g.Stride+bw]
		for x := range dst {
			b, gg, r := uint32(src[4*x]), uint32(src[4*x+1]), uint32(src[4*x+2])
			dst[x] = uint8((19595*r + 38470*gg + 7471*b + 1<<15) >> 16)
		}
	}
	return g, nil
}
