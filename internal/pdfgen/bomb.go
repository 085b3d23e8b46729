package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// Bombs: small, valid PDF files of one page whose stream decodes to an enormous amount of work,
// as an attacker would upload them to exhaust a reader's memory and time. They test the PDF
// engine's budgets; nothing else should open them.

// A BombFilter is the compression of a bomb's stream.
type BombFilter string

// The filters a bomb can use.
const (
	Flate     BombFilter = "FlateDecode"
	LZW       BombFilter = "LZWDecode" // with PDF's default early change
	RunLength BombFilter = "RunLengthDecode"
)

// A BombHiding is where a bomb's stream sits in the file.
type BombHiding int

const (
	// AsContent is the page's content stream.
	AsContent BombHiding = iota
	// AsImage is an image XObject the page draws, declared 100×100 gray pixels.
	AsImage
	// Unused is an object nothing refers to; the page is empty.
	Unused
	// IndirectFilter is the page's content stream, its /Filter an indirect object.
	IndirectFilter
	// TwoStreams is the page's content in two streams, each what content writes: the page draws
	// twice what either stream does.
	TwoStreams
)

// Rects writes n filled rectangles (5 million make 75 MB of operators).
func Rects(n int) func(io.Writer) {
	return func(w io.Writer) {
		writeRepeated(w, "0 0 1 rg\n", 1)
		writeRepeated(w, "10 10 5 5 re f\n", n)
	}
}

// Texts writes n text objects, each showing one character.
func Texts(n int) func(io.Writer) {
	return func(w io.Writer) { writeRepeated(w, "BT /F1 9 Tf 20 20 Td (x) Tj ET\n", n) }
}

// Spaces writes n blanks.
func Spaces(n int64) func(io.Writer) {
	return func(w io.Writer) {
		chunk := strings.Repeat(" ", 64<<10)
		for n > 0 {
			k := min(n, int64(len(chunk)))
			io.WriteString(w, chunk[:k])
			n -= k
		}
	}
}

// RectBomb is a page that fills n rectangles (5 million inflate to 75 MB of operators, in a file
// of about 450 KB).
func RectBomb(n int) []byte { return Bomb(Flate, AsContent, Rects(n)) }

// TextBomb is a page of n text objects, each showing one character.
func TextBomb(n int) []byte { return Bomb(Flate, AsContent, Texts(n)) }

// SpaceBomb is a page whose content stream is n bytes of blanks (1 GiB compresses to about 1 MB).
func SpaceBomb(n int64) []byte { return Bomb(Flate, AsContent, Spaces(n)) }

// writeRepeated writes s n times, in large pieces.
func writeRepeated(w io.Writer, s string, n int) {
	per := max(1, (256<<10)/len(s))
	chunk := strings.Repeat(s, per)
	for n > 0 {
		k := min(n, per)
		io.WriteString(w, chunk[:k*len(s)])
		n -= k
	}
}

// Bomb writes a one-page PDF holding one stream of what content writes, compressed with filter
// and placed as hiding says.
func Bomb(filter BombFilter, hiding BombHiding, content func(io.Writer)) []byte {
	var z bytes.Buffer
	var zw io.WriteCloser
	switch filter {
	case LZW:
		zw = NewLZWWriter(&z, true)
	case RunLength:
		zw = NewRunLengthWriter(&z)
	default:
		zw, _ = zlib.NewWriterLevel(&z, zlib.BestSpeed) // the best level saves little here and takes 4× as long
	}
	content(zw)
	zw.Close()

	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	obj := func(n int, body string) {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	stream := func(n int, dict string, data []byte) {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n<< /Length %d %s >>\nstream\n", n, len(data), dict)
		buf.Write(data)
		buf.WriteString("\nendstream\nendobj\n")
	}
	filterEntry := "/Filter /" + string(filter)
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	resources := "/Font << /F1 5 0 R >>"
	if hiding == AsImage {
		resources += " /XObject << /Im1 6 0 R >>"
	}
	contents := "4 0 R"
	if hiding == TwoStreams {
		contents = "[4 0 R 6 0 R]"
	}
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "+contents+" /Resources << "+resources+" >> >>")
	switch hiding {
	case AsContent, TwoStreams:
		stream(4, filterEntry, z.Bytes())
	case IndirectFilter:
		stream(4, "/Filter 6 0 R", z.Bytes())
	case AsImage:
		stream(4, "", []byte("q 100 0 0 100 100 600 cm /Im1 Do Q"))
	case Unused:
		stream(4, "", []byte("BT /F1 12 Tf 72 700 Td (Nothing here) Tj ET"))
	}
	obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	switch hiding {
	case IndirectFilter:
		obj(6, "[/"+string(filter)+"]")
	case AsImage:
		stream(6, "/Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 "+filterEntry, z.Bytes())
	case Unused, TwoStreams:
		stream(6, filterEntry, z.Bytes())
	default:
		obj(6, "null")
	}
	xref := buf.Len()
	buf.WriteString("xref\n0 7\n0000000000 65535 f \n")
	for n := 1; n <= 6; n++ {
		fmt.Fprintf(&buf, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return buf.Bytes()
}
