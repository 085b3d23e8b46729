package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The structure scan reads the file's bytes directly, without PDFium: what matters for
// authenticity (revisions, what each update rewrote, bytes after the end) is in how the file
// is laid out, which a PDF reader is built to hide. It never fails; it reports what it can.

// Limits on the work the scan does for a hostile file.
const (
	maxInflate   = 16 << 20 // bytes inflated from one stream
	maxStreams   = 50_000   // streams looked at
	maxDictBytes = 2048     // how far before "stream" its dictionary may start
	maxUpdates   = 100      // incremental updates whose contents are classified
)

var (
	reObj       = regexp.MustCompile(`(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b`)
	reStartxref = regexp.MustCompile(`startxref\s+(\d{1,12})`)
	reInfoRef   = regexp.MustCompile(`/Info\s+(\d{1,10})\s+(\d{1,5})\s+R`)
)

// scanStructure reads what it can of the file's structure from its bytes.
func scanStructure(data []byte) Structure {
	s := Structure{Info: map[string]string{}}
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i >= 0 && i+8 <= len(data) {
		v := data[i+5 : i+8]
		if v[0] >= '1' && v[0] <= '2' && v[1] == '.' && v[2] >= '0' && v[2] <= '9' {
			s.Version = string(v)
		}
	}
	ends := eofMarkers(data)
	s.Revisions = max(len(ends), 1)
	if len(ends) >= 2 && bytes.Contains(data[:min(len(data), 1024)], []byte("/Linearized")) {
		s.Revisions-- // a linearized file ends its first-page section with a %%EOF of its own
		ends = ends[1:]
	}
	if len(ends) > 0 {
		s.TrailingBytes = len(bytes.Trim(data[ends[len(ends)-1]:], " \t\r\n\f\x00"))
	}
	s.Encrypted = hasName(data, "/Encrypt")
	s.JavaScript = hasName(data, "/JavaScript") || hasName(data, "/JS")
	s.OpenAction = hasName(data, "/OpenAction") || hasName(data, "/AA")
	s.EmbeddedFiles = max(countName(data, "/EmbeddedFile"), countName(data, "/EF"))
	s.FormFields = countName(data, "/FT")
	s.XrefRepaired = !xrefSound(data)
	all := streams(data)
	s.XMP = xmpPacket(data, all)
	if !s.Encrypted { // encrypted strings would read as noise; PDFium decrypts them
		for k, v := range infoDict(data) {
			s.Info[k] = v
		}
		s.Producers = producers(data)
	}
	for i := 1; i < len(ends) && i <= maxUpdates; i++ {
		s.RevisionChanges = append(s.RevisionChanges, classifyUpdate(data[ends[i-1]:ends[i]]))
	}
	// Object streams can hide names from the byte scan; look inside them too.
	for _, body := range objectStreams(all) {
		s.JavaScript = s.JavaScript || hasName(body, "/JavaScript") || hasName(body, "/JS")
		s.OpenAction = s.OpenAction || hasName(body, "/OpenAction") || hasName(body, "/AA")
		s.FormFields += countName(body, "/FT")
	}
	return s
}

// maxProducers bounds how many Producer values producers reads from a hostile file.
const maxProducers = 20

// producers returns the Producer strings of the file's Info dictionaries, in file order.
// Values inside compressed object streams are not visible this way and are not returned.
func producers(data []byte) []string {
	var out []string
	key := []byte("/Producer")
	for i := 0; len(out) < maxProducers; {
		j := bytes.Index(data[i:], key)
		if j < 0 {
			break
		}
		i += j + len(key)
		if i < len(data) && !isDelim(data[i]) {
			continue // a longer name such as /ProducerX
		}
		rest := skipSpace(data[i:])
		var v []byte
		switch {
		case len(rest) > 0 && rest[0] == '(':
			v, _ = readLiteral(rest)
		case len(rest) > 1 && rest[0] == '<' && rest[1] != '<':
			v, _ = readHex(rest)
		default:
			continue
		}
		if p := strings.TrimSpace(decodeText(v)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// eofMarkers returns the offset just after each "%%EOF" that ends a revision.
func eofMarkers(data []byte) []int {
	var ends []int
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("%%EOF"))
		if i < 0 {
			return ends
		}
		off += i + 5
		ends = append(ends, off)
	}
}

// hasName reports whether the name occurs as a whole PDF name.
func hasName(data []byte, name string) bool { return countName(data, name) > 0 }

// countName counts occurrences of a whole PDF name (not a prefix of a longer name).
func countName(data []byte, name string) int {
	n := 0
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(name))
		if i < 0 {
			return n
		}
		off += i + len(name)
		if off >= len(data) || isDelim(data[off]) {
			n++
		}
	}
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '/', '<', '>', '[', ']', '(', ')', '{', '}', '%':
		return true
	}
	return false
}

