package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/passbookhq/passbook/pdf"
)

// Errors of image decoding, for callers that tell the user what is wrong with a file.
var (
	ErrNotImage     = errors.New("not an image file Passbook reads (JPEG, PNG, BMP or TIFF)")
	ErrImageDamaged = errors.New("the image file is damaged and cannot be read")
	ErrImageTooBig  = errors.New("the image is too large")
	errTooManyPages = fmt.Errorf("%w: too many pages", ErrImageTooBig)
)

// Format returns the image format of data by its magic bytes: "jpeg", "png", "bmp", "tiff", or
// "" for none of them.
func Format(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	case len(data) >= 14 && data[0] == 'B' && data[1] == 'M':
		return "bmp"
	}
	return ""
}

// Limits bound what one image file may make the decoder allocate.
type Limits struct {
	MaxPixels int64 // per page; 0 means DefaultMaxPixels
	MaxPages  int   // per file (multi-page TIFF); 0 means DefaultMaxPages
}

// Defaults of Limits: 60 megapixels is a 24-megapixel phone photo with room to spare, or an A4
// page scanned at 600 dpi (35 megapixels); a decoded page costs at most that many bytes in gray.
const (
	DefaultMaxPixels = 60_000_000
	DefaultMaxPages  = 200
)

func (l Limits) withDefaults() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	return l
}

// Bitmap is one decoded page in gray, with the resolution its file declares (0 when none).
type Bitmap struct {
	Gray *image.Gray
	DPI  float64
}

// Inspect reads an image file's header, metadata and page sizes without decoding pixels, and
// refuses a file whose pages are larger than the limits (a decompression bomb: a small file
// claiming a huge size) before anything is allocated for them.
func Inspect(data []byte, lim Limits) (*pdf.ImageFile, error) {
	lim = lim.withDefaults()
	info := &pdf.ImageFile{Format: Format(data), Metadata: map[string]string{}, Pages: 1}
	var cfg image.Config
	var err error
	switch info.Format {
	case "jpeg":
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		if err == nil {
			jpegInfo(data, info)
		}
	case "png":
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
		if err == nil {
			pngInfo(data, info)
		}
	case "bmp":
		cfg, err = bmp.DecodeConfig(bytes.NewReader(data))
		if err == nil && len(data) >= 42 {
			if ppm := int32(binary.LittleEndian.Uint32(data[38:42])); ppm > 0 {
				info.DPI = float64(ppm) * 0.0254
			}
		}
	case "tiff":
		var offs []uint32
		var dpis []float64
		offs, dpis, err = tiffPages(data, lim.MaxPages)
		if errors.Is(err, ErrImageTooBig) {
			return nil, fmt.Errorf("%w: more than %d pages", ErrImageTooBig, lim.MaxPages)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrImageDamaged, err)
		}
		order, _, _ := tiffHeader(data)
		for i, off := range offs {
			c, err := tiff.DecodeConfig(newTIFFPage(data, order, off))
			if err != nil {
				return nil, fmt.Errorf("%w: page %d: %v", ErrImageDamaged, i+1, err)
			}
			if err := checkSize(c, lim, i+1); err != nil {
				return nil, err
			}
			if i == 0 {
				cfg = c
			}
		}
		info.Pages, info.DPI = len(offs), dpis[0]
		exifFields(data, info.Metadata)
	default:
		return nil, ErrNotImage
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImageDamaged, err)
	}
	if err := checkSize(cfg, lim, 1); err != nil {
		return nil, err
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if info.DPI < 1 || info.DPI > 10000 || math.IsNaN(info.DPI) {
		info.DPI = 0
	}
	return info, nil
}

func checkSize(c image.Config, lim Limits, page int) error {
	if c.Width <= 0 || c.Height <= 0 {
		return fmt.Errorf("%w: page %d has no pixels", ErrImageDamaged, page)
	}
	if int64(c.Width)*int64(c.Height) > lim.MaxPixels {
		return fmt.Errorf("%w: %d×%d pixels, more than the limit of %d megapixels", ErrImageTooBig, c.Width, c.Height, lim.MaxPixels/1_000_000)
	}
	return nil
}

// Decode decodes the pages of an image file to gray bitmaps, after Inspect has checked its
// sizes. A panic in a decoder (a hostile file) is a damaged file, not a crash.
func Decode(data []byte, lim Limits) (info *pdf.ImageFile, pages []Bitmap, err error) {
	info, err = Inspect(data, lim)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			info, pages, err = nil, nil, fmt.Errorf("%w: decoder failed: %v", ErrImageDamaged, r)
		}
	}()
	decode := func(r io.Reader) (image.Image, error) {
		switch info.Format {
		case "jpeg":
			return jpeg.Decode(r)
		case "png":
			return png.Decode(r)
		case "bmp":
			return bmp.Decode(r)
		}
		return tiff.Decode(r)
	}
	if info.Format != "tiff" {
		img, err := decode(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrImageDamaged, err)
		}
		return info, []Bitmap{{Gray: toGray(img), DPI: info.DPI}}, nil
	}
	offs, dpis, err := tiffPages(data, lim.withDefaults().MaxPages)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrImageDamaged, err)
	}
	order, _, _ := tiffHeader(data)
	for i, off := range offs {
		img, err := decode(newTIFFPage(data, order, off))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: page %d: %v", ErrImageDamaged, i+1, err)
		}
		pages = append(pages, Bitmap{Gray: toGray(img), DPI: dpis[i]})
	}
	return info, pages, nil
}

