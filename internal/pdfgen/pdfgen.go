// Package pdfgen writes small PDF files by hand, for test fixtures: text at chosen positions in the
// standard fonts, filled rectangles, invisible text, images, annotations, form fields, attached
// files, document JavaScript, the Info dictionary and XMP metadata, and incremental updates
// appended to a file it wrote before — the way an editing tool appends its changes.
//
// Coordinates are PDF points measured from the page's top-left corner (x to the right, y down), as
// in passbook.Box, so a fixture can state the boxes it expects back from the PDF engine. Text is
// placed by its baseline's left end.
//
//	d := pdfgen.New()
//	p := d.AddPage(612, 792)
//	p.Rect(50, 100, 550, 114, pdfgen.Gray(0.9)) // a row background, drawn first
//	p.Text(60, 110, "Helvetica", 10, "Opening balance")
//	p.TextRight(540, 110, "Helvetica", 10, "1,234.56")
//	d.SetInfo("Producer", "Example Bank Statements 4.2")
//	orig := d.Bytes() // one complete file
//
//	p.Rect(490, 101, 542, 113, pdfgen.White) // later drawing goes to a new content stream
//	p.TextRight(540, 110, "Courier", 10, "9,234.56")
//	d.SetInfo("Producer", "Some PDF Editor")
//	edited := d.Update() // orig plus one incremental update with the changes
//	rewritten := d.Bytes() // the same edit, written as one fresh file with no update trace
//
// Open and Appender do the same to a file written by another tool (Chromium, report generators):
// they append an incremental update that draws on top of its pages and rewrites Info entries, as
// an editor saves its changes.
//
// The standard 14 fonts are used without embedding; every font gets an explicit /Widths array
// from the tables in widths.go, so TextWidth agrees exactly with what a reader computes.
package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Color is an RGB fill colour with components from 0 to 1.
type Color struct{ R, G, B float64 }

// Common colours.
var (
	Black = Color{0, 0, 0}
	White = Color{1, 1, 1}
)

// Gray returns the grey of level l (0 black, 1 white).
func Gray(l float64) Color { return Color{l, l, l} }

// Document is a PDF being built. It is not safe for concurrent use.
type Document struct {
	pages    []*Page
	info     map[string]string
	xmp      string
	js       string
	files    []attachment
	fields   []field
	compress bool
	protect  *protection // Protect: encrypt what Bytes writes

	// State of the last file written, for Update.
	last     []byte
	lastXref int
	objNums  map[string]int // stable object numbers of named objects ("catalog", "page3", …)
	nextObj  int
	written  map[string][]byte // object bodies as last written, to find what changed
}

type attachment struct {
	name string
	data []byte
}

type field struct {
	page           int
	name           string
	value          string
	x0, y0, x1, y1 float64
}

// Page is one page of a Document.
type Page struct {
	doc           *Document
	index         int
	width, height float64
	streams       [][]byte // content streams; each Update adds one
	cur           bytes.Buffer
	fonts         map[string]bool
	images        [][]byte // image XObject bodies, named /Im0, /Im1, …
	annots        []annot
}

type annot struct {
	subtype, contents string
	x0, y0, x1, y1    float64
}

// New returns an empty document.
func New() *Document {
	return &Document{info: map[string]string{}, objNums: map[string]int{}, nextObj: 1}
}

// Compress makes content streams Flate-compressed, as most generators write them.
func (d *Document) Compress(on bool) { d.compress = on }

// AddPage adds a page of the given size in points (612×792 is US Letter, 595×842 is A4).
func (d *Document) AddPage(width, height float64) *Page {
	p := &Page{doc: d, index: len(d.pages), width: width, height: height, fonts: map[string]bool{}}
	d.pages = append(d.pages, p)
	return p
}

// Page returns page n (1-based), or nil.
func (d *Document) Page(n int) *Page {
	if n < 1 || n > len(d.pages) {
		return nil
	}
	return d.pages[n-1]
}

// SetInfo sets an entry of the Info dictionary ("Producer", "Creator", "CreationDate", "ModDate",
// "Title", "Author", …); an empty value removes it. Dates are written as given, e.g.
// "D:20260301120000Z" (see Date).
func (d *Document) SetInfo(key, value string) {
	if value == "" {
		delete(d.info, key)
		return
	}
	d.info[key] = value
}

