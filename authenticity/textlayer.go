package authenticity

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// Thresholds of the text-layer checks, in points unless said otherwise.
const (
	// coverFraction is how much of a word's box a filled rectangle must cover to hide it.
	coverFraction = 0.6
	// columnReach bounds the distance between right edges of values of one column; within it,
	// values share a column when their horizontal extents overlap by half the narrower one.
	columnReach = 40.0
	// columnPages is how many pages before and after a value's own its column is taken from.
	columnPages = 1
	// alignedTolerance is the spread of right edges within which values are "aligned"; genuine
	// generators align to a hundredth of a point.
	alignedTolerance = 0.4
	// offAlignment is the smallest distance from the column's edge that counts as off it.
	offAlignment = 1.0
	// minColumn is how many aligned neighbours make a column worth comparing against.
	minColumn = 4
	// dominantShare is the share of a column that must agree on a font or size to make it the
	// norm, and rareShare the largest share of the column that may share the odd value's.
	dominantShare = 0.6
	rareShare     = 0.1
	// baselineTolerance is the spread of a row's baselines that still counts as one baseline, and
	// offBaseline the smallest distance from it that counts as off.
	baselineTolerance = 0.3
	offBaseline       = 0.8
	// sizeTolerance is the difference in font size that counts as another size.
	sizeTolerance = 0.3
	// scanCoverage is the share of a page that images must cover for it to be a scan, whose
	// invisible text is an OCR layer.
	scanCoverage = 0.5
	// maxPerCode caps the signals of one code per page, so that a broken page does not bury the
	// rest.
	maxPerCode = 5
)

// amountRe matches a printed amount: optional sign or parenthesis and currency, digits with
// optional grouping, and two decimals after a point or comma, with an optional trailing sign,
// parenthesis or CR/DR.
var amountRe = regexp.MustCompile(`^[-+−(]?[$€£¥]?[-−]?\d{1,3}(?:[,.' \x{00a0}\x{202f}]?\d{3})*[.,]\d{2}\)?(?:-|CR|DR|Cr|Dr)?$`)

func isAmount(s string) bool { return amountRe.MatchString(s) }

func endsInDigit(s string) bool {
	return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}

// family reduces a font name to its family: subset prefix, style and foundry suffixes removed,
// lower case ("ABCDEF+Arial-BoldMT" → "arial").
func family(font string) string {
	if i := strings.IndexByte(font, '+'); i == 6 {
		font = font[i+1:]
	}
	f := strings.ToLower(font)
	if i := strings.IndexAny(f, "-,"); i > 0 {
		f = f[:i]
	}
	for _, suf := range []string{"mt", "ps", "bold", "italic", "oblique", "regular"} {
		f = strings.TrimSuffix(f, suf)
	}
	return f
}

