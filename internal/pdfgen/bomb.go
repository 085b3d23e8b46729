package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// Bombs: small, valid PDF files of one page whose single Flate-compressed content stream
// inflates to an enormous amount of work, as an attacker would upload them to exhaust a
// reader's memory and time. They test the PDF engine's budgets; nothing else should open them.

// RectBomb is a page that fills n rectangles (5 million inflate to 75 MB of operators, in a file
// of about 450 KB).
func RectBomb(n int) []byte {
	return bomb(func(w io.Writer) {
		writeRepeated(w, "0 0 1 rg\n", 1)
		writeRepeated(w, "10 10 5 5 re f\n", n)
	})
}

// TextBomb is a page of n text objects, each showing one character.
func TextBomb(n int) []byte {
	return bomb(func(w io.Writer) {
		writeRepeated(w, "BT /F1 9 Tf 20 20 Td (x) Tj ET\n", n)
	})
}

// SpaceBomb is a page whose content stream is n bytes of blanks (1 GiB compresses to about 1 MB).
func SpaceBomb(n int64) []byte {
	return bomb(func(w io.Writer) {
		chunk := strings.Repeat(" ", 64<<10)
		for n > 0 {
			k := min(n, int64(len(chunk)))
			io.WriteString(w, chunk[:k])
			n -= k
		}
	})
}

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

// bomb writes a one-page PDF whose content stream is what content writes, Flate-compressed.
func bomb(content func(io.Writer)) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed) // the best level saves little here and takes 4× as long
	content(zw)
	zw.Close()

	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	obj := func(n int, body string) {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	offsets[4] = buf.Len()
	fmt.Fprintf(&buf, "4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", z.Len())
	buf.Write(z.Bytes())
	buf.WriteString("\nendstream\nendobj\n")
	obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := buf.Len()
	buf.WriteString("xref\n0 6\n0000000000 65535 f \n")
	for n := 1; n <= 5; n++ {
		fmt.Fprintf(&buf, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return buf.Bytes()
}