// SetXMP sets the XMP metadata packet written as the catalog's /Metadata stream.
func (d *Document) SetXMP(packet string) { d.xmp = packet }

// XMP returns a minimal XMP packet carrying the given producer, creator tool and dates (RFC 3339
// strings such as "2026-03-01T12:00:00Z"); empty values are left out.
func XMP(producer, creatorTool, createDate, modifyDate string) string {
	var b strings.Builder
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` + "\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">` + "\n")
	for _, kv := range [][2]string{{"pdf:Producer", producer}, {"xmp:CreatorTool", creatorTool}, {"xmp:CreateDate", createDate}, {"xmp:ModifyDate", modifyDate}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "<%s>%s</%s>\n", kv[0], xmlEscape(kv[1]), kv[0])
		}
	}
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// SetJavaScript makes the document run js when it opens (an /OpenAction of type JavaScript).
func (d *Document) SetJavaScript(js string) { d.js = js }

// Attach adds an embedded file.
func (d *Document) Attach(name string, data []byte) {
	d.files = append(d.files, attachment{name, data})
}

// AddTextField adds an AcroForm text field with a widget annotation on page n (1-based).
func (d *Document) AddTextField(n int, name, value string, x0, y0, x1, y1 float64) {
	d.fields = append(d.fields, field{n, name, value, x0, y0, x1, y1})
}

// Width returns the page width in points.
func (p *Page) Width() float64 { return p.width }

// Height returns the page height in points.
func (p *Page) Height() float64 { return p.height }

// Text draws s with its baseline starting at (x, y), in black.
func (p *Page) Text(x, y float64, font string, size float64, s string) {
	p.TextStyle(x, y, font, size, Black, false, s)
}

// TextRight draws s so that it ends at x (right-aligned), in black.
func (p *Page) TextRight(x, y float64, font string, size float64, s string) {
	p.TextStyle(x-TextWidth(font, size, s), y, font, size, Black, false, s)
}

// InvisibleText draws s in text render mode 3: present in the text layer, never painted, as an
// OCR layer over a scan is drawn.
func (p *Page) InvisibleText(x, y float64, font string, size float64, s string) {
	p.TextStyle(x, y, font, size, Black, true, s)
}

// TextStyle draws s at (x, y) in the given colour; invisible selects render mode 3.
func (p *Page) TextStyle(x, y float64, font string, size float64, c Color, invisible bool, s string) {
	p.fonts[font] = true
	mode := 0
	if invisible {
		mode = 3
	}
	fmt.Fprintf(&p.cur, "BT /%s %s Tf %s %s %s rg %d Tr %s %s Td (%s) Tj ET\n",
		fontKey(font), num(size), num(c.R), num(c.G), num(c.B), mode,
		num(x), num(p.height-y), escape(encode(s)))
}

// Rect fills the rectangle from (x0, y0) to (x1, y1) (top-left origin) with c.
func (p *Page) Rect(x0, y0, x1, y1 float64, c Color) {
	fmt.Fprintf(&p.cur, "q %s %s %s rg %s %s %s %s re f Q\n", num(c.R), num(c.G), num(c.B),
		num(x0), num(p.height-y1), num(x1-x0), num(y1-y0))
}

// Line strokes a line of width w from (x0, y0) to (x1, y1) in c.
func (p *Page) Line(x0, y0, x1, y1, w float64, c Color) {
	fmt.Fprintf(&p.cur, "q %s %s %s RG %s w %s %s m %s %s l S Q\n", num(c.R), num(c.G), num(c.B), num(w),
		num(x0), num(p.height-y0), num(x1), num(p.height-y1))
}