// toGray converts an image to 8-bit gray (luma), transparent pixels over white.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		if b.Min == (image.Point{}) {
			return m
		}
	case *image.YCbCr:
		g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], m.Y[off:off+b.Dx()])
		}
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		row := g.Pix[y*g.Stride:]
		for x := range b.Dx() {
			r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			// Composite over white, then luma (ITU-R 601, as color.GrayModel).
			w := 0xffff - a
			r, gg, bb = r+w, gg+w, bb+w
			row[x] = uint8((19595*r + 38470*gg + 7471*bb + 1<<15) >> 24)
		}
	}
	return g
}

// jpegInfo reads a JPEG's markers up to the image data: JFIF density, EXIF, quantisation
// tables, progressive mode and sampling.
func jpegInfo(b []byte, info *pdf.ImageFile) {
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return
		}
		marker := b[i+1]
		if marker == 0xFF {
			i++
			continue
		}
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return
		}
		seg := b[i+4 : i+2+n]
		switch {
		case marker == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")) && len(seg) >= 12:
			unit, x := seg[7], float64(binary.BigEndian.Uint16(seg[8:]))
			switch unit {
			case 1:
				info.DPI = x
			case 2:
				info.DPI = x * 2.54
			}
		case marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			if dpi := exifFields(seg[6:], info.Metadata); info.DPI == 0 && dpi > 0 {
				info.DPI = dpi
			}
		case marker == 0xFE:
			if c := strings.TrimSpace(strings.ToValidUTF8(string(seg), "")); c != "" && len(c) < 512 {
				info.Metadata["Comment"] = c
			}
		case marker == 0xDB:
			readDQT(seg, info)
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2:
			info.Progressive = marker == 0xC2
			if len(seg) >= 9 && seg[5] > 0 {
				s := seg[7]
				info.Subsampling = fmt.Sprintf("%dx%d", s>>4, s&15)
			}
		case marker == 0xDA:
			return
		}
		i += 2 + n
	}
}

// readDQT reads one DQT segment's tables; the first table (luminance) gives the quality.
func readDQT(seg []byte, info *pdf.ImageFile) {
	for len(seg) > 0 && len(info.QuantTables) < 4 {
		prec, id := seg[0]>>4, seg[0]&15
		size := 64
		if prec == 1 {
			size = 128
		}
		if len(seg) < 1+size {
			return
		}
		var t [64]uint16
		for k := range 64 {
			if prec == 1 {
				t[k] = binary.BigEndian.Uint16(seg[1+2*k:])
			} else {
				t[k] = uint16(seg[1+k])
			}
		}
		info.QuantTables = append(info.QuantTables, t)
		if id == 0 {
			info.Quality = ijgQuality(t)
		}
		seg = seg[1+size:]
	}
}

// ijgLuminance is the standard luminance table of the JPEG specification (Annex K), in
// zig-zag order as DQT stores it.
var ijgLuminance = [64]uint16{
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
}

// ijgQuality returns the IJG quality (1–100) whose scaled standard table is t, or 0 when t
// is not such a table (another encoder's own tables).
func ijgQuality(t [64]uint16) int {
	for q := 1; q <= 100; q++ {
		scale := 5000 / q
		if q >= 50 {
			scale = 200 - 2*q
		}
		ok := true
		for k, base := range ijgLuminance {
			v := (int(base)*scale + 50) / 100
			v = min(max(v, 1), 255)
			if int(t[k]) != v {
				ok = false
				break
			}
		}
		if ok {
			return q
		}
	}
	return 0
}

// pngInfo reads a PNG's pHYs, eXIf and text chunks.
func pngInfo(b []byte, info *pdf.ImageFile) {
	i := 8
	for i+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 {
			return
		}
		data := b[i+8 : i+8+n]
		switch typ {
		case "pHYs":
			if n >= 9 && data[8] == 1 {
				info.DPI = float64(binary.BigEndian.Uint32(data)) * 0.0254
			}
		case "eXIf":
			exifFields(data, info.Metadata)
		case "tEXt":
			if k, v, ok := bytes.Cut(data, []byte{0}); ok && len(k) > 0 && len(k) < 80 && len(v) < 512 {
				info.Metadata[string(k)] = strings.TrimSpace(strings.ToValidUTF8(string(v), ""))
			}
		case "iTXt":
			// keyword, NUL, compression flag, method, language NUL, translated keyword NUL, text
			if k, rest, ok := bytes.Cut(data, []byte{0}); ok && len(rest) >= 2 && rest[0] == 0 && len(k) < 80 {
				parts := bytes.SplitN(rest[2:], []byte{0}, 3)
				if len(parts) == 3 && len(parts[2]) < 512 {
					info.Metadata[string(k)] = strings.TrimSpace(strings.ToValidUTF8(string(parts[2]), ""))
				}
			}
		case "IDAT", "IEND":
			if typ == "IEND" {
				return
			}
		}
		i += 12 + n
	}
}
