package pdfgen

import (
	"bufio"
	"io"
)

// Writers for the PDF filters the standard library lacks, so that tests can make streams in
// every compression a reader meets: LZWDecode (with or without early change) and
// RunLengthDecode.

// LZWWriter encodes LZWDecode data onto w: 9- to 12-bit codes, a clear code first and whenever
// the table is full, the end code on Close. With earlyChange (PDF's default) the code width
// grows one code early.
type LZWWriter struct {
	w     *bufio.Writer
	early int
	table [4096][256]uint16 // table[prefix][byte] is the code of prefix+byte, 0 for none
	next  int
	width uint
	bits  uint32
	nbits uint
	cur   int // the code of the string matched so far, -1 for none
}

// NewLZWWriter returns a writer that encodes onto w.
func NewLZWWriter(w io.Writer, earlyChange bool) *LZWWriter {
	z := &LZWWriter{w: bufio.NewWriter(w), cur: -1, width: 9}
	if earlyChange {
		z.early = 1
	}
	z.clear()
	return z
}

func (z *LZWWriter) clear() {
	z.emit(256)
	for i := 258; i < z.next; i++ {
		clear(z.table[i][:])
	}
	clear(z.table[:256])
	z.next, z.width = 258, 9
}

func (z *LZWWriter) emit(code int) {
	z.bits |= uint32(code) << (32 - z.width - z.nbits)
	z.nbits += z.width
	for z.nbits >= 8 {
		z.w.WriteByte(byte(z.bits >> 24))
		z.bits <<= 8
		z.nbits -= 8
	}
}

// Write encodes p.
func (z *LZWWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if z.cur < 0 {
			z.cur = int(c)
			continue
		}
		if code := z.table[z.cur][c]; code != 0 {
			z.cur = int(code)
			continue
		}
		z.emit(z.cur)
		z.table[z.cur][c] = uint16(z.next)
		z.next++
		// The decoder adds its entry one code later than the encoder: widen when it will.
		if z.next+z.early > 1<<z.width && z.width < 12 {
			z.width++
		}
		if z.next >= 4094 {
			z.clear()
		}
		z.cur = int(c)
	}
	return len(p), nil
}

// Close writes the last code and the end code; it does not close w.
func (z *LZWWriter) Close() error {
	if z.cur >= 0 {
		z.emit(z.cur)
		z.next++
		if z.next+z.early > 1<<z.width && z.width < 12 {
			z.width++
		}
	}
	z.emit(257)
	if z.nbits > 0 {
		z.w.WriteByte(byte(z.bits >> 24))
	}
	return z.w.Flush()
}

// RunLengthWriter encodes RunLengthDecode data onto w: runs of one byte as a repeat, the rest
// as literal pieces of up to 128 bytes; Close writes the end marker.
type RunLengthWriter struct {
	w   *bufio.Writer
	lit []byte
	b   byte
	run int
}

// NewRunLengthWriter returns a writer that encodes onto w.
func NewRunLengthWriter(w io.Writer) *RunLengthWriter {
	return &RunLengthWriter{w: bufio.NewWriter(w)}
}

// Write encodes p.
func (r *RunLengthWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if r.run > 0 && c == r.b && r.run < 128 {
			r.run++
			continue
		}
		r.flushRun()
		r.b, r.run = c, 1
	}
	return len(p), nil
}

// flushRun writes the run being counted: as a repeat when it is long enough to gain, else into
// the literal piece.
func (r *RunLengthWriter) flushRun() {
	if r.run >= 3 {
		r.flushLiteral()
		r.w.WriteByte(byte(257 - r.run))
		r.w.WriteByte(r.b)
	} else {
		for range r.run {
			r.lit = append(r.lit, r.b)
			if len(r.lit) == 128 {
				r.flushLiteral()
			}
		}
	}
	r.run = 0
}

func (r *RunLengthWriter) flushLiteral() {
	if len(r.lit) > 0 {
		r.w.WriteByte(byte(len(r.lit) - 1))
		r.w.Write(r.lit)
		r.lit = r.lit[:0]
	}
}

// Close writes what is left and the end marker; it does not close w.
func (r *RunLengthWriter) Close() error {
	r.flushRun()
	r.flushLiteral()
	r.w.WriteByte(128)
	return r.w.Flush()
}