// Image places an 8-bit greyscale image of w×h pixels (row by row, top row first) in the
// rectangle from (x0, y0) to (x1, y1).
func (p *Page) Image(x0, y0, x1, y1 float64, w, h int, gray []byte) {
	if len(gray) < w*h {
		g := make([]byte, w*h)
		copy(g, gray)
		gray = g
	}
	name := fmt.Sprintf("Im%d", len(p.images))
	body := fmt.Appendf(nil, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n", w, h, w*h)
	body = append(body, gray[:w*h]...)
	body = append(body, "\nendstream"...)
	p.images = append(p.images, body)
	fmt.Fprintf(&p.cur, "q %s 0 0 %s %s %s cm /%s Do Q\n", num(x1-x0), num(y1-y0), num(x0), num(p.height-y1), name)
}

// Annotate adds an annotation of the given subtype ("Text", "FreeText", "Square", …) with contents.
func (p *Page) Annotate(subtype string, x0, y0, x1, y1 float64, contents string) {
	p.annots = append(p.annots, annot{subtype, contents, x0, y0, x1, y1})
}

// Raw appends raw content-stream operators to the page, for cases the helpers do not cover.
func (p *Page) Raw(ops string) {
	p.cur.WriteString(ops)
	if !strings.HasSuffix(ops, "\n") {
		p.cur.WriteByte('\n')
	}
}

// Date formats a PDF date string from its parts: Date(2026, 3, 1, 12, 0, 0) = "D:20260301120000Z".
func Date(year, month, day, hour, min, sec int) string {
	return fmt.Sprintf("D:%04d%02d%02d%02d%02d%02dZ", year, month, day, hour, min, sec)
}

// Bytes writes the whole document as one fresh file (a single revision) and remembers it as the
// base of the next Update.
func (d *Document) Bytes() []byte {
	for _, p := range d.pages {
		p.flush()
	}
	d.objNums = map[string]int{}
	d.nextObj = 1
	d.written = map[string][]byte{}
	objs := d.objects()
	trailer := ""
	if d.protect != nil {
		o, u, key := d.protect.securityKeys()
		for i := range objs {
			objs[i].body = encryptObject(objs[i].body, key, d.num(objs[i].name))
		}
		objs = append(objs, object{"encrypt", d.protect.encryptDict(o, u)})
		trailer = fmt.Sprintf(" /Encrypt %d 0 R %s", d.num("encrypt"), trailerID())
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	for _, o := range objs {
		n := d.num(o.name)
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", n)
		buf.Write(o.body)
		buf.WriteString("\nendobj\n")
		d.written[o.name] = o.body
	}
	xref := buf.Len()
	size := d.nextObj
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		fmt.Fprintf(&buf, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n",
		size, d.num("catalog"), d.num("info"), trailer, xref)
	d.last = buf.Bytes()
	d.lastXref = xref
	return bytes.Clone(d.last)
}

// Update appends, to the file last written by Bytes or Update, one incremental update holding every
// object changed since: new drawing (as a new content stream after the page's existing ones), new
// fonts and images, annotations, fields and metadata. It returns the whole file. Without an earlier
// Bytes it is Bytes.
func (d *Document) Update() []byte {
	if d.last == nil {
		return d.Bytes()
	}
	for _, p := range d.pages {
		p.flush()
	}
	objs := d.objects()
	var buf bytes.Buffer
	buf.Write(d.last)
	offsets := map[int]int{}
	for _, o := range objs {
		if old, ok := d.written[o.name]; ok && bytes.Equal(old, o.body) {
			continue
		}
		n := d.num(o.name)
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", n)
		buf.Write(o.body)
		buf.WriteString("\nendobj\n")
		d.written[o.name] = o.body
	}
	xref := writeXref(&buf, offsets)
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		d.nextObj, d.num("catalog"), d.num("info"), d.lastXref, xref)
	d.last = buf.Bytes()
	d.lastXref = xref
	return bytes.Clone(d.last)
}

// flush closes the drawing made since the last write into a content stream of its own.
func (p *Page) flush() {
	if p.cur.Len() > 0 {
		p.streams = append(p.streams, bytes.Clone(p.cur.Bytes()))
		p.cur.Reset()
	}
}

type object struct {
	name string
	body []byte
}

// num returns the object number of a named object, allocating the next free one the first time.
func (d *Document) num(name string) int {
	if n, ok := d.objNums[name]; ok {
		return n
	}
	n := d.nextObj
	d.nextObj++
	d.objNums[name] = n
	return n
}

func ref(n int) string { return strconv.Itoa(n) + " 0 R" }

// objects builds every object of the document with its current content. Objects are named so that
// an Update can tell which ones changed; numbers are given on first use and kept.
func (d *Document) objects() []object {
	var objs []object
	add := func(name string, body []byte) { objs = append(objs, object{name, body}) }

	// Catalog.
	var cat strings.Builder
	fmt.Fprintf(&cat, "<< /Type /Catalog /Pages %s", ref(d.num("pages")))
	if d.xmp != "" {
		fmt.Fprintf(&cat, " /Metadata %s", ref(d.num("xmp")))
	}
	if d.js != "" {
		fmt.Fprintf(&cat, " /OpenAction %s", ref(d.num("js")))
	}
	if len(d.files) > 0 {
		cat.WriteString(" /Names << /EmbeddedFiles << /Names [")
		for i, f := range d.files {
			fmt.Fprintf(&cat, " (%s) %s", escape(encode(f.name)), ref(d.num(fmt.Sprintf("filespec%d", i))))
		}
		cat.WriteString(" ] >> >>")
	}
	if len(d.fields) > 0 {
		cat.WriteString(" /AcroForm << /Fields [")
		for i := range d.fields {
			fmt.Fprintf(&cat, " %s", ref(d.num(fmt.Sprintf("field%d", i))))
		}
		cat.WriteString(" ] >>")
	}
	cat.WriteString(" >>")
	add("catalog", []byte(cat.String()))

	// Info.
	keys := make([]string, 0, len(d.info))
	for k := range d.info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var info strings.Builder
	info.WriteString("<<")
	for _, k := range keys {
		fmt.Fprintf(&info, " /%s (%s)", k, escape(encode(d.info[k])))
	}
	info.WriteString(" >>")
	add("info", []byte(info.String()))

	if d.xmp != "" {
		add("xmp", streamObj("/Type /Metadata /Subtype /XML", []byte(d.xmp), false))
	}
	if d.js != "" {
		add("js", []byte(fmt.Sprintf("<< /Type /Action /S /JavaScript /JS (%s) >>", escape(encode(d.js)))))
	}
	for i, f := range d.files {
		fs := fmt.Sprintf("filespec%d", i)
		ef := fmt.Sprintf("embedded%d", i)
		add(fs, []byte(fmt.Sprintf("<< /Type /Filespec /F (%s) /EF << /F %s >> >>", escape(encode(f.name)), ref(d.num(ef)))))
		add(ef, streamObj("/Type /EmbeddedFile", f.data, false))
	}

	// Page tree.
	var kids strings.Builder
	for i := range d.pages {
		fmt.Fprintf(&kids, " %s", ref(d.num(fmt.Sprintf("page%d", i))))
	}
	add("pages", []byte(fmt.Sprintf("<< /Type /Pages /Kids [%s ] /Count %d >>", kids.String(), len(d.pages))))

	for i, p := range d.pages {
		pn := fmt.Sprintf("page%d", i)
		var res strings.Builder
		fonts := make([]string, 0, len(p.fonts))
		for f := range p.fonts {
			fonts = append(fonts, f)
		}
		sort.Strings(fonts)
		res.WriteString("<< /Font <<")
		for _, f := range fonts {
			fmt.Fprintf(&res, " /%s %s", fontKey(f), ref(d.num("font:"+f)))
		}
		res.WriteString(" >>")
		if len(p.images) > 0 {
			res.WriteString(" /XObject <<")
			for j := range p.images {
				fmt.Fprintf(&res, " /Im%d %s", j, ref(d.num(fmt.Sprintf("%s:img%d", pn, j))))
			}
			res.WriteString(" >>")
		}
		res.WriteString(" >>")
		var contents strings.Builder
		for j := range p.streams {
			fmt.Fprintf(&contents, " %s", ref(d.num(fmt.Sprintf("%s:content%d", pn, j))))
		}
		var annots strings.Builder
		for j := range p.annots {
			fmt.Fprintf(&annots, " %s", ref(d.num(fmt.Sprintf("%s:annot%d", pn, j))))
		}
		for j, f := range d.fields {
			if f.page == i+1 {
				fmt.Fprintf(&annots, " %s", ref(d.num(fmt.Sprintf("field%d", j))))
			}
		}
		body := fmt.Sprintf("<< /Type /Page /Parent %s /MediaBox [0 0 %s %s] /Resources %s /Contents [%s ]",
			ref(d.num("pages")), num(p.width), num(p.height), res.String(), contents.String())
		if annots.Len() > 0 {
			body += " /Annots [" + annots.String() + " ]"
		}
		add(pn, []byte(body+" >>"))
		for j, s := range p.streams {
			add(fmt.Sprintf("%s:content%d", pn, j), streamObj("", s, d.compress))
		}
		for j, img := range p.images {
			add(fmt.Sprintf("%s:img%d", pn, j), img)
		}
		for j, a := range p.annots {
			add(fmt.Sprintf("%s:annot%d", pn, j), []byte(fmt.Sprintf("<< /Type /Annot /Subtype /%s /Rect [%s %s %s %s] /Contents (%s) >>",
				a.subtype, num(a.x0), num(p.height-a.y1), num(a.x1), num(p.height-a.y0), escape(encode(a.contents)))))
		}
		for _, f := range fonts {
			if containsObj(objs, "font:"+f) {
				continue
			}
			add("font:"+f, fontObject(f))
		}
	}
	for j, f := range d.fields {
		h := 792.0
		if pg := d.Page(f.page); pg != nil {
			h = pg.height
		}
		body := fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V (%s) /Rect [%s %s %s %s]",
			escape(encode(f.name)), escape(encode(f.value)), num(f.x0), num(h-f.y1), num(f.x1), num(h-f.y0))
		if pg := d.Page(f.page); pg != nil {
			body += " /P " + ref(d.num(fmt.Sprintf("page%d", f.page-1)))
		}
		add(fmt.Sprintf("field%d", j), []byte(body+" >>"))
	}
	return objs
}

