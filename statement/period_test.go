package statement

import (
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

// TestBareDayPeriod reads periods whose first day is printed alone, its month and year only once
// at the end, and refuses lone numbers that are not in that shape.
func TestBareDayPeriod(t *testing.T) {
	for _, tt := range []struct {
		line string
		want string // "" when no start day may be read
	}{
		{"du 1er au 28 février 2002", "2002-02-01"},
		{"du 1* au 28 février 2002", "2002-02-01"},
		{"Relevé du 3 au 31 mars 2026", "2026-03-03"},
		{"from 1st to 31 March 2026", "2026-03-01"},
		{"Statement period from 16 - 15 April 2026", ""}, // 16 after the end day
		{"Page 1 of 3 31 March 2026", ""},
		{"Branch 12 to 31 March 2026", ""},
		{"du 1er au 28", ""},
	} {
		ws := strings.Fields(tt.line)
		var end rawDate
		for i := range ws {
			if d, _, ok := parseDateWords(ws[i:]); ok && d.Year != 0 {
				end = d
				break
			}
		}
		a, ok := bareDayBefore(ws, end)
		got := ""
		if ok {
			d, ok := a.resolve(orderDMY, passbook.Date{}, passbook.Date{})
			if !ok {
				t.Errorf("%q: start %+v does not resolve", tt.line, a)
				continue
			}
			got = d.ISO()
		}
		if got != tt.want {
			t.Errorf("%q: start %q, want %q", tt.line, got, tt.want)
		}
	}
}