// xrefSound follows the startxref chain and checks that it leads to cross-reference sections
// whose entries point at the objects they name.
func xrefSound(data []byte) bool {
	m := reStartxref.FindAllSubmatch(data, -1)
	if len(m) == 0 {
		return false
	}
	off, err := strconv.Atoi(string(m[len(m)-1][1]))
	seen := map[int]bool{}
	for err == nil && !seen[off] && len(seen) < 256 {
		seen[off] = true
		if off <= 0 || off >= len(data) {
			return false
		}
		sec := data[off:]
		switch {
		case bytes.HasPrefix(sec, []byte("xref")):
			trailer, ok := checkXrefTable(data, off)
			if !ok {
				return false
			}
			prev := regexp.MustCompile(`/Prev\s+(\d{1,12})`).FindSubmatch(trailer)
			if prev == nil {
				return true
			}
			off, err = strconv.Atoi(string(prev[1]))
		case reObj.Match(sec[:min(len(sec), 40)]) || bytes.HasPrefix(sec, []byte("0")) || (len(sec) > 0 && sec[0] >= '1' && sec[0] <= '9'):
			// A cross-reference stream: check it is an object; its entries are compressed.
			loc := reObj.FindIndex(append([]byte{'\n'}, sec[:min(len(sec), 40)]...))
			return loc != nil && loc[0] <= 1
		default:
			return false
		}
	}
	return err == nil
}

// checkXrefTable checks the entries of the table at off and returns its trailer.
func checkXrefTable(data []byte, off int) ([]byte, bool) {
	pos := off + len("xref")
	obj := 0
	for pos < len(data) {
		// The next line, ended by CR, LF or both.
		end := pos
		for end < len(data) && data[end] != '\r' && data[end] != '\n' {
			end++
		}
		l := bytes.TrimSpace(data[pos:end])
		next := end + 1
		if len(l) == 0 {
			pos = next
			continue
		}
		if bytes.HasPrefix(l, []byte("trailer")) {
			return data[pos:min(len(data), pos+4096)], true
		}
		pos = next
		if at, kind, ok := xrefEntry(l); ok {
			if kind == 'n' {
				if at <= 0 || at >= len(data) || objectNumberAt(data, at) != obj {
					return nil, false
				}
			}
			obj++
			continue
		}
		f := bytes.Fields(l)
		if len(f) != 2 {
			return nil, false
		}
		start, err1 := strconv.Atoi(string(f[0]))
		if _, err2 := strconv.Atoi(string(f[1])); err1 != nil || err2 != nil {
			return nil, false
		}
		obj = start
	}
	return nil, false
}

// xrefEntry parses a cross-reference line "oooooooooo ggggg n".
func xrefEntry(l []byte) (offset int, kind byte, ok bool) {
	if len(l) < 18 || l[10] != ' ' || l[16] != ' ' || (l[17] != 'n' && l[17] != 'f') {
		return 0, 0, false
	}
	for i, c := range l[:16] {
		if i != 10 && (c < '0' || c > '9') {
			return 0, 0, false
		}
		if i < 10 {
			offset = offset*10 + int(c-'0')
		}
	}
	return offset, l[17], true
}

