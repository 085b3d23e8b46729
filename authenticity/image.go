package authenticity

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// Image files — photos, scans and screenshots of statements — carry no PDF structure, but they
// say how they were made: EXIF and XMP name the camera or the software that last wrote them and
// when, a JPEG's quantisation leaves traces of every earlier save, and a rendered page differs
// from a captured one. None of these checks fires because a document is a scan: a scanner's or a
// phone's own file, saved once, gets no signal.

// ghostQualities are the JPEG qualities a picture is recompressed at to look for an earlier save.
var ghostQualities = []int{30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95}

// ghostSide is the side, in pixels, of the centre crop the recompression test reads: enough
// blocks to average over, little enough to take milliseconds.
const ghostSide = 384

// screenshotTools name screen-capture tools as they write themselves into PNG and EXIF fields.
var screenshotTools = []string{"screenshot", "screen shot", "snipping tool", "snip & sketch", "greenshot", "sharex", "lightshot", "flameshot", "spectacle", "gnome-screenshot", "capture d’écran", "capture d'écran"}

// xmpTool finds the tools an XMP packet names: the creator and every step of its history.
var xmpTool = regexp.MustCompile(`(?:xmp:CreatorTool|stEvt:softwareAgent)(?:\s*=\s*["']([^"']{1,200})["']|\s*>\s*([^<]{1,200})<)`)

// imageSignals reads the image family from an image file's own description and bytes.
func imageSignals(img *pdf.ImageFile, data []byte, st *statement.Result, today passbook.Date) []passbook.Signal {
	var out []passbook.Signal
	meta := img.Metadata

	// The software that wrote the file: EXIF Software, PNG text, a JPEG comment, XMP tools.
	seen := map[string]bool{}
	editor := func(where, v string) {
		if e, ok := findEditor(v); ok && !seen[e.Match] {
			seen[e.Match] = true
			out = append(out, signal(ImageEditor, e.Severity, 0, nil, "%s “%s” is an editing tool (%s)", where, clip(v, 80), e.Kind))
		}
	}
	for _, k := range []string{"Software", "Comment", "Creator", "Description", "ProcessingSoftware", "CreatorTool"} {
		editor(k, meta[k])
	}
	for _, m := range xmpTool.FindAllSubmatch(xmpPacket(data), 20) {
		editor("XMP", strings.TrimSpace(string(m[1])+string(m[2])))
	}

	// Dates: taken, digitised, last written.
	taken, tOK := exifDate(meta["DateTimeOriginal"])
	if !tOK {
		taken, tOK = exifDate(meta["DateTimeDigitized"])
	}
	written, wOK := exifDate(meta["DateTime"])
	if tOK && wOK && written.Sub(taken) > 2*time.Minute {
		out = append(out, signal(ImageDates, passbook.Low, 0, nil, "the image was written %s after it was taken (DateTimeOriginal %s, DateTime %s): it was saved again",
			humanDuration(written.Sub(taken)), taken.Format("2006-01-02 15:04"), written.Format("2006-01-02 15:04")))
	}
	for _, d := range []struct {
		name string
		t    time.Time
		ok   bool
	}{{"DateTimeOriginal", taken, tOK}, {"DateTime", written, wOK}} {
		if d.ok && passbook.DateOf(d.t).After(today.AddDays(1)) {
			out = append(out, signal(ImageDates, passbook.Medium, 0, nil, "EXIF %s %s is in the future", d.name, d.t.Format("2006-01-02 15:04")))
		}
	}
	if tOK && st != nil && !st.PeriodEnd.IsZero() {
		if c := passbook.DateOf(taken); c.AddDays(1).Before(st.PeriodEnd) {
			out = append(out, signal(ImageDates, passbook.Medium, 0, nil,
				"the picture was taken on %s, before the statement period it shows ended (%s)", c.ISO(), st.PeriodEnd.ISO()))
		}
	}

	// A JPEG saved twice at different qualities.
	if img.Format == "jpeg" {
		if q1, q2, ok := jpegGhost(data, img.Quality); ok {
			out = append(out, signal(ImageRecompressed, passbook.Medium, 0, nil,
				"the JPEG was saved at quality about %d after an earlier save at about %d: it was opened and saved again (an editor, or an app that recompresses)", q2, q1))
		}
	}

	// A screen capture presented as a scan or a photo.
	shot := ""
	for _, k := range []string{"Software", "Comment", "Description", "Title", "UserComment"} {
		if v := strings.ToLower(meta[k]); v != "" {
			for _, s := range screenshotTools {
				if strings.Contains(v, s) {
					shot = meta[k]
				}
			}
		}
	}
	if shot == "" && bytes.Contains(xmpPacket(data), []byte(">Screenshot<")) {
		shot = "XMP UserComment “Screenshot”"
	}
	device := strings.TrimSpace(meta["Make"] + " " + meta["Model"])
	switch {
	case shot != "" && (device != "" || img.DPI >= 200):
		claim := "a device “" + clip(device, 40) + "”"
		if device == "" {
			claim = fmt.Sprintf("a scanner's resolution (%.0f dpi)", img.DPI)
		}
		out = append(out, signal(ImageScreenshot, passbook.Medium, 0, nil,
			"the image is a screen capture (%s) but claims %s: a screenshot presented as a scan or a photo", clip(shot, 60), claim))
	case device != "" && tOK && rendered(data, img.Format, img.Quality):
		out = append(out, signal(ImageScreenshot, passbook.Medium, 0, nil,
			"the image names a camera (“%s”) but has none of a camera's noise: its background is perfectly uniform, as on a page rendered or captured from a screen", clip(device, 40)))
	}
	return out
}

