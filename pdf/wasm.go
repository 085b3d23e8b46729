package pdf

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"unicode/utf16"

	"github.com/tetratelabs/wazero/api"
)

// The engine talks to the PDFium WebAssembly module directly, through the wazero module that
// go-pdfium instantiated: go-pdfium's request API allocates, locks and registers a handle per
// call, which costs far more than the call itself when we ask a dozen questions per character.
// go-pdfium still compiles, instantiates, pools and kills the modules.

// caller is the one method of a wazero exported function we use.
type caller interface {
	CallWithStack(ctx context.Context, stack []uint64) error
}

// pdfiumFuncs lists the PDFium exports the engine calls. They are resolved once per document
// (go-pdfium memoizes the lookup per module instance).
var pdfiumFuncs = [...]string{
	"malloc", "free",
	"FPDF_LoadMemDocument", "FPDF_CloseDocument", "FPDF_GetLastError", "FPDF_GetPageCount",
	"FPDF_GetFileVersion", "FPDF_GetMetaText", "FPDF_GetSecurityHandlerRevision",
	"FPDF_LoadPage", "FPDF_ClosePage", "FPDF_GetPageWidthF", "FPDF_GetPageHeightF",
	"FPDFPage_GetCropBox", "FPDFPage_GetMediaBox", "FPDFPage_GetRotation",
	"FPDFText_LoadPage", "FPDFText_ClosePage", "FPDFText_CountChars", "FPDFText_GetUnicode",
	"FPDFText_IsGenerated", "FPDFText_GetLooseCharBox", "FPDFText_GetCharBox",
	"FPDFText_GetCharOrigin", "FPDFText_GetFontSize", "FPDFText_GetTextObject",
	"FPDFText_GetCharAngle", "FPDFText_GetMatrix",
	"FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetBounds",
	"FPDFPageObj_GetFillColor", "FPDFPageObj_GetMatrix",
	"FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
	"FPDFTextObj_GetTextRenderMode", "FPDFTextObj_GetFont", "FPDFFont_GetBaseFontName",
	"FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
	"FPDFPathSegment_GetType", "FPDFPathSegment_GetClose", "FPDFPath_GetDrawMode",
	"FPDFPage_GetAnnotCount", "FPDFPage_GetAnnot", "FPDFAnnot_GetSubtype", "FPDFAnnot_GetRect",
	"FPDFAnnot_GetStringValue", "FPDFPage_CloseAnnot",
}

const (
	fnMalloc = iota
	fnFree
	fnLoadMemDocument
	fnCloseDocument
	fnGetLastError
	fnGetPageCount
	fnGetFileVersion
	fnGetMetaText
	fnGetSecurityHandlerRevision
	fnLoadPage
	fnClosePage
	fnGetPageWidthF
	fnGetPageHeightF
	fnGetCropBox
	fnGetMediaBox
	fnGetRotation
	fnTextLoadPage
	fnTextClosePage
	fnTextCountChars
	fnTextGetUnicode
	fnTextIsGenerated
	fnTextGetLooseCharBox
	fnTextGetCharBox
	fnTextGetCharOrigin
	fnTextGetFontSize
	fnTextGetTextObject
	fnTextGetCharAngle
	fnTextGetMatrix
	fnPageCountObjects
	fnPageGetObject
	fnObjGetType
	fnObjGetBounds
	fnObjGetFillColor
	fnObjGetMatrix
	fnFormCountObjects
	fnFormGetObject
	fnTextObjGetRenderMode
	fnTextObjGetFont
	fnFontGetBaseFontName
	fnPathCountSegments
	fnPathGetSegment
	fnSegGetPoint
	fnSegGetType
	fnSegGetClose
	fnPathGetDrawMode
	fnAnnotCount
	fnGetAnnot
	fnAnnotGetSubtype
	fnAnnotGetRect
	fnAnnotGetStringValue
	fnCloseAnnot
	numFuncs
)

func init() {
	if len(pdfiumFuncs) != numFuncs {
		panic("pdf: pdfiumFuncs and the fn constants disagree")
	}
}

// wasm is one borrowed PDFium module: its exports, its memory and a scratch area in it.
type wasm struct {
	// ctx is checked between pages and objects. The calls themselves run without a deadline:
	// wazero's WithCloseOnContextDone starts a goroutine per call, which made reading five
	// times slower; Open enforces the time budget from outside instead.
	ctx     context.Context
	fns     [numFuncs]caller
	mem     api.Memory
	stack   [8]uint64
	scratch uint32 // 64 bytes of guest memory for out-parameters
	budget  Budget
}

// errBinding means the go-pdfium internals we reach into are not what this code expects.
var errBinding = errors.New("pdf: unexpected go-pdfium internals (check the pinned version)")

// bind reaches the wazero module behind a go-pdfium webassembly instance.
func bind(ctx context.Context, impl any) (*wasm, error) {
	v := reflect.ValueOf(impl)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, errBinding
	}
	fnMethod := v.MethodByName("Fn")
	modField := v.Elem().FieldByName("Module")
	if !fnMethod.IsValid() || !modField.IsValid() || modField.IsNil() {
		return nil, errBinding
	}
	memMethod := modField.Elem().MethodByName("Memory")
	if !memMethod.IsValid() {
		return nil, errBinding
	}
	out := memMethod.Call(nil)
	mem, ok := out[0].Interface().(api.Memory)
	if !ok {
		return nil, errBinding
	}
	w := &wasm{ctx: ctx, mem: mem}
	for i, name := range pdfiumFuncs {
		r := fnMethod.Call([]reflect.Value{reflect.ValueOf(name)})
		if r[0].IsNil() {
			return nil, fmt.Errorf("%w: no export %s", errBinding, name)
		}
		c, ok := r[0].Interface().(caller)
		if !ok {
			return nil, errBinding
		}
		w.fns[i] = c
	}
	p, err := w.malloc(64)
	if err != nil {
		return nil, err
	}
	w.scratch = p
	return w, nil
}

