package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// A budget bounds the work one document may ask for. The bombs it stops are small files that
// PDFium would turn into gigabytes: a content stream that inflates to millions of drawing
// operators or text objects, or to a gigabyte of nothing. They are found here, by inflating the
// file's streams as a stream of bytes (never held whole) and counting, before PDFium sees the
// file; what slips past this scan (a filter it does not decode, a stream it cannot find) meets
// the sandbox's memory limit and the time budget, which fail with ErrTooComplex too.

// Budget is the work one document may ask for. Zero fields take the defaults of DefaultBudget.
type Budget struct {
	// Operators is the most content operators one stream may hold.
	Operators int
	// TextObjects is the most text objects (BT … ET) one stream may hold.
	TextObjects int
	// StreamBytes is the most bytes one stream may inflate to (images excepted: their size is
	// bounded by their dimensions, which PDFium checks).
	StreamBytes int64
	// InflatedBytes is the most bytes all the document's streams may inflate to together.
	InflatedBytes int64
	// PageObjects is the most objects (forms' contents included) one page may hold.
	PageObjects int
	// StreamObjects is the most objects (paths painted, text shown, images and forms drawn) one
	// content stream may draw, counted by the byte scan before PDFium builds them; 0 means
	// PageObjects.
	StreamObjects int
}

// DefaultBudget is generous for any bank statement: the densest real pages hold tens of
// thousands of operators, and their content streams inflate to a few megabytes.
var DefaultBudget = Budget{
	Operators:     2_000_000,
	TextObjects:   200_000,
	StreamBytes:   64 << 20,
	InflatedBytes: 512 << 20,
	PageObjects:   200_000,
}

func (b Budget) withDefaults() Budget {
	d := DefaultBudget
	if b.Operators > 0 {
		d.Operators = b.Operators
	}
	if b.TextObjects > 0 {
		d.TextObjects = b.TextObjects
	}
	if b.StreamBytes > 0 {
		d.StreamBytes = b.StreamBytes
	}
	if b.InflatedBytes > 0 {
		d.InflatedBytes = b.InflatedBytes
	}
	if b.PageObjects > 0 {
		d.PageObjects = b.PageObjects
	}
	d.StreamObjects = d.PageObjects
	if b.StreamObjects > 0 {
		d.StreamObjects = b.StreamObjects
	}
	return d
}

// tooComplex is the error of a document over budget: it wraps ErrTooComplex and says which
// limit it passed.
func tooComplex(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrTooComplex, fmt.Sprintf(format, args...))
}

// checkBudget inflates every stream of data it can find and decode and fails with ErrTooComplex
// at the first limit passed. An image's stream may inflate to what its declared pixels hold
// (more than any other stream may, to let a large scan through), but no more: a stream that
// only claims to be an image is held to the size it claims.
func checkBudget(data []byte, b Budget) error {
	var total int64
	var ops opCounter
	buf := make([]byte, 32<<10)
	res := resolver{data: data}
	for _, st := range streams(data) {
		r, ok, lost := filtered(st, &res)
		if lost {
			return tooComplex("more than %d of its objects are looked up to read its streams", maxLookups)
		}
		if !ok {
			continue // a filter the scan does not decode: PDFium's limits apply
		}
		image := bytes.Contains(st.dict, []byte("/Image"))
		limit, what := b.StreamBytes, fmt.Sprintf("a stream inflates to more than %d MB", b.StreamBytes>>20)
		if image {
			w, h, size, known := imageSize(st.dict, &res)
			limit, what = b.InflatedBytes, "" // the whole document's bound
			if known {
				limit, what = size, fmt.Sprintf("an image stream inflates to more than its %d×%d pixels hold", w, h)
			}
		}
		ops = opCounter{}
		var n int64
		for {
			k, err := r.Read(buf)
			n += int64(k)
			total += int64(k)
			if !image {
				ops.count(buf[:k])
				if ops.textObjects > b.TextObjects {
					return tooComplex("a content stream draws more than %d text objects", b.TextObjects)
				}
				if ops.objects > b.StreamObjects {
					return tooComplex("a content stream draws more than %d objects", b.StreamObjects)
				}
				if ops.operators > b.Operators {
					return tooComplex("a content stream holds more than %d drawing operators", b.Operators)
				}
			}
			if n > limit && what != "" {
				return tooComplex("%s", what)
			}
			if total > b.InflatedBytes {
				return tooComplex("its streams inflate to more than %d MB", b.InflatedBytes>>20)
			}
			if err != nil {
				break // the end, or data PDFium will find broken too
			}
		}
	}
	return nil
}

// maxLookups bounds the indirect objects the scan looks up (each costs a search of the file).
const maxLookups = 64

