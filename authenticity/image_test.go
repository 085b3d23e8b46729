package authenticity

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/statement"
)

// page draws a statement-like page as a camera or scanner sees it: paper with sensor noise and
// rows of dark strokes; noise 0 draws it as software renders it.
func page(w, h int, noise float64, seed uint64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, 1))
	im := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 235 + r.NormFloat64()*noise
			if (y/14)%3 == 1 && (x/7)%5 != 0 && (x*7+y*3)%11 < 6 {
				v = 40 + r.NormFloat64()*noise*3
			}
			im.Pix[y*w+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	return im
}

func encodeJPEG(t *testing.T, im image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, im, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifTag is one ASCII tag of an EXIF block; sub puts it in the Exif sub-directory.
type exifTag struct {
	tag   uint16
	value string
	sub   bool
}

// exifBlock writes a little-endian TIFF structure holding the tags, as a camera writes EXIF.
func exifBlock(tags []exifTag) []byte {
	var main, sub []exifTag
	for _, t := range tags {
		if t.sub {
			sub = append(sub, t)
		} else {
			main = append(main, t)
		}
	}
	le := binary.LittleEndian
	var out []byte
	out = append(out, 'I', 'I', 42, 0, 8, 0, 0, 0)
	// Directory sizes: 2 + 12 per entry + 4; the Exif pointer is one more entry in IFD0.
	n0 := len(main)
	if len(sub) > 0 {
		n0++
	}
	ifd0 := 8
	subAt := ifd0 + 2 + 12*n0 + 4
	dataAt := subAt
	if len(sub) > 0 {
		dataAt += 2 + 12*len(sub) + 4
	}
	var data []byte
	dir := func(ts []exifTag, extra func([]byte) []byte) []byte {
		var d []byte
		cnt := len(ts)
		if extra != nil {
			cnt++
		}
		d = le.AppendUint16(d, uint16(cnt))
		for _, t := range ts {
			v := append([]byte(t.value), 0)
			d = le.AppendUint16(d, t.tag)
			d = le.AppendUint16(d, 2) // ASCII
			d = le.AppendUint32(d, uint32(len(v)))
			if len(v) <= 4 {
				d = append(d, append(v, make([]byte, 4-len(v))...)...)
			} else {
				d = le.AppendUint32(d, uint32(dataAt+len(data)))
				data = append(data, v...)
			}
		}
		if extra != nil {
			d = extra(d)
		}
		return le.AppendUint32(d, 0)
	}
	out = append(out, dir(main, func(d []byte) []byte {
		if len(sub) == 0 {
			return d
		}
		d = le.AppendUint16(d, 0x8769)
		d = le.AppendUint16(d, 4) // LONG
		d = le.AppendUint32(d, 1)
		return le.AppendUint32(d, uint32(subAt))
	})...)
	if len(sub) > 0 {
		out = append(out, dir(sub, nil)...)
	}
	return append(out, data...)
}

// withEXIF inserts an Exif APP1 segment after a JPEG's SOI marker.
func withEXIF(jpg []byte, tags []exifTag) []byte {
	payload := append([]byte("Exif\x00\x00"), exifBlock(tags)...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte(nil), jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// withPNGChunks inserts chunks after a PNG's IHDR chunk.
func withPNGChunks(p []byte, chunks ...[]byte) []byte {
	ihdrEnd := 8 + 12 + int(binary.BigEndian.Uint32(p[8:]))
	out := append([]byte(nil), p[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[ihdrEnd:]...)
}

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

func pHYs(dpi float64) []byte {
	ppm := uint32(dpi / 0.0254)
	d := binary.BigEndian.AppendUint32(nil, ppm)
	d = binary.BigEndian.AppendUint32(d, ppm)
	return pngChunk("pHYs", append(d, 1))
}

var phone = []exifTag{{0x010F, "Apple", false}, {0x0110, "iPhone 14", false}, {0x0131, "17.1.2", false},
	{0x0132, "2026:04:02 18:31:07", false}, {0x9003, "2026:04:02 18:31:07", true}}

// TestImageSignals checks the image family on images made here, read by the OCR package's own
// header reader (no OCR runs): genuine photos and scans get no signal, each forgery its own.
func TestImageSignals(t *testing.T) {
	st := &statement.Result{PeriodStart: passbook.NewDate(2026, 3, 1), PeriodEnd: passbook.NewDate(2026, 3, 31)}
	noisy := page(640, 820, 3, 1)
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, page(640, 820, 0, 2))
	screen := pngBuf.Bytes()
	var scanBuf bytes.Buffer
	png.Encode(&scanBuf, noisy)
	first, err := jpeg.Decode(bytes.NewReader(encodeJPEG(t, noisy, 55)))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		want []string // codes that must be found; no other image code may be
	}{
		{"phone photo", withEXIF(encodeJPEG(t, noisy, 90), phone), nil},
		{"scanner JPEG", withEXIF(encodeJPEG(t, noisy, 85), []exifTag{{0x010F, "Canon", false}, {0x0110, "DR-C225", false}, {0x0131, "CaptureOnTouch", false}}), nil},
		// A scanner that whitens the background renders paper as one grey level: no camera is
		// named, so that is not a signal.
		{"scan with a white background, no camera", encodeJPEG(t, page(640, 820, 0, 3), 90), nil},
		{"scanned PNG", withPNGChunks(scanBuf.Bytes(), pHYs(300)), nil},
		{"an honest screenshot", withPNGChunks(screen, pngChunk("tEXt", []byte("Software\x00Greenshot"))), nil},
		{"an editor in EXIF", withEXIF(encodeJPEG(t, noisy, 90), append(slices.Clone(phone[:2]), exifTag{0x0131, "Adobe Photoshop 25.0 (Windows)", false})), []string{ImageEditor}},
		{"an editor in XMP history", append(withEXIF(encodeJPEG(t, noisy, 90), phone),
			[]byte(`<x:xmpmeta><rdf:li stEvt:action="saved" stEvt:softwareAgent="GIMP 2.10"/></x:xmpmeta>`)...), []string{ImageEditor}},
		{"saved twice", withEXIF(encodeJPEG(t, first, 90), phone), []string{ImageRecompressed}},
		{"written long after it was taken", withEXIF(encodeJPEG(t, noisy, 90), append(slices.Clone(phone[:3]),
			exifTag{0x0132, "2026:04:09 11:00:00", false}, exifTag{0x9003, "2026:04:02 18:31:07", true})), []string{ImageDates}},
		{"photographed before the period ended", withEXIF(encodeJPEG(t, noisy, 90), append(slices.Clone(phone[:3]),
			exifTag{0x9003, "2026:03:12 09:00:00", true})), []string{ImageDates}},
		{"a screenshot presented as a scan", withPNGChunks(screen, pngChunk("tEXt", []byte("Software\x00Greenshot")), pHYs(300)), []string{ImageScreenshot}},
		{"a rendered page presented as a photo", withEXIF(encodeJPEG(t, page(640, 820, 0, 4), 92), phone), []string{ImageScreenshot}},
	}
	imageCodes := []string{ImageEditor, ImageRecompressed, ImageScreenshot, ImageDates}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := ocr.Inspect(c.data, ocr.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			sigs := imageSignals(info, c.data, st, passbook.NewDate(2026, 4, 10))
			var got []string
			for _, s := range sigs {
				t.Logf("%s %s %s", s.Code, s.Severity, s.Detail)
				if !slices.Contains(got, s.Code) {
					got = append(got, s.Code)
				}
			}
			for _, code := range imageCodes {
				if slices.Contains(c.want, code) != slices.Contains(got, code) {
					t.Errorf("%s: found %v, want %v (quality %d)", code, got, c.want, info.Quality)
				}
			}
			if len(c.want) == 0 {
				if a := Verdict(sigs); a.Verdict != passbook.Pass {
					t.Errorf("a genuine image gets %s", a.Verdict)
				}
			}
		})
	}
}

