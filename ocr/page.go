package ocr

import (
	"math"
	"slices"
	"sort"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// maxSkew is the largest skew corrected, in degrees: a page turned further is a photo taken
// askew, which Tesseract's line finding still follows, but whose geometry we do not trust.
const maxSkew = 5.0

// skew estimates the angle (radians, positive when lines run down to the right in image
// coordinates) of the page's text lines from the words' bottoms, line by line.
func skew(ws []TSVWord) float64 {
	type key struct{ b, p, l int }
	lines := map[key][]TSVWord{}
	for _, w := range ws {
		k := key{w.Block, w.Par, w.Line}
		lines[k] = append(lines[k], w)
	}
	type est struct{ angle, weight float64 }
	var ests []est
	for _, l := range lines {
		if len(l) < 3 {
			continue
		}
		// Least squares of bottom y on centre x.
		var sx, sy, sxx, sxy float64
		for _, w := range l {
			x := float64(w.Left) + float64(w.Width)/2
			y := float64(w.Top + w.Height)
			sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		}
		n := float64(len(l))
		d := n*sxx - sx*sx
		if d <= 0 {
			continue
		}
		span := float64(l[len(l)-1].Left+l[len(l)-1].Width-l[0].Left) + 1
		slope := (n*sxy - sx*sy) / d
		a := math.Atan(slope)
		if math.Abs(a) > maxSkew*math.Pi/180 {
			continue
		}
		ests = append(ests, est{a, span * n})
	}
	if len(ests) == 0 {
		return 0
	}
	// Weighted median: long lines of many words say the most.
	sort.Slice(ests, func(i, j int) bool { return ests[i].angle < ests[j].angle })
	var total float64
	for _, e := range ests {
		total += e.weight
	}
	acc := 0.0
	for _, e := range ests {
		acc += e.weight
		if acc >= total/2 {
			return e.angle
		}
	}
	return ests[len(ests)-1].angle
}

// toPage turns the words Tesseract read on a w×h bitmap into a page of the statement engine:
// coordinates in points (scale points per pixel), the skew taken out, each line's words on
// one baseline with a font size estimated from their height.
func toPage(number int, ws []TSVWord, w, h int, scale float64) pdf.Page {
	p := pdf.Page{Number: number, Width: round2(float64(w) * scale), Height: round2(float64(h) * scale), Scanned: true}
	p.Images = []passbook.Box{{X0: 0, Y0: 0, X1: p.Width, Y1: p.Height}}
	if len(ws) == 0 {
		return p
	}
	a := skew(ws)
	cos, sin := math.Cos(-a), math.Sin(-a)
	cx, cy := float64(w)/2, float64(h)/2
	rot := func(x, y float64) (float64, float64) {
		x, y = x-cx, y-cy
		return x*cos - y*sin + cx, x*sin + y*cos + cy
	}
	type word struct {
		TSVWord
		x0, x1, top, bottom float64 // deskewed, pixels
	}
	type key struct{ b, p, l int }
	var order []key
	lines := map[key][]word{}
	for _, t := range ws {
		mx, my := rot(float64(t.Left)+float64(t.Width)/2, float64(t.Top)+float64(t.Height)/2)
		wd := word{TSVWord: t, x0: mx - float64(t.Width)/2, x1: mx + float64(t.Width)/2, top: my - float64(t.Height)/2, bottom: my + float64(t.Height)/2}
		k := key{t.Block, t.Par, t.Line}
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = append(lines[k], wd)
	}
	for _, k := range order {
		l := lines[k]
		heights := make([]float64, len(l))
		bottoms := make([]float64, len(l))
		for i, wd := range l {
			heights[i], bottoms[i] = wd.bottom-wd.top, wd.bottom
		}
		slices.Sort(heights)
		slices.Sort(bottoms)
		// The tallest words of a line span ascender to descender, about 0.95 of the font size;
		// the 75th percentile skips the odd merged or broken box.
		size := heights[len(heights)*3/4] / 0.9
		base := bottoms[len(bottoms)/2]
		for _, wd := range l {
			b := base
			if math.Abs(wd.bottom-base) > 0.5*size {
				b = wd.bottom // not on the line's baseline: Tesseract joined two rows
			}
			p.Words = append(p.Words, pdf.Word{
				Text:       wd.Text,
				Box:        passbook.Box{X0: round2(wd.x0 * scale), Y0: round2((b - 0.75*size) * scale), X1: round2(wd.x1 * scale), Y1: round2((b + 0.22*size) * scale)},
				Baseline:   round2(b * scale),
				Size:       round2(size * scale),
				Color:      0x000000ff,
				Confidence: math.Round(wd.Conf*10) / 10,
				OCRText:    wd.Orig,
			})
		}
	}
	return p
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// meanConfidence is the mean word confidence of a page, words weighted by their length.
func meanConfidence(ws []TSVWord) float64 {
	var sum, n float64
	for _, w := range ws {
		l := float64(len([]rune(w.Text)))
		sum += w.Conf * l
		n += l
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
