package pdf

import (
	"math"
	"strings"

	"github.com/passbookhq/passbook"
)

// char is one character of a page, in page coordinates, as the word builder sees it.
type char struct {
	r         rune
	box       passbook.Box // loose box: advance width × font ascent/descent
	base      float64      // baseline: y for horizontal text, x for vertical text
	rot       int          // direction of the text, degrees counter-clockwise
	space     bool         // a space or line break in the text…
	generated bool         // …that PDFium inserted itself (not in the file)
	obj       *textObj
}

// Word-splitting thresholds, as fractions of the font size.
const (
	wordGap      = 0.1  // a horizontal gap wider than this separates words (poppler uses the same)
	numberGap    = 0.3  // …but inside a number ("1,234.56") glyphs join across up to this gap
	overlapBack  = 0.5  // a step backwards of more than this starts a new word
	baselineStep = 0.2  // a baseline change of more than this starts a new word
	sizeStep     = 0.15 // relative font size change that starts a new word
)

// buildWords groups characters into words. Spaces in the file end words; spaces PDFium
// generated do not, since it inserts them inside words on pages that position every glyph (as
// Chromium's do); gaps between glyphs, baseline and size changes end words instead. It returns
// each word with the text object of its first character.
func buildWords(chars []char) ([]Word, []*textObj) {
	var (
		words []Word
		objs  []*textObj
		cur   []char
		sb    strings.Builder
	)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		first := cur[0]
		sb.Reset()
		bx := first.box
		hidden := true
		for _, c := range cur {
			sb.WriteRune(c.r)
			bx = union(bx, c.box)
			if c.obj == nil || !c.obj.invisible {
				hidden = false
			}
		}
		wd := Word{Text: sb.String(), Box: clean(bx), Baseline: round3(first.base), Rotation: first.rot, Hidden: hidden}
		if o := first.obj; o != nil {
			wd.Font, wd.Size, wd.Color = o.font, round3(o.size), o.color
		}
		words = append(words, wd)
		objs = append(objs, first.obj)
		if objs[len(objs)-1] == nil {
			objs[len(objs)-1] = &textObj{order: -1}
		}
		cur = cur[:0]
	}
	for i, c := range chars {
		if c.space {
			if !c.generated {
				flush()
			}
			continue
		}
		if len(cur) > 0 && !joins(cur, c, chars[i+1:]) {
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return words, objs
}

// following returns up to n non-space characters from rest, stopping at a space in the file.
func following(rest []char, n int) []char {
	var out []char
	for _, c := range rest {
		if len(out) == n {
			break
		}
		if c.space {
			if !c.generated {
				break
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// joins reports whether c continues the word cur; rest are the characters after c.
func joins(cur []char, c char, rest []char) bool {
	p := cur[len(cur)-1]
	if p.rot != c.rot {
		return false
	}
	size := math.Max(fontSize(p), fontSize(c))
	if math.Abs(fontSize(p)-fontSize(c)) > sizeStep*size {
		return false
	}
	if math.Abs(p.base-c.base) > baselineStep*size {
		return false
	}
	gap := advanceGap(p, c)
	if gap < -overlapBack*size {
		return false
	}
	if gap <= wordGap*size {
		return true
	}
	// Inside a number, glyphs set slightly apart still join: "349" ".87" on pages that place
	// every glyph, or a grouping comma. A comma followed by a space and a year ("1, 2026") is
	// not a number.
	if gap <= numberGap*size {
		next := following(rest, 4)
		if isDigit(p.r) && isNumberSep(c.r) && len(next) > 0 && isDigit(next[0].r) {
			return true
		}
		if isNumberSep(p.r) && isDigit(c.r) && len(cur) >= 2 && isDigit(cur[len(cur)-2].r) {
			return p.r != ',' || digitRun(next) <= 3
		}
	}
	return false
}

// advanceGap is the distance from the end of p to the start of c along the text direction.
func advanceGap(p, c char) float64 {
	switch c.rot {
	case 90: // bottom to top
		return p.box.Y0 - c.box.Y1
	case 180:
		return p.box.X0 - c.box.X1
	case 270:
		return c.box.Y0 - p.box.Y1
	}
	return c.box.X0 - p.box.X1
}

func fontSize(c char) float64 {
	if c.obj != nil && c.obj.size > 0 {
		return c.obj.size
	}
	if c.rot == 90 || c.rot == 270 {
		return c.box.X1 - c.box.X0
	}
	return c.box.Y1 - c.box.Y0
}

// digitRun counts the digits of a run that starts with a digit and goes on through next.
func digitRun(next []char) int {
	n := 1
	for _, d := range next {
		if !isDigit(d.r) {
			break
		}
		n++
	}
	return n
}

func isDigit(r rune) bool     { return r >= '0' && r <= '9' }
func isNumberSep(r rune) bool { return r == '.' || r == ',' || r == '-' || r == '\u2212' }

func round3(v float64) float64 { return math.Round(finite(v)*1000) / 1000 }