// release frees the scratch area.
func (w *wasm) release() {
	if w.scratch != 0 {
		w.free(w.scratch)
		w.scratch = 0
	}
}

// call runs an export with integer arguments and returns its raw result.
func (w *wasm) call(fn int, args ...uint64) (uint64, error) {
	copy(w.stack[:], args)
	if err := w.fns[fn].CallWithStack(context.Background(), w.stack[:]); err != nil {
		return 0, err
	}
	return w.stack[0], nil
}

func (w *wasm) malloc(n uint32) (uint32, error) {
	r, err := w.call(fnMalloc, uint64(n))
	if err != nil {
		return 0, err
	}
	if uint32(r) == 0 {
		return 0, errors.New("pdf: out of sandbox memory")
	}
	return uint32(r), nil
}

func (w *wasm) free(p uint32) { w.call(fnFree, uint64(p)) }

// i32 calls fn and returns its result as a signed 32-bit integer.
func (w *wasm) i32(fn int, args ...uint64) (int32, error) {
	r, err := w.call(fn, args...)
	return int32(uint32(r)), err
}

// u32 calls fn and returns its result as an unsigned 32-bit value (pointers, handles).
func (w *wasm) u32(fn int, args ...uint64) (uint32, error) {
	r, err := w.call(fn, args...)
	return uint32(r), err
}

func (w *wasm) f32(fn int, args ...uint64) (float64, error) {
	r, err := w.call(fn, args...)
	return float64(api.DecodeF32(r)), err
}

func (w *wasm) f64(fn int, args ...uint64) (float64, error) {
	r, err := w.call(fn, args...)
	return api.DecodeF64(r), err
}

// at returns the address of scratch slot i (8 bytes each).
func (w *wasm) at(i int) uint64 { return uint64(w.scratch) + uint64(8*i) }

// float32At reads a float at byte offset off of the scratch area.
func (w *wasm) float32At(off uint32) float64 {
	v, _ := w.mem.ReadFloat32Le(w.scratch + off)
	return float64(v)
}

func (w *wasm) float64At(off uint32) float64 {
	v, _ := w.mem.ReadFloat64Le(w.scratch + off)
	return v
}

func (w *wasm) uint32At(off uint32) uint32 {
	v, _ := w.mem.ReadUint32Le(w.scratch + off)
	return v
}

// rectF reads an FS_RECTF (left, top, right, bottom floats) at scratch offset 0.
func (w *wasm) rectF() (l, t, r, b float64) {
	return w.float32At(0), w.float32At(4), w.float32At(8), w.float32At(12)
}

// readBytes copies n bytes of guest memory at p.
func (w *wasm) readBytes(p, n uint32) []byte {
	b, ok := w.mem.Read(p, n)
	if !ok {
		return nil
	}
	return append([]byte(nil), b...)
}

// writeBytes copies data into a fresh guest allocation; the caller frees it.
func (w *wasm) writeBytes(data []byte) (uint32, error) {
	n := uint32(len(data))
	if n == 0 {
		n = 1
	}
	p, err := w.malloc(n)
	if err != nil {
		return 0, err
	}
	if !w.mem.Write(p, data) {
		w.free(p)
		return 0, errors.New("pdf: sandbox write out of range")
	}
	return p, nil
}

// utf16String calls a PDFium "fill a UTF-16LE buffer, return its size in bytes" function twice:
// once for the size, once for the text. args are the arguments before (buffer, length).
func (w *wasm) utf16String(fn int, args ...uint64) (string, error) {
	n, err := w.call(fn, append(args, 0, 0)...)
	if err != nil || uint32(n) <= 2 {
		return "", err
	}
	size := uint32(n)
	if size > 1<<20 {
		size = 1 << 20
	}
	p, err := w.malloc(size)
	if err != nil {
		return "", err
	}
	defer w.free(p)
	if _, err := w.call(fn, append(args, uint64(p), uint64(size))...); err != nil {
		return "", err
	}
	return decodeUTF16LE(w.readBytes(p, size)), nil
}

// cString calls a "fill a char buffer, return its size including the NUL" function twice.
func (w *wasm) cString(fn int, args ...uint64) (string, error) {
	n, err := w.call(fn, append(args, 0, 0)...)
	if err != nil || uint32(n) <= 1 {
		return "", err
	}
	size := min(uint32(n), 4096)
	p, err := w.malloc(size)
	if err != nil {
		return "", err
	}
	defer w.free(p)
	if _, err := w.call(fn, append(args, uint64(p), uint64(size))...); err != nil {
		return "", err
	}
	b := w.readBytes(p, size)
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b), nil
}

// decodeUTF16LE decodes UTF-16LE bytes up to the first NUL.
func decodeUTF16LE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// finite replaces NaN and infinities, which a hostile file can produce, with 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
