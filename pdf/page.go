package pdf

import (
	"errors"
	"math"
	"strings"

	"github.com/passbookhq/passbook"
)

// Limits that keep a hostile page from running away with time or memory.
const (
	maxChars    = 500_000 // characters read per page
	maxSegments = 1024    // segments of one path examined when looking for rectangles…
	maxPageSegs = 200_000 // …and of all the paths of a page
	maxFormNest = 32
)

// PDFium page object types.
const (
	objText  = 1
	objPath  = 2
	objImage = 3
	objForm  = 5
)

// frame maps PDF user space to the page's top-left coordinates, rotation included.
type frame struct {
	left, top float64 // crop box corner, user space
	w, h      float64 // unrotated crop box size
	rot       int     // /Rotate in quarter turns clockwise
}

// point maps a user-space point to points from the displayed page's top-left corner.
func (f frame) point(x, y float64) (float64, float64) {
	u, v := x-f.left, f.top-y
	switch f.rot {
	case 1:
		return f.h - v, u
	case 2:
		return f.w - u, f.h - v
	case 3:
		return v, f.w - u
	}
	return u, v
}

// box maps a user-space rectangle given by two corners.
func (f frame) box(x0, y0, x1, y1 float64) passbook.Box {
	ax, ay := f.point(x0, y0)
	bx, by := f.point(x1, y1)
	return passbook.Box{X0: math.Min(ax, bx), Y0: math.Min(ay, by), X1: math.Max(ax, bx), Y1: math.Max(ay, by)}
}

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// then returns m followed by n.
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// textObj is what the words need from a text object, read once per object.
type textObj struct {
	order     int
	font      string
	color     uint32
	invisible bool
	size      float64
	rotation  int
}

// pageState collects one page.
type pageState struct {
	w      *wasm
	fr     frame
	page   *Page
	order  int
	orders map[uint32]int      // page object → drawing-order position
	texts  map[uint32]*textObj // text objects met by characters
	fonts  map[uint32]string   // font handle → name
	segs   int                 // path segments examined so far
}

func (w *wasm) page(doc uint32, index int) (Page, error) {
	p := Page{Number: index + 1}
	ph, err := w.u32(fnLoadPage, uint64(doc), uint64(index))
	if err != nil {
		return p, &wasmError{err}
	}
	if ph == 0 {
		return p, ErrDamaged
	}
	defer w.call(fnClosePage, uint64(ph))
	st := &pageState{w: w, page: &p, orders: map[uint32]int{}, texts: map[uint32]*textObj{}, fonts: map[uint32]string{}}
	if err := st.read(ph); err != nil {
		if errors.Is(err, ErrTooComplex) {
			return p, err
		}
		return p, &wasmError{err}
	}
	return p, nil
}

func (st *pageState) read(ph uint32) error {
	w := st.w
	var err error
	if st.page.Width, err = w.f32(fnGetPageWidthF, uint64(ph)); err != nil {
		return err
	}
	if st.page.Height, err = w.f32(fnGetPageHeightF, uint64(ph)); err != nil {
		return err
	}
	st.page.Width, st.page.Height = round3(st.page.Width), round3(st.page.Height)
	rot, err := w.i32(fnGetRotation, uint64(ph))
	if err != nil {
		return err
	}
	st.fr.rot = int(rot) & 3
	// Box getters take (left, bottom, right, top) float pointers.
	ok, err := w.i32(fnGetCropBox, uint64(ph), w.at(0), w.at(0)+4, w.at(1), w.at(1)+4)
	if err != nil {
		return err
	}
	if ok == 0 {
		if ok, err = w.i32(fnGetMediaBox, uint64(ph), w.at(0), w.at(0)+4, w.at(1), w.at(1)+4); err != nil {
			return err
		}
	}
	if ok != 0 {
		l, b, r, t := w.float32At(0), w.float32At(4), w.float32At(8), w.float32At(12)
		st.fr.left, st.fr.top = finite(math.Min(l, r)), finite(math.Max(t, b))
		st.fr.w, st.fr.h = finite(math.Abs(r-l)), finite(math.Abs(t-b))
	} else {
		st.fr.w, st.fr.h = st.page.Width, st.page.Height
		st.fr.top = st.fr.h
		if st.fr.rot&1 == 1 {
			st.fr.w, st.fr.h = st.page.Height, st.page.Width
			st.fr.top = st.fr.h
		}
	}
	if err := st.objects(ph); err != nil {
		return err
	}
	if err := st.text(ph); err != nil {
		return err
	}
	return st.annotations(ph)
}