// objectNumberAt reads "num gen obj" at offset at (after optional whitespace) and returns num,
// or -1.
func objectNumberAt(data []byte, at int) int {
	b := skipSpace(data[at:min(len(data), at+40)])
	num, n := 0, 0
	for n < len(b) && n < 10 && b[n] >= '0' && b[n] <= '9' {
		num = num*10 + int(b[n]-'0')
		n++
	}
	if n == 0 {
		return -1
	}
	b = skipSpace(b[n:])
	n = 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	if n == 0 || !bytes.HasPrefix(skipSpace(b[n:]), []byte("obj")) {
		return -1
	}
	return num
}

// infoDict finds the Info dictionary named by the last trailer and decodes its strings.
func infoDict(data []byte) map[string]string {
	out := map[string]string{}
	refs := reInfoRef.FindAllSubmatch(data, -1)
	if len(refs) == 0 {
		return out
	}
	ref := refs[len(refs)-1]
	body := lastObject(data, string(ref[1]), string(ref[2]))
	if body == nil {
		return out
	}
	d, _ := parseDict(body)
	for k, v := range d {
		if s, ok := v.(pdfString); ok {
			out[k] = decodeText([]byte(s))
		}
	}
	return out
}

// lastObject returns the bytes after the last "num gen obj" (the newest version of it).
func lastObject(data []byte, num, gen string) []byte {
	pat := []byte(num + " " + gen + " obj")
	last := -1
	for off := 0; ; {
		i := bytes.Index(data[off:], pat)
		if i < 0 {
			break
		}
		if off+i == 0 || isDelim(data[off+i-1]) {
			last = off + i
		}
		off += i + len(pat)
	}
	if last < 0 {
		return nil
	}
	start := last + len(pat)
	stop := bytes.Index(data[start:], []byte("endobj"))
	if stop < 0 {
		stop = min(len(data)-start, 64<<10)
	}
	return data[start : start+stop]
}

// lastIndex is bytes.LastIndex by forward search, which is much faster on large inputs.
func lastIndex(data, pat []byte) int {
	last := -1
	for off := 0; ; {
		i := bytes.Index(data[off:], pat)
		if i < 0 {
			return last
		}
		last = off + i
		off += i + len(pat)
	}
}

// xmpPacket returns the last XMP packet in the file, looking inside compressed metadata
// streams when none is visible.
func xmpPacket(data []byte, all []stream) string {
	if p := lastPacket(data); p != "" {
		return p
	}
	for _, st := range all {
		if bytes.Contains(st.dict, []byte("/Metadata")) {
			if p := lastPacket(st.decode()); p != "" {
				return p
			}
		}
	}
	return ""
}

func lastPacket(b []byte) string {
	i := lastIndex(b, []byte("<x:xmpmeta"))
	if i < 0 {
		return ""
	}
	j := bytes.Index(b[i:], []byte("</x:xmpmeta>"))
	if j < 0 {
		return ""
	}
	return string(b[i : i+j+len("</x:xmpmeta>")])
}

// stream is one stream object found in the bytes.
type stream struct {
	dict []byte
	data []byte
}

// decode returns the stream's data, inflated when it is Flate-encoded (and nothing else).
func (s stream) decode() []byte {
	if !bytes.Contains(s.dict, []byte("/FlateDecode")) {
		return s.data
	}
	if bytes.Contains(s.dict, []byte("/DecodeParms")) && bytes.Contains(s.dict, []byte("/Predictor")) {
		return nil
	}
	r, err := zlib.NewReader(bytes.NewReader(s.data))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(r, maxInflate))
	return out
}

var reStream = regexp.MustCompile(`stream\r?\n`)

// streams finds the stream objects in b: the dictionary before each "stream" keyword and the
// data up to "endstream".
func streams(b []byte) []stream {
	var out []stream
	for off := 0; len(out) < maxStreams; {
		loc := reStream.FindIndex(b[off:])
		if loc == nil {
			return out
		}
		kw, start := off+loc[0], off+loc[1]
		off = start
		if kw >= 3 && string(b[kw-3:kw]) == "end" {
			continue
		}
		ds := bytes.LastIndex(b[max(0, kw-maxDictBytes):kw], []byte("obj"))
		if ds < 0 {
			continue
		}
		dict := b[max(0, kw-maxDictBytes)+ds+3 : kw]
		end := bytes.Index(b[start:], []byte("endstream"))
		if end < 0 {
			return out
		}
		out = append(out, stream{dict: dict, data: bytes.TrimRight(b[start:start+end], "\r\n")})
		off = start + end
	}
	return out
}

