package statement

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// dropWatermark removes words printed far larger than the page's text, as the letters of a
// diagonal "SPECIMEN" or "Muster" stamp are: their tall boxes would join the lines they cross.
func dropWatermark(ws []pdf.Word) []pdf.Word {
	if len(ws) < 8 {
		return ws
	}
	sizes := make([]float64, len(ws))
	for i, w := range ws {
		sizes[i] = wordSize(w)
	}
	sort.Float64s(sizes)
	limit := 5 * sizes[len(sizes)/2]
	out := ws[:0]
	for _, w := range ws {
		if wordSize(w) <= limit && w.Box.Y1-w.Box.Y0 <= limit*1.5 {
			out = append(out, w)
		}
	}
	return out
}

// cell is a run of words on a line with no wide gap between them.
type cell struct {
	Words []pdf.Word
	Text  string
	Box   passbook.Box
}

// line is the words of one page that share a baseline, left to right, grouped into cells.
type line struct {
	Page  int
	Words []pdf.Word
	Cells []cell
	Box   passbook.Box
	Size  float64 // median font size
	Text  string
	Lower string
	toks  []token // the line's tokens, computed once
}

func union(a, b passbook.Box) passbook.Box {
	if a == (passbook.Box{}) {
		return b
	}
	return passbook.Box{X0: math.Min(a.X0, b.X0), Y0: math.Min(a.Y0, b.Y0), X1: math.Max(a.X1, b.X1), Y1: math.Max(a.Y1, b.Y1)}
}

func wordsBox(ws []pdf.Word) passbook.Box {
	var b passbook.Box
	for _, w := range ws {
		b = union(b, w.Box)
	}
	return b
}

func joinWords(ws []pdf.Word) string {
	var sb strings.Builder
	for i, w := range ws {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(w.Text)
	}
	return sb.String()
}

func wordSize(w pdf.Word) float64 {
	if w.Size > 2 && w.Size < 72 {
		return w.Size
	}
	h := w.Box.Y1 - w.Box.Y0
	if h <= 0 {
		return 10
	}
	return h
}

// pageLines clusters the visible, upright words of a page into lines by baseline.
func pageLines(p pdf.Page) []line {
	ws := make([]pdf.Word, 0, len(p.Words))
	for _, w := range p.Words {
		if w.Hidden && !p.OCR || w.Rotation != 0 { // an OCR layer is invisible, and is the page's text
			continue
		}
		w.Text = strings.TrimSpace(w.Text)
		if w.Text == "" {
			continue
		}
		if w.Baseline == 0 {
			w.Baseline = w.Box.Y1
		}
		ws = append(ws, w)
	}
	ws = dropWatermark(ws)
	sort.SliceStable(ws, func(i, j int) bool {
		if ws[i].Baseline != ws[j].Baseline {
			return ws[i].Baseline < ws[j].Baseline
		}
		return ws[i].Box.X0 < ws[j].Box.X0
	})
	var out []line
	start := 0
	for i := 1; i <= len(ws); i++ {
		if i < len(ws) {
			tol := 0.35 * math.Max(wordSize(ws[i]), 4)
			if ws[i].Baseline-ws[start].Baseline <= tol {
				continue
			}
		}
		out = append(out, makeLine(p.Number, ws[start:i]))
		start = i
	}
	return joinOffsetAmounts(joinWrappedSigns(out))
}

