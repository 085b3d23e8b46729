package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// pdfBuilder writes small PDF files object by object, for tests that need a file with a
// particular structure. Objects are numbered from 1 in the order they are added.
type pdfBuilder struct {
	buf     bytes.Buffer
	offsets []int // byte offset of object i+1
	version string
}

func newPDF() *pdfBuilder {
	b := &pdfBuilder{version: "1.4"}
	fmt.Fprintf(&b.buf, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", b.version)
	return b
}

// add appends an object and returns its number.
func (b *pdfBuilder) add(body string) int {
	b.offsets = append(b.offsets, b.buf.Len())
	n := len(b.offsets)
	fmt.Fprintf(&b.buf, "%d 0 obj\n%s\nendobj\n", n, body)
	return n
}

// set rewrites object n at the end of the file (for incremental updates).
func (b *pdfBuilder) set(n int, body string) {
	b.offsets[n-1] = b.buf.Len()
	fmt.Fprintf(&b.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// streamObj returns the body of a stream object holding data.
func streamObj(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// finish writes a cross-reference table covering objects from..len and a trailer.
func (b *pdfBuilder) finish(from int, trailer string, prev int) []byte {
	xref := b.buf.Len()
	n := len(b.offsets)
	if from == 1 {
		fmt.Fprintf(&b.buf, "xref\n0 %d\n0000000000 65535 f \n", n+1)
	} else {
		fmt.Fprintf(&b.buf, "xref\n%d %d\n", from, n-from+1)
	}
	for i := from; i <= n; i++ {
		fmt.Fprintf(&b.buf, "%010d 00000 n \n", b.offsets[i-1])
	}
	prevEntry := ""
	if prev > 0 {
		prevEntry = fmt.Sprintf(" /Prev %d", prev)
	}
	fmt.Fprintf(&b.buf, "trailer\n<< /Size %d %s%s >>\nstartxref\n%d\n%%%%EOF\n", n+1, trailer, prevEntry, xref)
	return bytes.Clone(b.buf.Bytes())
}

// lastXref returns the offset after the last "startxref".
func lastXref(data []byte) int {
	i := bytes.LastIndex(data, []byte("startxref"))
	var v int
	fmt.Sscanf(string(data[i+len("startxref"):]), "%d", &v)
	return v
}

// simplePage is a one-page document drawing content with Helvetica (/F1) and Courier (/F2).
// extraCatalog and extraPage go into the catalog and page dictionaries; it returns the builder
// and the bytes of the first revision. Objects: 1 catalog, 2 pages, 3 page, 4 content, 5 F1,
// 6 F2, 7 info.
func simplePage(content, extraCatalog, extraPage string) (*pdfBuilder, []byte) {
	b := newPDF()
	b.add("<< /Type /Catalog /Pages 2 0 R " + extraCatalog + " >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> " + extraPage + " >>")
	b.add(streamObj("", content))
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
	b.add("<< /Producer (Passbook test \\(hand\\) writer) /Creator <FEFF00E9007400E9> /Title (Relev\\351) /CreationDate (D:20260301120000Z) >>")
	return b, b.finish(1, "/Root 1 0 R /Info 7 0 R", 0)
}

// textOps draws s at (x, y) (PDF user space) in font f at size pt.
func textOps(f string, size, x, y float64, s string) string {
	s = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
	return fmt.Sprintf("BT /%s %g Tf %g %g Td (%s) Tj ET\n", f, size, x, y, s)
}