// xmpPacket returns the XMP packet embedded in an image file, or nil.
func xmpPacket(data []byte) []byte {
	i := bytes.Index(data, []byte("<x:xmpmeta"))
	if i < 0 {
		return nil
	}
	j := bytes.Index(data[i:], []byte("</x:xmpmeta>"))
	if j < 0 || j > 1<<20 {
		return nil
	}
	return data[i : i+j]
}

// exifDate parses an EXIF date ("2006:01:02 15:04:05").
func exifDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.TrimRight(s, "\x00"))
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006:01:02 15:04:05", "2006-01-02 15:04:05", "2006:01:02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, t.Year() >= 1990
		}
	}
	return time.Time{}, false
}

// jpegGhost looks for an earlier save of a JPEG at a lower quality: the picture's centre is
// recompressed at every quality of ghostQualities and compared with itself. Saved once at
// quality Q, the difference falls steadily to nothing at Q; saved first at Q1 and then at Q2 >
// Q1, it also dips at Q1 (a "JPEG ghost": the blocks are already quantised at Q1's steps) and
// rises again before Q2. It returns Q1 and Q2 when the dip is deep and the rise after it clear.
func jpegGhost(data []byte, quality int) (q1, q2 int, ok bool) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return 0, 0, false
	}
	luma := lumaCrop(img)
	if luma == nil {
		return 0, 0, false
	}
	curve := make([]float64, len(ghostQualities))
	var buf bytes.Buffer
	for k, q := range ghostQualities {
		buf.Reset()
		if jpeg.Encode(&buf, luma, &jpeg.Options{Quality: q}) != nil {
			return 0, 0, false
		}
		re, err := jpeg.Decode(&buf)
		g, isGray := re.(*image.Gray)
		if err != nil || !isGray {
			return 0, 0, false
		}
		s := 0.0
		for i, v := range luma.Pix {
			d := float64(v) - float64(g.Pix[i])
			s += d * d
		}
		curve[k] = s / float64(len(luma.Pix))
	}
	// The last save's quality: the table's own when it is an IJG table, else where the curve
	// is lowest.
	last := 0
	for k := range curve {
		if curve[k] < curve[last] {
			last = k
		}
	}
	if quality > 0 {
		for k, q := range ghostQualities {
			if q <= quality {
				last = k
			}
		}
	}
	for k := 1; k+1 < last; k++ {
		if curve[k] >= curve[k-1] || curve[k] >= curve[k+1] {
			continue // not a dip
		}
		peak := 0.0
		for _, v := range curve[k+1 : last+1] {
			peak = max(peak, v)
		}
		if peak >= 5 && curve[k] < 0.35*peak && ghostQualities[last]-ghostQualities[k] >= 10 {
			q2 := ghostQualities[last]
			if quality > 0 {
				q2 = quality
			}
			return ghostQualities[k], q2, true
		}
	}
	return 0, 0, false
}

// lumaCrop returns the centre of img's luminance, aligned on the 8×8 blocks of the file, at most
// ghostSide pixels square; nil when the picture is too small to judge.
func lumaCrop(img image.Image) *image.Gray {
	var plane []byte
	var stride int
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		plane, stride = m.Y, m.YStride
	case *image.Gray:
		plane, stride = m.Pix, m.Stride
	}
	w, h := min(b.Dx(), ghostSide)&^7, min(b.Dy(), ghostSide)&^7
	if w < 64 || h < 64 {
		return nil
	}
	x0, y0 := ((b.Dx()-w)/2)&^7, ((b.Dy()-h)/2)&^7
	out := image.NewGray(image.Rect(0, 0, w, h))
	if plane == nil {
		// Another pixel format (PNG, BMP, TIFF): converted pixel by pixel, the crop is small.
		for y := range h {
			for x := range w {
				out.Pix[y*w+x] = color.GrayModel.Convert(img.At(b.Min.X+x0+x, b.Min.Y+y0+y)).(color.Gray).Y
			}
		}
		return out
	}
	for y := range h {
		copy(out.Pix[y*w:(y+1)*w], plane[(y0+y)*stride+x0:])
	}
	return out
}

// rendered reports whether the paper of a picture is perfectly flat: the 8×8 blocks without
// print (nearly one shade) are, nearly all, exactly one shade, which a camera's sensor never gives
// a sheet of paper — a page drawn by software, or captured from a screen. A JPEG saved below
// quality 85 is not judged: strong compression flattens paper too.
func rendered(data []byte, format string, quality int) bool {
	if format == "jpeg" && quality > 0 && quality < 85 {
		return false
	}
	var img image.Image
	var err error
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	default:
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return false
	}
	luma := lumaCrop(img)
	if luma == nil {
		return false
	}
	w, h := luma.Rect.Dx(), luma.Rect.Dy()
	blocks, flat, exact := 0, 0, 0
	for by := 0; by+8 <= h; by += 8 {
		for bx := 0; bx+8 <= w; bx += 8 {
			blocks++
			lo, hi := uint8(255), uint8(0)
			for y := by; y < by+8; y++ {
				for _, v := range luma.Pix[y*w+bx : y*w+bx+8] {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			if hi-lo <= 6 {
				flat++
				if hi == lo {
					exact++
				}
			}
		}
	}
	return flat >= blocks/5 && exact*10 >= flat*9
}