// TestScannedPagesNoTextSignals checks that words read by OCR are not judged as a text layer:
// their boxes wander and their font is the OCR's.
func TestScannedPagesNoTextSignals(t *testing.T) {
	data := fixtures()[0].build()
	in := input(t, "genuine.pdf", data)
	for i := range in.Doc.Pages {
		p := &in.Doc.Pages[i]
		p.Scanned = true
		for j := range p.Words {
			// OCR boxes: a few points off, every word in the OCR's pseudo-font.
			p.Words[j].Box.X1 += float64(j%3) * 1.5
			p.Words[j].Font = "OCR"
			p.Words[j].Hidden = j%2 == 0
		}
	}
	for _, s := range textSignals(in.Doc) {
		t.Errorf("a scanned page gets %s: %s", s.Code, s.Detail)
	}
}

// FuzzImageSignals feeds arbitrary bytes, read as an image file by the OCR package's header
// reader, to the image checks: whatever they hold, no panic and every signal has a code and detail.
func FuzzImageSignals(f *testing.F) {
	f.Add(withEXIF([]byte("\xff\xd8\xff\xd9"), phone))
	f.Add(withPNGChunks([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55"), pHYs(300)))
	f.Add([]byte(`<x:xmpmeta stEvt:softwareAgent="Photoshop"></x:xmpmeta>`))
	st := &statement.Result{PeriodEnd: passbook.NewDate(2026, 3, 31)}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ocr.Inspect(data, ocr.Limits{})
		if err != nil {
			return
		}
		for _, s := range imageSignals(info, data, st, passbook.NewDate(2026, 4, 10)) {
			if s.Code == "" || s.Detail == "" {
				t.Fatalf("signal without code or detail: %+v", s)
			}
		}
	})
}
