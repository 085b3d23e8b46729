package pdf

import (
	"slices"
	"testing"

	"github.com/passbookhq/passbook"
)

// glyphs lays out s from x on a baseline at y with a fixed advance, as a text object of the
// given size; ' ' is a space in the file and '_' a space PDFium generated.
func glyphs(s string, x, y, size, advance float64, obj *textObj) []char {
	var out []char
	for _, r := range s {
		switch r {
		case ' ':
			out = append(out, char{r: ' ', space: true})
		case '_':
			out = append(out, char{r: ' ', space: true, generated: true})
		default:
			out = append(out, char{r: r, box: passbook.Box{X0: x, Y0: y - 0.9*size, X1: x + advance, Y1: y + 0.2*size}, base: y, obj: obj})
			x += advance
		}
	}
	return out
}

func TestBuildWords(t *testing.T) {
	body := &textObj{size: 10, font: "Body"}
	big := &textObj{size: 16, font: "Title"}
	cat := func(parts ...[]char) []char { return slices.Concat(parts...) }
	tests := []struct {
		name  string
		chars []char
		want  []string
	}{
		{"spaces in the file split", glyphs("Opening balance", 0, 100, 10, 5, body), []string{"Opening", "balance"}},
		{"generated spaces do not", glyphs("349_.87", 0, 100, 10, 5, body), []string{"349.87"}},
		{"a gap splits", cat(glyphs("Mar", 0, 100, 10, 5, body), glyphs("05", 17, 100, 10, 5, body)), []string{"Mar", "05"}},
		{"a tiny gap does not", cat(glyphs("Dep", 0, 100, 10, 5, body), glyphs("osit", 15.5, 100, 10, 5, body)), []string{"Deposit"}},
		{"a separator set apart inside a number joins", cat(glyphs("1", 0, 100, 10, 5, body), glyphs(",234", 7, 100, 10, 5, body), glyphs(".56", 29, 100, 10, 5, body)), []string{"1,234.56"}},
		{"digits set apart after a grouping comma join", cat(glyphs("1,", 0, 100, 10, 5, body), glyphs("234.56", 12, 100, 10, 5, body)), []string{"1,234.56"}},
		{"a comma before a year does not", cat(glyphs("1,", 0, 100, 10, 5, body), glyphs("2026", 12, 100, 10, 5, body)), []string{"1,", "2026"}},
		{"a new line splits", cat(glyphs("Total", 0, 100, 10, 5, body), glyphs("12.00", 25, 112, 10, 5, body)), []string{"Total", "12.00"}},
		{"a size change splits", cat(glyphs("Big", 0, 100, 16, 8, big), glyphs("small", 24, 100, 10, 5, body)), []string{"Big", "small"}},
		{"going back splits", cat(glyphs("right", 100, 100, 10, 5, body), glyphs("left", 0, 100, 10, 5, body)), []string{"right", "left"}},
		{"nothing", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, objs := buildWords(tt.chars)
			var got []string
			for i, w := range words {
				got = append(got, w.Text)
				if objs[i] == nil || w.Font != objs[i].font || w.Box.X1 <= w.Box.X0 {
					t.Errorf("word %+v with object %+v", w, objs[i])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBuildWordsBoxAndHidden(t *testing.T) {
	ink := &textObj{size: 10, font: "F", color: 0x112233ff}
	ghost := &textObj{size: 10, font: "F", invisible: true}
	words, _ := buildWords(slices.Concat(glyphs("12.00", 10, 100, 10, 5, ink), glyphs(" 99.00", 50, 100, 10, 5, ghost)))
	if len(words) != 2 {
		t.Fatalf("%+v", words)
	}
	if w := words[0]; w.Box != (passbook.Box{X0: 10, Y0: 91, X1: 35, Y1: 102}) || w.Baseline != 100 || w.Color != 0x112233ff || w.Hidden || w.Size != 10 {
		t.Errorf("visible word %+v", w)
	}
	if !words[1].Hidden {
		t.Errorf("invisible word %+v", words[1])
	}
}

func BenchmarkBuildWords(b *testing.B) {
	obj := &textObj{size: 10, font: "F"}
	var chars []char
	for line := range 60 {
		chars = append(chars, glyphs("Mar 05 E-TRANSFER to J. Smith 349.87 1,230.06", 40, float64(100+12*line), 10, 5, obj)...)
	}
	b.ResetTimer()
	for b.Loop() {
		buildWords(chars)
	}
}