// joinWrappedSigns puts back a minus sign that a narrow cell wrapped onto a line of its own
// ("-" above "$125.47"): a line holding only the sign joins the amount that starts under it on
// one of the next two lines.
func joinWrappedSigns(ls []line) []line {
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if len(l.Words) != 1 || !isMinus(l.Words[0].Text) {
			continue
		}
		m := l.Words[0]
		done := false
		for j := i + 1; j < len(ls) && j <= i+2 && !done; j++ {
			n := ls[j]
			if n.Page != l.Page || n.Box.Y0-l.Box.Y1 > 3*l.Size {
				break
			}
			for k, w := range n.Words {
				starts := math.Abs(w.Box.X0-m.Box.X0) <= l.Size
				// A right-aligned cell wraps right-aligned: the sign over the amount's end
				// ("-" over "R 8,098.55") belongs before its currency mark.
				ends := !starts && math.Abs(w.Box.X1-m.Box.X1) <= l.Size
				if !starts && !ends {
					continue
				}
				if a, ok := parseAmount(w.Text); ok && !a.Neg {
					at := k
					if ends && k > 0 && reCurrencyMark.MatchString(n.Words[k-1].Text) && w.Box.X0-n.Words[k-1].Box.X1 < l.Size {
						at = k - 1
					}
					ws := append([]pdf.Word(nil), n.Words...)
					ws[at].Text = "-" + ws[at].Text
					ws[at].Box = union(ws[at].Box, passbook.Box{X0: m.Box.X0, Y0: w.Box.Y0, X1: m.Box.X1, Y1: w.Box.Y1})
					ls[j] = makeLine(n.Page, ws)
					ls = append(ls[:i], ls[i+1:]...)
					i--
					done = true
				}
				break
			}
		}
	}
	return ls
}

func isMinus(s string) bool { return s == "-" || s == "−" || s == "–" }

// joinOffsetAmounts puts an amount printed a little above or below its row's baseline (text
// boxes placed one by one, as design tools export them) back on that row: a line of nothing but
// amounts joins the neighbouring line it overlaps most in height, when their words do not
// overlap across.
func joinOffsetAmounts(ls []line) []line {
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		amounts := onlyAmounts(l)
		if !amounts && datedLine(l) {
			continue
		}
		best, bestOv := -1, 0.0
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(ls) {
				continue
			}
			m := ls[j]
			ov := math.Min(l.Box.Y1, m.Box.Y1) - math.Max(l.Box.Y0, m.Box.Y0)
			h := math.Min(l.Box.Y1-l.Box.Y0, m.Box.Y1-m.Box.Y0)
			need := 0.4
			if !amounts {
				// Words of a row's cells centred on its date line, a line above or below
				// it: they overlap the dated line far more than lines of text overlap.
				if !datedLine(m) {
					continue
				}
				need = 0.4
			}
			if h <= 0 || ov < need*h || ov <= bestOv {
				continue
			}
			clash := false
			for _, w := range m.Words {
				clash = clash || w.Box.X0 < l.Box.X1 && l.Box.X0 < w.Box.X1
			}
			if !clash {
				best, bestOv = j, ov
			}
		}
		if best < 0 {
			continue
		}
		merged := makeLine(l.Page, append(append([]pdf.Word(nil), ls[best].Words...), l.Words...))
		lo := min(i, best)
		ls[lo] = merged
		ls = append(ls[:lo+1], ls[lo+2:]...)
		i = lo
	}
	return ls
}

func onlyAmounts(l line) bool {
	for _, t := range l.toks {
		if t.Amount == nil {
			return false
		}
	}
	return len(l.toks) > 0
}

func makeLine(page int, ws []pdf.Word) line {
	ws = append([]pdf.Word(nil), ws...)
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Box.X0 < ws[j].Box.X0 })
	// Drop exact duplicates (fake bold draws a word twice).
	k := 0
	for i, w := range ws {
		if i > 0 && w.Text == ws[k-1].Text && math.Abs(w.Box.X0-ws[k-1].Box.X0) < 1 {
			continue
		}
		ws[k] = w
		k++
	}
	ws = ws[:k]
	l := line{Page: page, Words: ws, Box: wordsBox(ws)}
	sizes := make([]float64, len(ws))
	for i, w := range ws {
		sizes[i] = wordSize(w)
	}
	sort.Float64s(sizes)
	l.Size = sizes[len(sizes)/2]
	cs := 0
	for i := 1; i <= len(ws); i++ {
		if i < len(ws) && ws[i].Box.X0-ws[i-1].Box.X1 <= 0.9*l.Size {
			continue
		}
		c := cell{Words: ws[cs:i], Text: joinWords(ws[cs:i]), Box: wordsBox(ws[cs:i])}
		l.Cells = append(l.Cells, c)
		cs = i
	}
	l.Text = joinWords(ws)
	l.Lower = strings.ToLower(l.Text)
	l.toks = l.split()
	return l
}

