package ocr

import (
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

// A small reader of TIFF directories (IFDs), for what golang.org/x/image/tiff does not give:
// the pages after the first of a multi-page TIFF, resolution, and the EXIF tags a JPEG or PNG
// carries in the same structure.

var errTIFF = errors.New("malformed TIFF structure")

// maxIFDs bounds the directories followed in one chain (the pages of a TIFF).
const maxIFDs = 1000

type tiffEntry struct {
	typ   uint16
	count uint32
	value []byte // the entry's bytes (inline or at its offset), length checked
}

type tiffDir struct {
	order   binary.ByteOrder
	entries map[uint16]tiffEntry
}

// tiffHeader returns the byte order and the offset of the first IFD.
func tiffHeader(b []byte) (binary.ByteOrder, uint32, error) {
	if len(b) < 8 {
		return nil, 0, errTIFF
	}
	var order binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return nil, 0, errTIFF
	}
	return order, order.Uint32(b[4:8]), nil
}

var tiffTypeSize = map[uint16]uint32{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}

// readIFD reads the directory at off and returns it with the offset of the next one.
func readIFD(b []byte, order binary.ByteOrder, off uint32) (tiffDir, uint32, error) {
	d := tiffDir{order: order, entries: map[uint16]tiffEntry{}}
	if uint64(off)+2 > uint64(len(b)) {
		return d, 0, errTIFF
	}
	n := uint32(order.Uint16(b[off:]))
	end := uint64(off) + 2 + 12*uint64(n)
	if end+4 > uint64(len(b)) {
		return d, 0, errTIFF
	}
	for i := range n {
		e := b[off+2+12*i:]
		tag, typ, count := order.Uint16(e), order.Uint16(e[2:]), order.Uint32(e[4:])
		size, ok := tiffTypeSize[typ]
		if !ok || count > 1<<20 {
			continue
		}
		total := uint64(size) * uint64(count)
		var val []byte
		if total <= 4 {
			val = e[8 : 8+total]
		} else {
			at := uint64(order.Uint32(e[8:]))
			if at+total > uint64(len(b)) {
				continue
			}
			val = b[at : at+total]
		}
		d.entries[tag] = tiffEntry{typ: typ, count: count, value: val}
	}
	return d, order.Uint32(b[end:]), nil
}

// ascii returns an ASCII tag's text.
func (d tiffDir) ascii(tag uint16) string {
	e, ok := d.entries[tag]
	if !ok || e.typ != 2 {
		return ""
	}
	s := string(e.value)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(strings.ToValidUTF8(s, ""))
}

// uint returns a SHORT or LONG tag's first value.
func (d tiffDir) uint(tag uint16) (uint32, bool) {
	e, ok := d.entries[tag]
	if !ok || e.count == 0 {
		return 0, false
	}
	switch e.typ {
	case 3:
		return uint32(d.order.Uint16(e.value)), true
	case 4:
		return d.order.Uint32(e.value), true
	}
	return 0, false
}

// rational returns a RATIONAL tag's first value.
func (d tiffDir) rational(tag uint16) (float64, bool) {
	e, ok := d.entries[tag]
	if !ok || e.typ != 5 || e.count == 0 {
		return 0, false
	}
	num, den := d.order.Uint32(e.value), d.order.Uint32(e.value[4:])
	if den == 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}

// dpi returns the resolution a directory declares (XResolution and ResolutionUnit), in dots
// per inch, or 0.
func (d tiffDir) dpi() float64 {
	x, ok := d.rational(282)
	if !ok || x <= 0 {
		return 0
	}
	unit, ok := d.uint(296)
	if !ok {
		unit = 2
	}
	switch unit {
	case 2:
		return x
	case 3:
		return x * 2.54
	}
	return 0
}

// TIFF and EXIF tags read into the document's metadata.
var exifTags = []struct {
	tag  uint16
	name string
}{
	{0x010F, "Make"}, {0x0110, "Model"}, {0x0131, "Software"}, {0x0132, "DateTime"},
	{0x013B, "Artist"}, {0x8298, "Copyright"}, {0x010E, "ImageDescription"},
}

var exifSubTags = []struct {
	tag  uint16
	name string
}{
	{0x9003, "DateTimeOriginal"}, {0x9004, "DateTimeDigitized"},
}

// exifFields reads the interesting tags of a TIFF-structured block (a TIFF file, or the payload
// of a JPEG's Exif APP1 segment or a PNG's eXIf chunk) into m, and returns the resolution its
// first directory declares.
func exifFields(b []byte, m map[string]string) float64 {
	order, off, err := tiffHeader(b)
	if err != nil {
		return 0
	}
	d, _, err := readIFD(b, order, off)
	if err != nil {
		return 0
	}
	for _, t := range exifTags {
		if v := d.ascii(t.tag); v != "" {
			m[t.name] = v
		}
	}
	if sub, ok := d.uint(0x8769); ok {
		if sd, _, err := readIFD(b, order, sub); err == nil {
			for _, t := range exifSubTags {
				if v := sd.ascii(t.tag); v != "" {
					m[t.name] = v
				}
			}
		}
	}
	return d.dpi()
}

// tiffPages returns the offsets of the directories of a TIFF file, one per page, and each
// page's declared resolution.
func tiffPages(b []byte, maxPages int) ([]uint32, []float64, error) {
	order, off, err := tiffHeader(b)
	if err != nil {
		return nil, nil, err
	}
	var offs []uint32
	var dpis []float64
	seen := map[uint32]bool{}
	for off != 0 && len(seen) < maxIFDs {
		if seen[off] {
			break // a loop in the chain
		}
		seen[off] = true
		d, next, err := readIFD(b, order, off)
		if err != nil {
			if len(offs) == 0 {
				return nil, nil, err
			}
			break
		}
		// Reduced-resolution images (thumbnails) are not pages.
		if sub, _ := d.uint(254); sub&1 == 0 {
			if len(offs) >= maxPages {
				return nil, nil, errTooManyPages
			}
			offs = append(offs, off)
			dpis = append(dpis, d.dpi())
		}
		off = next
	}
	if len(offs) == 0 {
		return nil, nil, errTIFF
	}
	return offs, dpis, nil
}

// tiffPage is a TIFF file seen with its header pointing at another directory, so that a decoder
// that reads only the first page reads that one. (Offsets in TIFF are absolute, so nothing else
// moves.) It reads without copying the file.
type tiffPage struct {
	b    []byte
	head [8]byte
	pos  int64
}

func newTIFFPage(b []byte, order binary.ByteOrder, off uint32) *tiffPage {
	p := &tiffPage{b: b}
	copy(p.head[:4], b[:4])
	order.PutUint32(p.head[4:], off)
	return p
}

func (p *tiffPage) ReadAt(dst []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errTIFF
	}
	if off >= int64(len(p.b)) {
		return 0, io.EOF
	}
	n := copy(dst, p.b[off:])
	for i := off; i < 8 && i < off+int64(n); i++ {
		dst[i-off] = p.head[i]
	}
	if n < len(dst) {
		return n, io.EOF
	}
	return n, nil
}

func (p *tiffPage) Read(dst []byte) (int, error) {
	n, err := p.ReadAt(dst, p.pos)
	p.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}
