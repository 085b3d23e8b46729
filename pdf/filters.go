package pdf

import (
	"bufio"
	"io"
)

// The budget scan's decoders for the filters that are not in the standard library: LZWDecode
// and RunLengthDecode. Both are readers that decode piece by piece, so a stream that would
// decode to gigabytes is counted without ever being held.

// lzwReader decodes PDF's LZWDecode: codes of 9 to 12 bits, most significant bit first, 256
// clears the table and 257 ends the data. With early change (PDF's default) the code width
// grows one code before the table needs it, as TIFF does; without it, as GIF does.
type lzwReader struct {
	r     *bufio.Reader
	early int

	bits  uint32 // bits read and not yet used, the oldest highest
	nbits uint
	width uint
	next  int // the code the next table entry gets
	prev  int // the previous code, -1 after a clear

	prefix [4096]uint16
	suffix [4096]byte
	first  [4096]byte
	length [4096]uint16

	buf     [4096]byte
	pending []byte
	done    bool
}

const (
	lzwClear = 256
	lzwEnd   = 257
)

func newLZWReader(r io.Reader, earlyChange bool) *lzwReader {
	z := &lzwReader{r: bufio.NewReader(r)}
	if earlyChange {
		z.early = 1
	}
	for i := range 256 {
		z.suffix[i], z.first[i], z.length[i] = byte(i), byte(i), 1
	}
	z.reset()
	return z
}

func (z *lzwReader) reset() { z.width, z.next, z.prev = 9, 258, -1 }

func (z *lzwReader) Read(p []byte) (int, error) {
	for len(z.pending) == 0 {
		if z.done {
			return 0, io.EOF
		}
		z.step()
	}
	n := copy(p, z.pending)
	z.pending = z.pending[n:]
	return n, nil
}

// step decodes one code into pending, or ends the data.
func (z *lzwReader) step() {
	for z.nbits < z.width {
		c, err := z.r.ReadByte()
		if err != nil {
			z.done = true
			return
		}
		z.bits |= uint32(c) << (24 - z.nbits)
		z.nbits += 8
	}
	code := int(z.bits >> (32 - z.width))
	z.bits <<= z.width
	z.nbits -= z.width
	switch {
	case code == lzwClear:
		z.reset()
		return
	case code == lzwEnd:
		z.done = true
		return
	case z.prev < 0:
		if code > 255 {
			z.done = true // broken data: the first code after a clear is a byte
			return
		}
		z.buf[0] = byte(code)
		z.pending = z.buf[:1]
		z.prev = code
		return
	case code > z.next || code == z.next && z.next >= len(z.prefix):
		z.done = true // a code the table does not hold yet
		return
	}
	// The new entry is the previous string and the first byte of this one (of the previous one
	// itself when the code is the entry being made).
	firstByte := z.first[z.prev]
	if code < z.next {
		firstByte = z.first[code]
	}
	if z.next < len(z.prefix) {
		z.prefix[z.next] = uint16(z.prev)
		z.suffix[z.next] = firstByte
		z.first[z.next] = z.first[z.prev]
		z.length[z.next] = z.length[z.prev] + 1
		z.next++
		if z.next+z.early >= 1<<z.width && z.width < 12 {
			z.width++
		}
	}
	n := int(z.length[code])
	for i, c := n-1, code; i >= 0; i-- {
		z.buf[i] = z.suffix[c]
		c = int(z.prefix[c])
	}
	z.pending = z.buf[:n]
	z.prev = code
}

// runLengthReader decodes RunLengthDecode: a length byte n then n+1 bytes to copy (n < 128),
// or one byte to repeat 257-n times (n > 128); 128 ends the data.
type runLengthReader struct {
	r      *bufio.Reader
	copy   int  // bytes still to copy from the input
	repeat int  // times still to write b
	b      byte // the byte being repeated
	done   bool
}

func (r *runLengthReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !r.done {
		switch {
		case r.repeat > 0:
			k := min(r.repeat, len(p)-n)
			for i := range k {
				p[n+i] = r.b
			}
			n += k
			r.repeat -= k
		case r.copy > 0:
			c, err := r.r.ReadByte()
			if err != nil {
				r.done = true
				break
			}
			p[n] = c
			n++
			r.copy--
		default:
			l, err := r.r.ReadByte()
			if err != nil || l == 128 {
				r.done = true
				break
			}
			if l < 128 {
				r.copy = int(l) + 1
				break
			}
			c, err := r.r.ReadByte()
			if err != nil {
				r.done = true
				break
			}
			r.b, r.repeat = c, 257-int(l)
		}
	}
	if n == 0 && r.done {
		return 0, io.EOF
	}
	return n, nil
}