// objects walks the page's objects in drawing order, forms depth first, numbering them and
// collecting filled rectangles and images.
func (st *pageState) objects(ph uint32) error {
	w := st.w
	n, err := w.i32(fnPageCountObjects, uint64(ph))
	if err != nil {
		return err
	}
	if int(n) > w.budget.PageObjects {
		return tooComplex("page %d holds more than %d objects", st.page.Number, w.budget.PageObjects)
	}
	for i := range max(n, 0) {
		obj, err := w.u32(fnPageGetObject, uint64(ph), uint64(i))
		if err != nil {
			return err
		}
		if err := st.object(obj, identity, 0); err != nil {
			return err
		}
	}
	return nil
}

func (st *pageState) object(obj uint32, parent matrix, depth int) error {
	if obj == 0 {
		return nil
	}
	if st.order >= st.w.budget.PageObjects {
		return tooComplex("page %d holds more than %d objects", st.page.Number, st.w.budget.PageObjects)
	}
	w := st.w
	typ, err := w.i32(fnObjGetType, uint64(obj))
	if err != nil {
		return err
	}
	st.orders[obj] = st.order
	st.order++
	switch typ {
	case objPath:
		return st.path(obj, parent)
	case objImage:
		ok, err := w.i32(fnObjGetBounds, uint64(obj), w.at(0), w.at(0)+4, w.at(1), w.at(1)+4)
		if err != nil || ok == 0 {
			return err
		}
		l, b, r, t := w.float32At(0), w.float32At(4), w.float32At(8), w.float32At(12)
		st.page.Images = append(st.page.Images, st.userBox(parent, l, b, r, t))
	case objForm:
		if depth >= maxFormNest {
			return nil
		}
		m, err := st.matrix(obj)
		if err != nil {
			return err
		}
		m = m.then(parent)
		n, err := w.i32(fnFormCountObjects, uint64(obj))
		if err != nil {
			return err
		}
		for i := range max(n, 0) {
			child, err := w.u32(fnFormGetObject, uint64(obj), uint64(i))
			if err != nil {
				return err
			}
			if err := st.object(child, m, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// userBox maps a rectangle in the space of a form's content (parent) to page coordinates.
func (st *pageState) userBox(parent matrix, l, b, r, t float64) passbook.Box {
	xs, ys := [4]float64{}, [4]float64{}
	xs[0], ys[0] = parent.apply(l, b)
	xs[1], ys[1] = parent.apply(r, b)
	xs[2], ys[2] = parent.apply(l, t)
	xs[3], ys[3] = parent.apply(r, t)
	bx := st.fr.box(xs[0], ys[0], xs[0], ys[0])
	for i := 1; i < 4; i++ {
		c := st.fr.box(xs[i], ys[i], xs[i], ys[i])
		bx = union(bx, c)
	}
	return clean(bx)
}

func (st *pageState) matrix(obj uint32) (matrix, error) {
	w := st.w
	ok, err := w.i32(fnObjGetMatrix, uint64(obj), w.at(0))
	if err != nil || ok == 0 {
		return identity, err
	}
	var m matrix
	for i := range m {
		m[i] = finite(w.float32At(uint32(4 * i)))
	}
	return m, nil
}

// path records the filled rectangles of a path object: each closed subpath of four axis-aligned
// sides (after the object's transformation) is one Rect.
func (st *pageState) path(obj uint32, parent matrix) error {
	w := st.w
	order := st.order - 1
	// FPDFPath_GetDrawMode(path, int* fillmode, FPDF_BOOL* stroke)
	ok, err := w.i32(fnPathGetDrawMode, uint64(obj), w.at(0), w.at(0)+4)
	if err != nil || ok == 0 || w.uint32At(0) == 0 {
		return err
	}
	n, err := w.i32(fnPathCountSegments, uint64(obj))
	if err != nil || n <= 0 || n > maxSegments || st.segs+int(n) > maxPageSegs {
		return err
	}
	st.segs += int(n)
	m, err := st.matrix(obj)
	if err != nil {
		return err
	}
	m = m.then(parent)
	if ok, err := w.i32(fnObjGetFillColor, uint64(obj), w.at(0), w.at(0)+4, w.at(1), w.at(1)+4); err != nil {
		return err
	} else if ok == 0 {
		return nil
	}
	color := w.uint32At(0)&0xff<<24 | w.uint32At(4)&0xff<<16 | w.uint32At(8)&0xff<<8 | w.uint32At(12)&0xff
	var pts [][2]float64
	flush := func() {
		if r, ok := rectangle(pts); ok {
			st.page.Rects = append(st.page.Rects, Rect{Box: clean(st.fr.box(r.X0, r.Y0, r.X1, r.Y1)), Color: color, Order: order})
		}
		pts = pts[:0]
	}
	for i := range n {
		seg, err := w.u32(fnPathGetSegment, uint64(obj), uint64(i))
		if err != nil {
			return err
		}
		if seg == 0 {
			continue
		}
		typ, err := w.i32(fnSegGetType, uint64(seg))
		if err != nil {
			return err
		}
		if _, err := w.i32(fnSegGetPoint, uint64(seg), w.at(0), w.at(0)+4); err != nil {
			return err
		}
		x, y := m.apply(w.float32At(0), w.float32At(4))
		switch typ {
		case 2: // moveto
			flush()
			pts = append(pts, [2]float64{x, y})
		case 0: // lineto
			pts = append(pts, [2]float64{x, y})
		default: // a curve: this subpath is not a rectangle
			pts = append(pts, [2]float64{math.NaN(), math.NaN()})
		}
	}
	flush()
	return nil
}

// rectangle reports whether the points (a subpath, possibly repeating its first point at the
// end) trace an axis-aligned rectangle, and returns it in user space.
func rectangle(pts [][2]float64) (passbook.Box, bool) {
	if len(pts) == 5 && near(pts[4][0], pts[0][0]) && near(pts[4][1], pts[0][1]) {
		pts = pts[:4]
	}
	if len(pts) != 4 {
		return passbook.Box{}, false
	}
	for i := range 4 {
		a, b := pts[i], pts[(i+1)%4]
		if math.IsNaN(a[0]) || math.IsNaN(a[1]) {
			return passbook.Box{}, false
		}
		if !near(a[0], b[0]) && !near(a[1], b[1]) {
			return passbook.Box{}, false
		}
	}
	r := passbook.Box{X0: pts[0][0], Y0: pts[0][1], X1: pts[0][0], Y1: pts[0][1]}
	for _, p := range pts[1:] {
		r.X0, r.X1 = math.Min(r.X0, p[0]), math.Max(r.X1, p[0])
		r.Y0, r.Y1 = math.Min(r.Y0, p[1]), math.Max(r.Y1, p[1])
	}
	if r.X1-r.X0 <= 0 || r.Y1-r.Y0 <= 0 {
		return passbook.Box{}, false
	}
	return r, true
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func union(a, b passbook.Box) passbook.Box {
	return passbook.Box{X0: math.Min(a.X0, b.X0), Y0: math.Min(a.Y0, b.Y0), X1: math.Max(a.X1, b.X1), Y1: math.Max(a.Y1, b.Y1)}
}

// clean rounds a box to 1/1000 pt and removes NaNs.
func clean(b passbook.Box) passbook.Box {
	r := func(v float64) float64 { return math.Round(finite(v)*1000) / 1000 }
	return passbook.Box{X0: r(b.X0), Y0: r(b.Y0), X1: r(b.X1), Y1: r(b.Y1)}
}

// textObject reads, once, the properties of the text object a character belongs to.
func (st *pageState) textObject(obj uint32, tp uint32, char int) (*textObj, error) {
	if t, ok := st.texts[obj]; ok {
		return t, nil
	}
	w := st.w
	t := &textObj{order: -1}
	if o, ok := st.orders[obj]; ok {
		t.order = o
	}
	st.texts[obj] = t
	if obj == 0 {
		return t, nil
	}
	mode, err := w.i32(fnTextObjGetRenderMode, uint64(obj))
	if err != nil {
		return nil, err
	}
	t.invisible = mode == 3 || mode == 7
	if ok, err := w.i32(fnObjGetFillColor, uint64(obj), w.at(0), w.at(0)+4, w.at(1), w.at(1)+4); err != nil {
		return nil, err
	} else if ok != 0 {
		t.color = w.uint32At(0)&0xff<<24 | w.uint32At(4)&0xff<<16 | w.uint32At(8)&0xff<<8 | w.uint32At(12)&0xff
	}
	font, err := w.u32(fnTextObjGetFont, uint64(obj))
	if err != nil {
		return nil, err
	}
	if name, ok := st.fonts[font]; ok {
		t.font = name
	} else if font != 0 {
		name, err := w.cString(fnFontGetBaseFontName, uint64(font))
		if err != nil {
			return nil, err
		}
		t.font = stripSubset(name)
		st.fonts[font] = t.font
	}
	// PDFium's font size is the Tf operand; the size as rendered scales it by the character's
	// matrix (Chromium, for one, sets 12.66 "px" in a 0.75 user space: 9.5 pt).
	if t.size, err = w.f64(fnTextGetFontSize, uint64(tp), uint64(char)); err != nil {
		return nil, err
	}
	if ok, err := w.i32(fnTextGetMatrix, uint64(tp), uint64(char), w.at(0)); err != nil {
		return nil, err
	} else if ok != 0 {
		c, d := w.float32At(8), w.float32At(12)
		if scale := math.Hypot(c, d); scale > 0 && !math.IsInf(scale, 0) {
			t.size *= scale
		}
	}
	t.size = finite(t.size)
	angle, err := w.f32(fnTextGetCharAngle, uint64(tp), uint64(char))
	if err != nil {
		return nil, err
	}
	if angle >= 0 {
		// PDFium measures the angle clockwise; Rotation is counter-clockwise.
		t.rotation = (4 - int(math.Round(finite(angle)*2/math.Pi))%4) % 4 * 90
	}
	return t, nil
}

// stripSubset removes a subset tag ("ABCDEF+Helvetica" → "Helvetica").
func stripSubset(name string) string {
	if len(name) > 7 && name[6] == '+' {
		for i := range 6 {
			if name[i] < 'A' || name[i] > 'Z' {
				return name
			}
		}
		return name[7:]
	}
	return name
}

// text reads the characters of the page and groups them into words.
func (st *pageState) text(ph uint32) error {
	w := st.w
	tp, err := w.u32(fnTextLoadPage, uint64(ph))
	if err != nil || tp == 0 {
		return err
	}
	defer w.call(fnTextClosePage, uint64(tp))
	n, err := w.i32(fnTextCountChars, uint64(tp))
	if err != nil {
		return err
	}
	n = min(n, maxChars)
	chars := make([]char, 0, max(n, 0))
	for i := range max(n, 0) {
		u, err := w.u32(fnTextGetUnicode, uint64(tp), uint64(i))
		if err != nil {
			return err
		}
		if isSpace(rune(u)) {
			gen, err := w.i32(fnTextIsGenerated, uint64(tp), uint64(i))
			if err != nil {
				return err
			}
			chars = append(chars, char{r: ' ', space: true, generated: gen == 1})
			continue
		}
		obj, err := w.u32(fnTextGetTextObject, uint64(tp), uint64(i))
		if err != nil {
			return err
		}
		t, err := st.textObject(obj, tp, int(i))
		if err != nil {
			return err
		}
		if ok, err := w.i32(fnTextGetLooseCharBox, uint64(tp), uint64(i), w.at(0)); err != nil {
			return err
		} else if ok == 0 {
			continue
		}
		l, tt, r, b := w.rectF()
		if _, err := w.i32(fnTextGetCharOrigin, uint64(tp), uint64(i), w.at(2), w.at(3)); err != nil {
			return err
		}
		ox, oy := st.fr.point(w.float64At(16), w.float64At(24))
		c := char{r: rune(u), box: st.fr.box(l, b, r, tt), obj: t}
		c.rot = (t.rotation - 90*st.fr.rot + 360) % 360
		if c.rot == 90 || c.rot == 270 {
			c.base = finite(ox)
		} else {
			c.base = finite(oy)
		}
		if c.r == 0 || c.r > 0x10FFFF || (c.r >= 0xD800 && c.r <= 0xDFFF) {
			c.r = '\uFFFD'
		}
		chars = append(chars, c)
	}
	words, objs := buildWords(chars)
	st.page.OCR = st.ocrLayer(words, objs)
	seen := map[string]bool{}
	for i, wd := range words {
		o := objs[i]
		wd.Hidden = wd.Hidden || wd.Box.X1 < 0 || wd.Box.Y1 < 0 || wd.Box.X0 > st.page.Width || wd.Box.Y0 > st.page.Height
		st.page.Words = append(st.page.Words, wd)
		st.page.WordOrder = append(st.page.WordOrder, o.order)
		if o.font != "" && !seen[o.font] {
			seen[o.font] = true
			st.page.Fonts = append(st.page.Fonts, o.font)
		}
	}
	return nil
}

// ocrLayer reports whether the page is an image covering at least half of it with most words
// drawn invisibly over that image.
func (st *pageState) ocrLayer(words []Word, objs []*textObj) bool {
	area := st.page.Width * st.page.Height
	var scan *passbook.Box
	for i, im := range st.page.Images {
		if (im.X1-im.X0)*(im.Y1-im.Y0) >= area/2 {
			scan = &st.page.Images[i]
			break
		}
	}
	if scan == nil || len(words) == 0 {
		return false
	}
	over := 0
	for i, w := range words {
		if objs[i].invisible && w.Box.X0 >= scan.X0-1 && w.Box.X1 <= scan.X1+1 && w.Box.Y0 >= scan.Y0-1 && w.Box.Y1 <= scan.Y1+1 {
			over++
		}
	}
	return over*5 >= len(words)*4
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\n', 0xA0, 0x2028, 0x2029, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200B
}

// annotSubtypes names PDFium's FPDF_ANNOT_* values.
var annotSubtypes = [...]string{"Unknown", "Text", "Link", "FreeText", "Line", "Square", "Circle",
	"Polygon", "PolyLine", "Highlight", "Underline", "Squiggly", "StrikeOut", "Stamp", "Caret",
	"Ink", "Popup", "FileAttachment", "Sound", "Movie", "Widget", "Screen", "PrinterMark",
	"TrapNet", "Watermark", "3D", "RichMedia", "XFAWidget", "Redact"}

func (st *pageState) annotations(ph uint32) error {
	w := st.w
	n, err := w.i32(fnAnnotCount, uint64(ph))
	if err != nil {
		return err
	}
	for i := range min(max(n, 0), 10_000) {
		a, err := w.u32(fnGetAnnot, uint64(ph), uint64(i))
		if err != nil {
			return err
		}
		if a == 0 {
			continue
		}
		err = st.annotation(a)
		w.call(fnCloseAnnot, uint64(a))
		if err != nil {
			return err
		}
	}
	return nil
}

func (st *pageState) annotation(a uint32) error {
	w := st.w
	sub, err := w.i32(fnAnnotGetSubtype, uint64(a))
	if err != nil {
		return err
	}
	an := Annotation{Subtype: "Unknown"}
	if sub >= 0 && int(sub) < len(annotSubtypes) {
		an.Subtype = annotSubtypes[sub]
	}
	if ok, err := w.i32(fnAnnotGetRect, uint64(a), w.at(0)); err != nil {
		return err
	} else if ok != 0 {
		l, t, r, b := w.rectF()
		an.Box = clean(st.fr.box(l, b, r, t))
	}
	key := []byte("Contents\x00")
	if !w.mem.Write(w.scratch+32, key) {
		return nil
	}
	if an.Content, err = w.utf16String(fnAnnotGetStringValue, uint64(a), uint64(w.scratch+32)); err != nil {
		return err
	}
	an.Content = strings.TrimSpace(an.Content)
	st.page.Annotations = append(st.page.Annotations, an)
	return nil
}