func area(b passbook.Box) float64 {
	w, h := b.X1-b.X0, b.Y1-b.Y0
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func intersect(a, b passbook.Box) passbook.Box {
	return passbook.Box{X0: math.Max(a.X0, b.X0), Y0: math.Max(a.Y0, b.Y0), X1: math.Min(a.X1, b.X1), Y1: math.Min(a.Y1, b.Y1)}
}

func unionBox(a, b passbook.Box) passbook.Box {
	return passbook.Box{X0: math.Min(a.X0, b.X0), Y0: math.Min(a.Y0, b.Y0), X1: math.Max(a.X1, b.X1), Y1: math.Max(a.Y1, b.Y1)}
}

// covered returns the share of w inside r.
func covered(w, r passbook.Box) float64 {
	if w.X1 <= r.X0 || w.X0 >= r.X1 || w.Y1 <= r.Y0 || w.Y0 >= r.Y1 {
		return 0
	}
	a := area(w)
	if a == 0 {
		return 0
	}
	return area(intersect(w, r)) / a
}

func opaque(c uint32) bool { return c&0xff == 0xff }

func light(c uint32) bool {
	r, g, b := c>>24&0xff, c>>16&0xff, c>>8&0xff
	return r >= 0xf0 && g >= 0xf0 && b >= 0xf0
}

// textSignals reads the text-layer family.
func textSignals(doc *pdf.Document) []passbook.Signal {
	var out []passbook.Signal
	repeated := repeatedRects(doc)
	for i := range doc.Pages {
		p := &doc.Pages[i]
		if p.Scanned {
			continue // words read from pixels by OCR: their boxes and "fonts" are the OCR's
		}
		out = append(out, coverSignals(p, repeated)...)
		out = append(out, invisibleSignals(p)...)
	}
	out = append(out, columnSignals(doc)...)
	out = append(out, pageSignals(doc)...)
	return out
}

// coverSignals finds opaque rectangles drawn after the text they cover (white-out), and text
// typed on them. A genuine generator draws backgrounds (row shading, boxes) before their text, so
// a background never hides a word drawn earlier.
//
// A box repeated at the same place on several pages is page furniture — a running header or
// footer that a browser prints over the content flowing under it — and weighs only medium.
func coverSignals(p *pdf.Page, repeated map[rectKey]int) []passbook.Signal {
	if len(p.WordOrder) != len(p.Words) {
		return nil
	}
	var out []passbook.Signal
	counts := map[string]int{}
	for _, r := range p.Rects {
		if !opaque(r.Color) || area(r.Box) == 0 {
			continue
		}
		var under, over []int
		for i, w := range p.Words {
			if w.Hidden || strings.TrimSpace(w.Text) == "" || covered(w.Box, r.Box) < coverFraction {
				continue
			}
			if p.WordOrder[i] < r.Order {
				under = append(under, i)
			} else {
				over = append(over, i)
			}
		}
		if len(under) == 0 {
			continue
		}
		if len(over) > 0 && sameText(p, under, over) {
			continue // the same words drawn again on the box: nothing on the page changed
		}
		if len(over) > 0 && repeated[keyOf(r)] < 2 {
			if counts[Whiteout]++; counts[Whiteout] > maxPerCode {
				continue
			}
			box := p.Words[over[0]].Box
			for _, i := range over[1:] {
				box = unionBox(box, p.Words[i].Box)
			}
			out = append(out, signal(Whiteout, passbook.High, p.Number, boxPtr(box),
				"a filled box was drawn over “%s” and “%s” was written on it", joinWords(p, under), joinWords(p, over)))
			continue
		}
		if counts[TextCovered]++; counts[TextCovered] > maxPerCode {
			continue
		}
		box := p.Words[under[0]].Box
		for _, i := range under[1:] {
			box = unionBox(box, p.Words[i].Box)
		}
		note := ""
		if n := repeated[keyOf(r)]; n >= 2 {
			note = fmt.Sprintf(" (the box is repeated on %d pages: a running header or footer?)", n)
		}
		// Hiding an amount changes what the statement says; a box over a name or number may be a
		// redaction. (A retyped amount whose characters the reader merged with the covered
		// ones lands here too.)
		sev := passbook.Medium
		if note == "" {
			for _, i := range under {
				if isAmount(p.Words[i].Text) {
					sev = passbook.High
				}
			}
		}
		out = append(out, signal(TextCovered, sev, p.Number, boxPtr(box),
			"a filled box was drawn over “%s”, hiding it%s", joinWords(p, under), note))
	}
	return out
}

// rectKey identifies a filled box by its place (to the point) and colour.
type rectKey struct {
	x0, y0, x1, y1 int
	color          uint32
}

func keyOf(r pdf.Rect) rectKey {
	return rectKey{int(math.Round(r.Box.X0)), int(math.Round(r.Box.Y0)), int(math.Round(r.Box.X1)), int(math.Round(r.Box.Y1)), r.Color}
}

// repeatedRects counts, for each box, on how many pages it appears.
func repeatedRects(doc *pdf.Document) map[rectKey]int {
	n := map[rectKey]int{}
	for _, p := range doc.Pages {
		seen := map[rectKey]bool{}
		for _, r := range p.Rects {
			if k := keyOf(r); !seen[k] {
				seen[k] = true
				n[k]++
			}
		}
	}
	return n
}

// sameText reports whether the words of a and b read the same, spaces aside: equal, or a line
// of three or more words drawn again with more after it (a composer that lays a line out twice).
func sameText(p *pdf.Page, a, b []int) bool {
	join := func(idx []int) string {
		var sb strings.Builder
		for _, i := range idx {
			sb.WriteString(strings.Join(strings.Fields(p.Words[i].Text), ""))
		}
		return sb.String()
	}
	x, y := join(a), join(b)
	if x == y {
		return true
	}
	if len(a) > len(b) {
		a, x, y = b, y, x
	}
	return len(a) >= 3 && strings.HasPrefix(y, x)
}

func joinWords(p *pdf.Page, idx []int) string {
	parts := make([]string, 0, len(idx))
	for _, i := range idx {
		parts = append(parts, p.Words[i].Text)
	}
	return clip(strings.Join(parts, " "), 60)
}

// invisibleSignals finds text that is never painted — invisible render mode, transparent, or white
// on a white page — outside the OCR layer of a scanned page.
func invisibleSignals(p *pdf.Page) []passbook.Signal {
	pageArea := p.Width * p.Height
	imgArea := 0.0
	for _, im := range p.Images {
		imgArea += area(im)
	}
	scan := pageArea > 0 && imgArea/pageArea >= scanCoverage
	var hidden []int
	for i, w := range p.Words {
		if strings.TrimSpace(w.Text) == "" {
			continue
		}
		onImage := false
		for _, im := range p.Images {
			if covered(w.Box, im) >= 0.5 {
				onImage = true
				break
			}
		}
		switch {
		case w.Hidden || w.Color&0xff == 0:
			if scan && onImage {
				continue // the OCR layer of a scan
			}
			hidden = append(hidden, i)
		case light(w.Color) && !onImage && !onDarkRect(p, i):
			hidden = append(hidden, i)
		}
	}
	if len(hidden) == 0 {
		return nil
	}
	var out []passbook.Signal
	if len(hidden) <= maxPerCode {
		for _, i := range hidden {
			w := p.Words[i]
			out = append(out, signal(InvisibleText, invisibleSeverity(w.Text), p.Number, boxPtr(w.Box),
				"“%s” is in the text layer but is not visible on the page", clip(w.Text, 40)))
		}
		return out
	}
	sev := passbook.Low
	for _, i := range hidden {
		if invisibleSeverity(p.Words[i].Text) == passbook.High {
			sev = passbook.High
		}
	}
	box := p.Words[hidden[0]].Box
	for _, i := range hidden[1:] {
		box = unionBox(box, p.Words[i].Box)
	}
	return []passbook.Signal{signal(InvisibleText, sev, p.Number, boxPtr(box),
		"%d words are in the text layer but not visible on the page, e.g. “%s”", len(hidden), joinWords(p, hidden[:3]))}
}

// invisibleSeverity rates a hidden word: an amount is what a text reader would take for a figure
// of the statement while a person sees something else, so it is high; other words are low, as
// bank composers leave job names, mail-sorting marks and colour-bar labels unpainted.
func invisibleSeverity(text string) passbook.Severity {
	if isAmount(text) {
		return passbook.High
	}
	return passbook.Low
}

// onDarkRect reports whether word i is drawn on a filled rectangle that is not light, so that
// light text on it is visible.
func onDarkRect(p *pdf.Page, i int) bool {
	for _, r := range p.Rects {
		if light(r.Color) || covered(p.Words[i].Box, r.Box) < 0.5 {
			continue
		}
		if len(p.WordOrder) == len(p.Words) && r.Order > p.WordOrder[i] {
			continue
		}
		return true
	}
	return false
}

// valueWord is an amount printed on a page, for the column checks.
type valueWord struct {
	fam, size string // font family and size key, computed once
	page      int
	w         *pdf.Word
	row       []*pdf.Word // the other visible words of its line
	delta     float64     // baseline minus the line's common baseline
	hasDelta  bool        // the line has a common baseline to compare with
}

// columnSignals compares each amount with the amounts aligned with it (its column, on any page)
// and with the words of its own line: a value typed in afterwards tends to differ from both in
// font or size, or to sit just off the column's edge.
func columnSignals(doc *pdf.Document) []passbook.Signal {
	var vals []*valueWord
	for pi := range doc.Pages {
		p := &doc.Pages[pi]
		if p.Scanned {
			continue
		}
		for i := range p.Words {
			w := &p.Words[i]
			if w.Hidden || w.Rotation != 0 || !isAmount(w.Text) {
				continue
			}
			v := &valueWord{page: p.Number, w: w, row: rowOf(p, i)}
			v.delta, v.hasDelta = lineBaseline(v)
			v.fam, v.size = family(w.Font), sizeKey(v)
			vals = append(vals, v)
		}
	}
	// Values by page, each page's sorted by right edge: a value is compared with its column on
	// its own page and the pages next to it, which bounds the work on long statements.
	byPage := map[int][]*valueWord{}
	for _, v := range vals {
		byPage[v.page] = append(byPage[v.page], v)
	}
	for _, vs := range byPage {
		sort.Slice(vs, func(i, j int) bool { return vs[i].w.Box.X1 < vs[j].w.Box.X1 })
	}
	var band []*valueWord // reused
	var out []passbook.Signal
	counts := map[string]int{}
	emit := func(code string, v *valueWord, format string, args ...any) {
		key := fmt.Sprintf("%s/%d", code, v.page)
		if counts[key]++; counts[key] > maxPerCode {
			return
		}
		out = append(out, signal(code, passbook.Medium, v.page, boxPtr(v.w.Box), format, args...))
	}
	for _, v := range vals {
		// The band: the other amounts of this one's column, on its page and the adjacent ones.
		band = band[:0]
		for pg := v.page - columnPages; pg <= v.page+columnPages; pg++ {
			vs := byPage[pg]
			start := sort.Search(len(vs), func(k int) bool { return vs[k].w.Box.X1 >= v.w.Box.X1-columnReach })
			for _, o := range vs[start:] {
				if o.w.Box.X1-v.w.Box.X1 > columnReach {
					break
				}
				if o != v && sameColumn(v.w.Box, o.w.Box) {
					band = append(band, o)
				}
			}
		}
		if len(band) < 2 {
			continue
		}
		// Font family.
		if fam, share := dominant(band, func(b *valueWord) string { return b.fam }); share >= dominantShare && rare(band, v, func(b *valueWord) string { return b.fam }) {
			if f := v.fam; f != fam && !rowHasFamily(v.row, f) && len(v.row) > 0 {
				emit(FontMismatch, v, "“%s” is set in %s while its column is in %s", v.w.Text, v.w.Font, fam)
			}
		}
		// Size.
		if sz, share := dominant(band, func(b *valueWord) string { return b.size }); share >= dominantShare && sz != "" && plausibleSize(v.w) &&
			rare(band, v, func(b *valueWord) string { return b.size }) {
			var size float64
			fmt.Sscanf(sz, "%g", &size)
			if math.Abs(v.w.Size-size) > sizeTolerance && rowContradictsSize(v.row, v.w.Size) {
				emit(SizeMismatch, v, "“%s” is %.1f pt while its column is %.1f pt", v.w.Text, v.w.Size, size)
			}
		}
		// Baseline: the value's offset from its line's baseline against its column's usual offset.
		if v.hasDelta {
			var ds []float64
			for _, b := range band {
				if b.hasDelta {
					ds = append(ds, b.delta)
				}
			}
			if len(ds) >= minColumn && spreadAround(ds, median(ds)) {
				if d := v.delta - median(ds); math.Abs(d) > offBaseline && math.Abs(d) < 0.5*v.w.Size {
					emit(OffBaseline, v, "“%s” sits %.1f pt %s the baseline of its line, unlike the rest of its column", v.w.Text, math.Abs(d),
						map[bool]string{true: "below", false: "above"}[d > 0])
				}
			}
		}
		// Alignment: a tight right-aligned column of values of different widths, and this value
		// just off its edge (and not left-aligned with them either).
		if !endsInDigit(v.w.Text) {
			continue
		}
		var edges, lefts []float64
		for _, b := range band {
			// Alignment is compared on the value's own page: tables on other pages may be set
			// with other widths.
			if b.page == v.page && endsInDigit(b.w.Text) {
				edges = append(edges, b.w.Box.X1)
				lefts = append(lefts, b.w.Box.X0)
			}
		}
		if len(edges) < minColumn || countNear(edges, v.w.Box.X1, alignedTolerance) > 0 {
			continue // too few to compare, or aligned with others: a column of its own
		}
		edge := median(edges)
		var tight []float64
		for k, e := range edges {
			if math.Abs(e-edge) <= alignedTolerance {
				tight = append(tight, lefts[k])
			}
		}
		if len(tight) < minColumn {
			continue // no column edge to be off
		}
		if d := v.w.Box.X1 - edge; math.Abs(d) > offAlignment && countNear(lefts, v.w.Box.X0, alignedTolerance) < minColumn-1 {
			emit(OffAlignment, v, "“%s” ends %.1f pt %s its column's right edge", v.w.Text, math.Abs(d), map[bool]string{true: "right of", false: "left of"}[d > 0])
		}
	}
	return out
}

// sameColumn reports whether two value boxes overlap horizontally by at least half the narrower.
func sameColumn(a, b passbook.Box) bool {
	ov := math.Min(a.X1, b.X1) - math.Max(a.X0, b.X0)
	return ov > 0 && ov >= 0.5*math.Min(a.X1-a.X0, b.X1-b.X0)
}

// rowOf returns the other visible, unrotated words on word i's line.
func rowOf(p *pdf.Page, i int) []*pdf.Word {
	w := p.Words[i]
	h := w.Box.Y1 - w.Box.Y0
	c := (w.Box.Y0 + w.Box.Y1) / 2
	var row []*pdf.Word
	for j := range p.Words {
		o := &p.Words[j]
		if j == i || o.Hidden || o.Rotation != 0 || strings.TrimSpace(o.Text) == "" {
			continue
		}
		oh := o.Box.Y1 - o.Box.Y0
		if math.Abs((o.Box.Y0+o.Box.Y1)/2-c) < 0.5*math.Max(h, oh) {
			row = append(row, o)
		}
	}
	return row
}

func rowHasFamily(row []*pdf.Word, f string) bool {
	for _, o := range row {
		if family(o.Font) == f {
			return true
		}
	}
	return false
}

// plausibleSize reports whether a word's reported font size agrees with the height of its box;
// some generators scale text with the matrix in ways that make the nominal size meaningless.
func plausibleSize(w *pdf.Word) bool {
	h := w.Box.Y1 - w.Box.Y0
	return h > 0 && w.Size >= 0.6*h && w.Size <= 2*h
}

func sizeKey(v *valueWord) string {
	if !plausibleSize(v.w) {
		return ""
	}
	return fmt.Sprintf("%.1f", v.w.Size)
}

// rowContradictsSize reports whether the line has words of a plausible size and none of them is
// of size s: a larger total printed beside a larger label is not out of place.
func rowContradictsSize(row []*pdf.Word, s float64) bool {
	seen := false
	for _, o := range row {
		if !plausibleSize(o) {
			continue
		}
		seen = true
		if math.Abs(o.Size-s) <= sizeTolerance {
			return false
		}
	}
	return seen
}

// lineBaseline returns the value's baseline minus the common baseline of the other words of its
// line of about its size, when they share one.
func lineBaseline(v *valueWord) (float64, bool) {
	var bases []float64
	for _, o := range v.row {
		if math.Abs(o.Size-v.w.Size) <= 0.5 && !isAmount(o.Text) {
			bases = append(bases, o.Baseline)
		}
	}
	if len(bases) < 2 || spread(bases) > baselineTolerance {
		return 0, false
	}
	return v.w.Baseline - median(bases), true
}

// spreadAround reports whether most values lie within baselineTolerance of m: the column has a
// usual offset.
func spreadAround(xs []float64, m float64) bool {
	return float64(countNear(xs, m, baselineTolerance)) >= 0.8*float64(len(xs))
}

// rare reports whether at most rareShare of the band shares v's key.
func rare(band []*valueWord, v *valueWord, key func(*valueWord) string) bool {
	k, n := key(v), 0
	for _, b := range band {
		if key(b) == k {
			n++
		}
	}
	return float64(n) <= rareShare*float64(len(band))
}

// dominant returns the most common key among vs and its share.
func dominant(vs []*valueWord, key func(*valueWord) string) (string, float64) {
	// Columns hold one or two keys, so a short list beats a map.
	type kc struct {
		k string
		n int
	}
	var counts []kc
next:
	for _, v := range vs {
		k := key(v)
		for i := range counts {
			if counts[i].k == k {
				counts[i].n++
				continue next
			}
		}
		counts = append(counts, kc{k, 1})
	}
	best, n := "", 0
	for _, c := range counts {
		if c.n > n || c.n == n && c.k < best {
			best, n = c.k, c.n
		}
	}
	return best, float64(n) / float64(len(vs))
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func spread(xs []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return hi - lo
}

func countNear(xs []float64, x, tol float64) int {
	n := 0
	for _, v := range xs {
		if math.Abs(v-x) <= tol {
			n++
		}
	}
	return n
}

// pageSignals compares the pages of one file with each other: a page taken from another document
// tends to bring its own fonts and size.
func pageSignals(doc *pdf.Document) []passbook.Signal {
	type fams map[string]bool
	var text []int
	sets := map[int]fams{}
	for i, p := range doc.Pages {
		if p.Scanned {
			continue
		}
		s := fams{}
		n := 0
		for _, w := range p.Words {
			if !w.Hidden && strings.TrimSpace(w.Text) != "" {
				s[family(w.Font)] = true
				n++
			}
		}
		if n >= 10 {
			text = append(text, i)
			sets[i] = s
		}
	}
	var out []passbook.Signal
	if len(text) >= 2 {
		var odd []int
		for _, i := range text {
			shared := false
			for _, j := range text {
				if i == j {
					continue
				}
				for f := range sets[i] {
					if sets[j][f] {
						shared = true
					}
				}
			}
			if !shared {
				odd = append(odd, i)
			}
		}
		if 2*len(odd) < len(text) {
			for _, i := range odd {
				if oddSize(doc.Pages, i) {
					out = append(out, signal(PageFontsDiffer, passbook.High, doc.Pages[i].Number, nil,
						"page %d uses none of the fonts of the other pages and is of another size: it looks taken from another document", doc.Pages[i].Number))
					continue
				}
				if !hasAmounts(&doc.Pages[i]) {
					// An insert of terms or notices, composed apart from the statement.
					out = append(out, signal(PageFontsDiffer, passbook.Low, doc.Pages[i].Number, nil,
						"page %d, which prints no amounts, uses none of the fonts of the other pages", doc.Pages[i].Number))
					continue
				}
				out = append(out, signal(PageFontsDiffer, passbook.Medium, doc.Pages[i].Number, nil,
					"page %d uses none of the fonts of the other pages", doc.Pages[i].Number))
			}
		}
	}
	for i, p := range doc.Pages {
		if oddSize(doc.Pages, i) {
			out = append(out, signal(PageSizeDiffers, passbook.Low, p.Number, nil,
				"page %d is %.0f×%.0f pt, unlike the other pages", p.Number, p.Width, p.Height))
		}
	}
	return out
}

// hasAmounts reports whether a page prints at least two visible amounts.
func hasAmounts(p *pdf.Page) bool {
	n := 0
	for _, w := range p.Words {
		if !w.Hidden && isAmount(w.Text) {
			if n++; n >= 2 {
				return true
			}
		}
	}
	return false
}

// oddSize reports whether page i differs in size from the other pages, which all agree, and
// there are at least two of them.
func oddSize(pages []pdf.Page, i int) bool {
	if len(pages) < 3 || !agree(pages, i) {
		return false
	}
	for j, q := range pages {
		if j != i && math.Abs(pages[i].Width-q.Width) <= 2 && math.Abs(pages[i].Height-q.Height) <= 2 {
			return false
		}
	}
	return true
}

// agree reports whether all pages but skip have one size.
func agree(pages []pdf.Page, skip int) bool {
	var w, h float64
	first := true
	for i, p := range pages {
		if i == skip {
			continue
		}
		if first {
			w, h, first = p.Width, p.Height, false
			continue
		}
		if math.Abs(p.Width-w) > 2 || math.Abs(p.Height-h) > 2 {
			return false
		}
	}
	return true
}
