package statement

import (
	"strings"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// textLines makes lines of words from text, one line per '\n', words 30 points apart.
func textLines(text string) []line {
	var ls []line
	for i, row := range strings.Split(text, "\n") {
		var ws []pdf.Word
		for k, w := range strings.Fields(row) {
			x := float64(40 + 60*k)
			y := float64(50 + 14*i)
			ws = append(ws, pdf.Word{Text: w, Box: passbook.Box{X0: x, Y0: y, X1: x + 30, Y1: y + 9}, Baseline: y + 8, Size: 9})
		}
		if len(ws) > 0 {
			ls = append(ls, makeLine(1, ws))
		}
	}
	return ls
}

// TestAnchorDate: the year of dates printed without one comes from the document (its latest
// printed full date, then its creation or modification date) and only last from the clock
// passed in; a December row before a January anchor keeps the earlier year.
func TestAnchorDate(t *testing.T) {
	clock := func() time.Time { return time.Date(2031, 6, 15, 12, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		name, text string
		info       map[string]string
		want       string // the anchor
		row        rawDate
		rowWant    string // the row's date resolved against the anchor
	}{
		{"due date printed", "Statement for Jan 2 to Jan 31\nPayment due February 20, 2027", nil, "2027-02-20", rawDate{Month: 12, Day: 28}, "2026-12-28"},
		{"numeric printed date", "Printed on 15/03/2026 at the branch", map[string]string{"CreationDate": "D:20200101000000Z"}, "2026-03-15", rawDate{Month: 3, Day: 2}, "2026-03-02"},
		{"latest of several", "Opened 01/02/2019\nStatement date 2025-11-30", nil, "2025-11-30", rawDate{Month: 11, Day: 3}, "2025-11-03"},
		{"creation date", "Mar 03 COFFEE 4.50", map[string]string{"CreationDate": "D:20260105093000+01'00'"}, "2026-01-05", rawDate{Month: 12, Day: 30}, "2025-12-30"},
		{"modification date", "Mar 03 COFFEE 4.50", map[string]string{"ModDate": "D:20240410"}, "2024-04-10", rawDate{Month: 3, Day: 3}, "2024-03-03"},
		{"bad metadata, clock", "Mar 03 COFFEE 4.50", map[string]string{"CreationDate": "D:junk"}, "2031-06-15", rawDate{Month: 3, Day: 3}, "2031-03-03"},
		{"nothing: the clock passed in", "Mar 03 COFFEE 4.50", nil, "2031-06-15", rawDate{Month: 12, Day: 1}, "2030-12-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := anchorDate(textLines(tt.text), tt.info, clock)
			if got.ISO() != tt.want {
				t.Fatalf("anchor %s, want %s", got.ISO(), tt.want)
			}
			d, ok := tt.row.resolve(orderDMY, passbook.Date{}, got)
			if !ok || d.ISO() != tt.rowWant {
				t.Errorf("row %+v: %s %v, want %s", tt.row, d.ISO(), ok, tt.rowWant)
			}
		})
	}
	// Without any anchor a date with no year does not resolve: no clock is read behind the
	// caller's back.
	if d, ok := (rawDate{Month: 3, Day: 3}).resolve(orderDMY, passbook.Date{}, passbook.Date{}); ok {
		t.Errorf("resolved %s with no year known", d.ISO())
	}
}