func containsObj(objs []object, name string) bool {
	for _, o := range objs {
		if o.name == name {
			return true
		}
	}
	return false
}

func streamObj(dict string, data []byte, compress bool) []byte {
	if compress {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(data)
		w.Close()
		data = z.Bytes()
		dict += " /Filter /FlateDecode"
	}
	b := fmt.Appendf(nil, "<< %s /Length %d >>\nstream\n", strings.TrimSpace(dict), len(data))
	b = append(b, data...)
	return append(b, "\nendstream"...)
}

func fontObject(name string) []byte {
	w := widthsFor(name)
	var ws strings.Builder
	for c := 32; c <= 255; c++ {
		fmt.Fprintf(&ws, " %d", w[c])
	}
	return []byte(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [%s ] >>",
		name, ws.String()))
}

// fontKey is the resource name of a font: its name without characters a PDF name cannot hold.
func fontKey(font string) string {
	var b strings.Builder
	b.WriteString("F")
	for _, r := range font {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// num writes a number with at most three decimals and no exponent.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// encode turns s into WinAnsi bytes; characters outside WinAnsi become '?'.
func encode(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 128:
			out = append(out, byte(r))
		case r >= 160 && r <= 255:
			out = append(out, byte(r))
		default:
			if b, ok := winAnsiExtra[r]; ok {
				out = append(out, b)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

// winAnsiExtra maps the WinAnsi characters in 0x80–0x9F that differ from Latin-1.
var winAnsiExtra = map[rune]byte{'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97}

// escape writes b as the inside of a PDF literal string.
func escape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			s.WriteByte('\\')
			s.WriteByte(c)
		case '\n':
			s.WriteString(`\n`)
		case '\r':
			s.WriteString(`\r`)
		default:
			s.WriteByte(c)
		}
	}
	return s.String()
}

// writeXref appends an update's cross-reference section, one subsection per object written
// (offsets maps object numbers to byte offsets), and returns the section's offset.
func writeXref(buf *bytes.Buffer, offsets map[int]int) int {
	xref := buf.Len()
	nums := make([]int, 0, len(offsets))
	for n := range offsets {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	buf.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range nums {
		fmt.Fprintf(buf, "%d 1\n%010d 00000 n \n", n, offsets[n])
	}
	return xref
}