// resolver looks up the indirect objects a stream's dictionary refers to, a bounded number of
// times per document.
type resolver struct {
	data []byte
	used int
}

func (r *resolver) exhausted() bool { return r.used >= maxLookups }

// value returns v itself, or the object it refers to when it begins with "num gen R".
func (r *resolver) value(v []byte) ([]byte, bool) {
	m := reRef.FindSubmatch(v)
	if m == nil {
		return v, true
	}
	if r.exhausted() {
		return nil, false
	}
	r.used++
	obj := skipSpace(lastObject(r.data, string(m[1]), string(m[2])))
	return obj, obj != nil
}

var reRef = regexp.MustCompile(`^\s*(\d{1,10})\s+(\d{1,5})\s+R\b`)

// dictValue returns the bytes after key in a stream's dictionary, indirect values looked up.
func dictValue(dict []byte, key string, r *resolver) ([]byte, bool) {
	for off := 0; ; {
		i := bytes.Index(dict[off:], []byte(key))
		if i < 0 {
			return nil, false
		}
		off += i + len(key)
		if off < len(dict) && !isWhite(dict[off]) && !isDelim(dict[off]) {
			continue // a longer name: /Widths after /Width
		}
		return r.value(skipSpace(dict[off:]))
	}
}

// dictInt returns the integer value of key, or false.
func dictInt(dict []byte, key string, r *resolver) (int64, bool) {
	v, ok := dictValue(dict, key, r)
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(v) && end < 12 && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.ParseInt(string(v[:end]), 10, 64)
	return n, err == nil
}

// imageSize returns an image stream's declared width and height and the most bytes its pixels
// can take decoded (a predictor's byte per row and some slack included), or false when the
// dictionary does not say.
func imageSize(dict []byte, r *resolver) (w, h, size int64, ok bool) {
	w, okW := dictInt(dict, "/Width", r)
	h, okH := dictInt(dict, "/Height", r)
	if !okW || !okH || w <= 0 || h <= 0 || w > 1<<20 || h > 1<<20 {
		return 0, 0, 0, false
	}
	bpc, okB := dictInt(dict, "/BitsPerComponent", r)
	if !okB || bpc < 1 || bpc > 16 {
		bpc = 16
	}
	comps := int64(4) // Indexed, ICC or any other colour space: no more than CMYK
	switch {
	case bytes.Contains(dict, []byte("/ImageMask true")), bytes.Contains(dict, []byte("/DeviceGray")):
		comps = 1
	case bytes.Contains(dict, []byte("/DeviceRGB")):
		comps = 3
	}
	row := (w*comps*bpc+7)/8 + 1
	return w, h, h*row + 4096, true
}

// filtered returns a reader of the stream's decoded bytes when every filter of its /Filter is one
// the scan decodes: FlateDecode (predictors do not change the size much), LZWDecode,
// RunLengthDecode, ASCII85Decode and ASCIIHexDecode, chained in any order. lost is true when
// the filter is an indirect object the resolver has no lookups left to find.
func filtered(st stream, res *resolver) (r io.Reader, ok, lost bool) {
	r = bytes.NewReader(st.data)
	rest, found := dictValue(st.dict, "/Filter", res)
	if !found {
		if res.exhausted() && reRef.Match(skipSpace(afterKey(st.dict, "/Filter"))) {
			return nil, false, true
		}
		return r, true, false
	}
	var names [][]byte
	switch {
	case len(rest) > 0 && rest[0] == '/':
		n, _ := readName(rest)
		names = append(names, []byte(n))
	case len(rest) > 0 && rest[0] == '[':
		rest = skipSpace(rest[1:])
		for len(rest) > 0 && rest[0] == '/' && len(names) < 16 {
			var n string
			n, rest = readName(rest)
			names = append(names, []byte(n))
			rest = skipSpace(rest)
		}
	default:
		return nil, false, false // a broken filter
	}
	for _, n := range names {
		switch string(n) {
		case "FlateDecode", "Fl":
			z, err := zlib.NewReader(r)
			if err != nil {
				return bytes.NewReader(nil), true, false
			}
			r = z
		case "LZWDecode", "LZW":
			// EarlyChange is 1 unless the parameters say 0.
			early := !bytes.Contains(st.dict, []byte("/EarlyChange 0"))
			r = newLZWReader(r, early)
		case "RunLengthDecode", "RL":
			r = &runLengthReader{r: bufio.NewReader(r)}
		case "ASCII85Decode", "A85":
			r = ascii85.NewDecoder(&a85Trim{r: bufio.NewReader(r)})
		case "ASCIIHexDecode", "AHx":
			r = &hexReader{r: bufio.NewReader(r)}
		default:
			return nil, false, false
		}
	}
	return r, true, false
}

