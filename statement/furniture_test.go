package statement

import (
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// furnitureDoc places each text as one line at the given y on its page (612×792).
func furnitureDoc(rows []struct {
	page int
	y    float64
	text string
}) ([]line, []pdf.Page) {
	pages := []pdf.Page{{Number: 1, Width: 612, Height: 792}, {Number: 2, Width: 612, Height: 792}, {Number: 3, Width: 612, Height: 792}}
	var ls []line
	for _, r := range rows {
		var ws []pdf.Word
		x := 40.0
		for _, t := range strings.Fields(r.text) {
			w := float64(len(t)) * 4
			ws = append(ws, pdf.Word{Text: t, Box: passbook.Box{X0: x, Y0: r.y, X1: x + w, Y1: r.y + 8}, Baseline: r.y + 6, Size: 8})
			x += w + 3
		}
		ls = append(ls, makeLine(r.page, ws))
	}
	return ls, pages
}

func TestFurniture(t *testing.T) {
	type row = struct {
		page int
		y    float64
		text string
	}
	cases := []struct {
		name string
		rows []row
		want []bool
	}{
		{"header on every page", []row{{1, 30, "Your Name ! Account # 4881 0142 XXXX"}, {2, 40, "Your Name ! Account # 48810142XXXX"}, {3, 28, "Your Name ! Account # 4881 0142 XXXX"}}, []bool{true, true, true}},
		{"footer with page numbers", []row{{1, 760, "Account # XXXX 0000 Page 1 of 2"}, {2, 762, "Account # XXXX 0000 Page 2 of 2"}}, []bool{true, true}},
		{"once only", []row{{1, 30, "Account 12345-678"}, {2, 30, "Account 99999-111"}}, []bool{false, false}},
		{"repeated in the body", []row{{1, 300, "Account 12345-678 (continued)"}, {2, 300, "Account 12345-678 (continued)"}}, []bool{false, false}},
		{"one page", []row{{1, 30, "Statement"}, {1, 760, "Statement"}}, []bool{false, false}},
	}
	for _, c := range cases {
		ls, pages := furnitureDoc(c.rows)
		got := furniture(ls, pages)
		for i := range c.want {
			if got[i] != c.want[i] {
				t.Errorf("%s: line %d (%q) furniture %v, want %v", c.name, i, ls[i].Text, got[i], c.want[i])
			}
		}
	}
}