// token is a piece of a line: an amount, or a run of other words.
type token struct {
	Text   string
	Box    passbook.Box
	Amount *amount
	Loose  bool // an amount printed with one decimal ("1935.3"): only taken inside a money column
	Cell   int
	Words  []pdf.Word
}

func isNumericish(s string) bool {
	if s == "" {
		return false
	}
	u := strings.ToUpper(s)
	if u == "CR" || u == "DR" || u == "$" || u == "D" {
		return true
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(",.-()$€£+−", r)) {
			if u == "CR" || u == "DR" {
				continue
			}
			return strings.HasSuffix(u, "CR") || strings.HasSuffix(u, "DR")
		}
	}
	return true
}

// tokens splits a line into amounts and text runs. An amount may span words within a cell
// ("1 234,56", "45.00 CR", "$ 12.00").
func (l line) tokens() []token { return l.toks }

func (l line) split() []token {
	var out []token
	for ci, c := range l.Cells {
		ws := c.Words
		textStart := 0
		flush := func(end int) {
			if end > textStart {
				out = append(out, token{Text: joinWords(ws[textStart:end]), Box: wordsBox(ws[textStart:end]), Cell: ci, Words: ws[textStart:end]})
			}
		}
		for i := 0; i < len(ws); {
			found := 0
			var a amount
			if i+1 < len(ws) && reCurrencyMark.MatchString(ws[i].Text) {
				// "R 12,000.00", "-R 599.00": a currency mark (with the sign before it) set
				// apart from the figure.
				if v, ok := parseAmount(ws[i+1].Text); ok && !v.Neg {
					v.Neg = strings.ContainsAny(ws[i].Text, "-−–")
					flush(i)
					out = append(out, token{Text: joinWords(ws[i : i+2]), Box: wordsBox(ws[i : i+2]), Amount: &v, Cell: ci, Words: ws[i : i+2]})
					i += 2
					textStart = i
					continue
				}
			}
			for n := min(3, len(ws)-i); n >= 1; n-- {
				ok := true
				for _, w := range ws[i : i+n] {
					if !isNumericish(w.Text) {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				if v, ok := parseAmount(joinWords(ws[i : i+n])); ok {
					a, found = v, n
					break
				}
			}
			if found == 0 {
				if v, ok := parseLooseAmount(ws[i].Text); ok {
					a, found = v, 1
				}
			}
			if found == 0 {
				i++
				continue
			}
			flush(i)
			a2 := a
			_, strict := parseAmount(joinWords(ws[i : i+found]))
			out = append(out, token{Text: joinWords(ws[i : i+found]), Box: wordsBox(ws[i : i+found]), Amount: &a2, Loose: !strict, Cell: ci, Words: ws[i : i+found]})
			i += found
			textStart = i
		}
		flush(len(ws))
	}
	return out
}

// reCurrencyMark is a currency sign or code printed as a word of its own before an amount, with
// the amount's sign before it.
var reCurrencyMark = regexp.MustCompile(`^[-−–+]?(R|Rs\.?|£|\$|€|US\$|C\$|A\$|S\$|NZ\$|₹|¥|₩|USD|CAD|EUR|GBP|ZAR|INR|AUD|NZD|SGD)$`)

// parseLooseAmount reads a plain amount with one decimal, "1935.3" or "-12.5", as programs that
// print floats write them.
func parseLooseAmount(s string) (amount, bool) {
	var a amount
	t := s
	if strings.HasPrefix(t, "-") {
		a.Neg, t = true, t[1:]
	}
	whole, frac, ok := strings.Cut(t, ".")
	if !ok || len(frac) != 1 || !isDigits(frac) || !isDigits(whole) || len(whole) > 10 {
		return a, false
	}
	v, ok := parseAmount(whole + "." + frac + "0")
	if !ok {
		return a, false
	}
	a.Value = v.Value
	return a, true
}