// objectStreams returns the inflated contents of the file's object streams.
func objectStreams(all []stream) [][]byte {
	var out [][]byte
	total := 0
	for _, st := range all {
		if total > 4*maxInflate {
			break
		}
		if bytes.Contains(st.dict, []byte("/ObjStm")) {
			if b := st.decode(); b != nil {
				out = append(out, b)
				total += len(b)
			}
		}
	}
	return out
}

// classifyUpdate says what kinds of objects an incremental update (the bytes from the end of
// one revision to the end of the next) rewrites.
func classifyUpdate(b []byte) []string {
	kinds := map[string]bool{}
	locs := reObj.FindAllIndex(b, -1)
	for i, loc := range locs {
		end := len(b)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		obj := b[loc[1]:end]
		if e := bytes.Index(obj, []byte("endobj")); e >= 0 {
			obj = obj[:e]
		}
		for _, k := range classifyObject(obj) {
			kinds[k] = true
		}
	}
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var reContentOps = regexp.MustCompile(`(?:^|\s)(?:BT|Tj|TJ|re|f\*?|Do|cm)(?:\s|$)`)

// classifyObject names the kinds of one object: "content", "fonts", "metadata",
// "annotations" or "other".
func classifyObject(obj []byte) []string {
	head := obj
	if i := bytes.Index(obj, []byte("stream")); i >= 0 {
		head = obj[:i]
	}
	has := func(s string) bool { return bytes.Contains(head, []byte(s)) }
	switch {
	case has("/XRef"):
		return nil // the update's own cross-reference stream
	case has("/ObjStm"):
		st := streams(append([]byte("0 0 obj"), obj...))
		if len(st) == 0 {
			return []string{"other"}
		}
		inner := st[0].decode()
		if inner == nil {
			return []string{"other"}
		}
		// The compressed objects follow a header of number/offset pairs; classify the whole
		// body by the dictionaries it holds.
		return classifyDicts(inner)
	case has("/Font") || has("/FontDescriptor") || has("/FontFile") || has("/Length1") || has("/CIDFontType0C") || has("/OpenType"):
		return []string{"fonts"}
	case has("/Metadata") && has("/XML"), has("/Producer"), has("/ModDate"), has("/CreationDate"), has("/Creator"):
		return []string{"metadata"}
	case has("/Annot") || (has("/Rect") && (has("/Widget") || has("/Link") || has("/FreeText") || has("/Square") || has("/Stamp"))):
		return []string{"annotations"}
	case has("/XObject") || has("/Image"):
		return []string{"content"}
	case bytes.Contains(obj, []byte("stream")) && !has("/Type"):
		st := streams(append([]byte("0 0 obj"), obj...))
		if len(st) > 0 && reContentOps.Match(st[0].decode()) {
			return []string{"content"}
		}
		return []string{"other"}
	}
	return []string{"other"}
}

// classifyDicts classifies the objects of an object stream by splitting at top-level "<<".
func classifyDicts(b []byte) []string {
	kinds := map[string]bool{}
	for _, part := range bytes.Split(b, []byte("<</Type")) {
		for _, k := range classifyObject(append([]byte("<</Type"), part...)) {
			kinds[k] = true
		}
	}
	delete(kinds, "other")
	out := []string{}
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	if len(out) == 0 {
		out = append(out, "other")
	}
	return out
}

// pdfString is the raw bytes of a PDF string object.
type pdfString string

// parseDict reads the top-level entries of a dictionary: strings as pdfString, names as
// string, anything else skipped. It returns the rest of the input.
func parseDict(b []byte) (map[string]any, []byte) {
	out := map[string]any{}
	i := bytes.Index(b, []byte("<<"))
	if i < 0 {
		return out, nil
	}
	b = b[i+2:]
	for len(b) > 0 {
		b = skipSpace(b)
		if len(b) == 0 {
			break
		}
		if bytes.HasPrefix(b, []byte(">>")) {
			return out, b[2:]
		}
		if b[0] != '/' {
			b = skipValue(b)
			continue
		}
		key, rest := readName(b)
		rest = skipSpace(rest)
		if len(rest) == 0 {
			break
		}
		switch {
		case rest[0] == '(':
			s, r := readLiteral(rest)
			out[key] = pdfString(s)
			b = r
		case bytes.HasPrefix(rest, []byte("<<")):
			_, r := parseDict(rest)
			b = r
		case rest[0] == '<':
			s, r := readHex(rest)
			out[key] = pdfString(s)
			b = r
		case rest[0] == '/':
			n, r := readName(rest)
			out[key] = n
			b = r
		default:
			b = skipValue(rest)
		}
	}
	return out, nil
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 {
		switch b[0] {
		case ' ', '\t', '\r', '\n', '\f', 0:
			b = b[1:]
		case '%':
			i := bytes.IndexAny(b, "\r\n")
			if i < 0 {
				return nil
			}
			b = b[i:]
		default:
			return b
		}
	}
	return b
}

// skipValue skips one token that is not a string, dictionary or name.
func skipValue(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	if b[0] == '[' {
		depth := 0
		for i := 0; i < len(b); i++ {
			switch b[i] {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return b[i+1:]
				}
			case '(':
				_, r := readLiteral(b[i:])
				i = len(b) - len(r) - 1
			}
		}
		return nil
	}
	i := 1
	for i < len(b) && !isDelim(b[i]) {
		i++
	}
	return b[i:]
}