// afterKey returns the bytes after the first key in dict, or nil.
func afterKey(dict []byte, key string) []byte {
	if i := bytes.Index(dict, []byte(key)); i >= 0 {
		return dict[i+len(key):]
	}
	return nil
}

// a85Trim stops an ASCII85 stream at its "~>" end marker and drops the whitespace that Go's
// decoder would otherwise count as data errors.
type a85Trim struct {
	r    *bufio.Reader
	done bool
}

func (a *a85Trim) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !a.done {
		c, err := a.r.ReadByte()
		if err != nil {
			a.done = true
			break
		}
		if c == '~' {
			a.done = true
			break
		}
		p[n] = c
		n++
	}
	if n == 0 && a.done {
		return 0, io.EOF
	}
	return n, nil
}

// hexReader decodes ASCIIHexDecode data: hex digit pairs, whitespace ignored, ">" ends it.
type hexReader struct {
	r    *bufio.Reader
	done bool
}

func (h *hexReader) Read(p []byte) (int, error) {
	n := 0
	var hi int = -1
	for n < len(p) && !h.done {
		c, err := h.r.ReadByte()
		if err != nil || c == '>' {
			h.done = true
			break
		}
		v := unhex(c)
		if v < 0 {
			continue
		}
		if hi < 0 {
			hi = v
			continue
		}
		p[n] = byte(hi<<4 | v)
		n++
		hi = -1
	}
	if n == 0 && h.done {
		return 0, io.EOF
	}
	return n, nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// opCounter counts the operators of content-stream bytes fed to it in pieces. It follows the
// lexical rules well enough to skip strings, comments and inline image data; what it counts in
// a stream that is not content (a font, a profile) is noise far below the budget.
type opCounter struct {
	operators   int
	textObjects int
	objects     int  // operators that make a page object: painting a path, showing text, drawing an image, a form or a shading
	state       byte // 0 between tokens, 'r' in a regular token, '(' string, '<' hex, '%' comment, 'I' inline image
	depth       int  // parenthesis depth in a literal string
	escape      bool
	tok         [3]byte // the first bytes of the current regular token
	tokLen      int
	prev        [2]byte // the last two bytes, to find "EI" after inline image data
}

func (c *opCounter) count(b []byte) {
	for _, ch := range b {
		switch c.state {
		case '(':
			switch {
			case c.escape:
				c.escape = false
			case ch == '\\':
				c.escape = true
			case ch == '(':
				c.depth++
			case ch == ')':
				c.depth--
				if c.depth == 0 {
					c.state = 0
				}
			}
			continue
		case '<':
			if ch == '>' {
				c.state = 0
			}
			continue
		case '%':
			if ch == '\r' || ch == '\n' {
				c.state = 0
			}
			continue
		case 'I':
			if isWhite(ch) && c.prev[0] == 'E' && c.prev[1] == 'I' {
				c.state = 0
			}
			c.prev[0], c.prev[1] = c.prev[1], ch
			continue
		case 'r':
			if !isWhite(ch) && !isDelim(ch) {
				if c.tokLen < len(c.tok) {
					c.tok[c.tokLen] = ch
				}
				c.tokLen++
				continue
			}
			c.endToken()
		}
		switch {
		case isWhite(ch):
		case ch == '(':
			c.state, c.depth = '(', 1
		case ch == '%':
			c.state = '%'
		case ch == '<':
			c.state = '<' // "<<" of an inline image dictionary ends at the first '>', which is harmless
		case ch == '/': // a name, not an operator
			c.state, c.tokLen = 'r', 1
			c.tok[0] = ch
		case isDelim(ch):
		default:
			c.state, c.tokLen = 'r', 1
			c.tok[0] = ch
		}
	}
}

// endToken counts the regular token just read if it is an operator.
func (c *opCounter) endToken() {
	c.state = 0
	first := c.tok[0]
	if !(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '\'' || first == '"') {
		return
	}
	c.operators++
	switch c.tokLen {
	case 1:
		switch first {
		case 'f', 'F', 'S', 's', 'B', 'b', '\'', '"':
			c.objects++
		}
	case 2:
		switch string(c.tok[:2]) {
		case "f*", "B*", "b*", "Tj", "TJ", "Do", "sh", "BI":
			c.objects++
		}
	}
	if c.tokLen == 2 {
		switch {
		case c.tok[0] == 'B' && c.tok[1] == 'T':
			c.textObjects++
		case c.tok[0] == 'I' && c.tok[1] == 'D':
			c.state, c.prev = 'I', [2]byte{}
		}
	}
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}