func readName(b []byte) (string, []byte) {
	i := 1
	for i < len(b) && !isDelim(b[i]) {
		i++
	}
	name := b[1:i]
	// #xx escapes
	if bytes.IndexByte(name, '#') >= 0 {
		var out []byte
		for j := 0; j < len(name); j++ {
			if name[j] == '#' && j+2 < len(name) {
				if v, err := strconv.ParseUint(string(name[j+1:j+3]), 16, 8); err == nil {
					out = append(out, byte(v))
					j += 2
					continue
				}
			}
			out = append(out, name[j])
		}
		name = out
	}
	return string(name), b[i:]
}

// readLiteral decodes a literal string starting at "(" and returns its bytes and the rest.
func readLiteral(b []byte) ([]byte, []byte) {
	var out []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return out, b[i+1:]
			}
			out = append(out, c)
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := 0
					n := 0
					for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7' {
						v = v*8 + int(b[i]-'0')
						i++
						n++
					}
					i--
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// readHex decodes a hex string starting at "<".
func readHex(b []byte) ([]byte, []byte) {
	var out []byte
	hi, half := byte(0), false
	for i := 1; i < len(b); i++ {
		c := b[i]
		var v byte
		switch {
		case c == '>':
			if half {
				out = append(out, hi<<4)
			}
			return out, b[i+1:]
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return out, nil
}

// decodeText turns the bytes of a PDF text string into UTF-8: UTF-16BE with a byte order
// mark, UTF-8 with one, or PDFDocEncoding.
func decodeText(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		if utf8.Valid(b[3:]) {
			return string(b[3:])
		}
		b = b[3:]
	}
	out := make([]rune, 0, len(b))
	for _, c := range b {
		r := rune(c)
		if c >= 0x80 && c <= 0x9F {
			r = pdfDocHigh[c-0x80]
		} else if c >= 0x18 && c <= 0x1F {
			r = pdfDocLow[c-0x18]
		}
		out = append(out, r)
	}
	return string(out)
}

// PDFDocEncoding where it differs from Latin-1.
var (
	pdfDocLow  = [8]rune{'˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'}
	pdfDocHigh = [32]rune{'•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘',
		'’', '‚', '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\uFFFD'}
)
