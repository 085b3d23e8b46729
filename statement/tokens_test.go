package statement

import (
	"strings"
	"testing"

	"github.com/passbookhq/passbook"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		val  passbook.Money
		neg  bool
		drcr string
	}{
		{"1,234.56", true, 123456, false, ""},
		{"1,50,965.73", true, 15096573, false, ""},   // Indian grouping
		{"12,34,567.00", true, 123456700, false, ""}, // Indian grouping
		{"1,5,965.73", false, 0, false, ""},
		{"1.50.965,73", false, 0, false, ""},
		{"1234.56", true, 123456, false, ""},
		{"0.05", true, 5, false, ""},
		{"-45.00", true, 4500, true, ""},
		{"(45.00)", true, 4500, true, ""},
		{"45.00-", true, 4500, true, ""},
		{"$1,234.56", true, 123456, false, ""},
		{"-$1,234.56", true, 123456, true, ""},
		{"1 234,56", true, 123456, false, ""},
		{"1\u00a0234,56", true, 123456, false, ""},
		{"12 345 678,90", true, 1234567890, false, ""},
		{"1.234,56", true, 123456, false, ""},
		{"45,00 $", true, 4500, false, ""},
		{"45.00 CR", true, 4500, false, "CR"},
		{"45.00DR", true, 4500, false, "DR"},
		{"1,234.56 Dr", true, 123456, false, "DR"},
		{"+300.00", true, 30000, false, ""},
		{"−12.50", true, 1250, true, ""},
		// Not amounts.
		{"2026", false, 0, false, ""},
		{"1,234", false, 0, false, ""},
		{"12.5", false, 0, false, ""},
		{"2026-03-05", false, 0, false, ""},
		{"1,23,456.00", true, 12345600, false, ""}, // Indian grouping (lakh)
		{"1,234.567", false, 0, false, ""},
		{"1.234.56", true, 123456, false, ""}, // dots for both, as a German demo prints its opening balance: groups of three, then cents
		{"12.34.56", false, 0, false, ""},
		{"((1.00))", false, 0, false, ""},
		{"(1.00", false, 0, false, ""},
		{"ABC", false, 0, false, ""},
		{"", false, 0, false, ""},
		{"#355.00x", false, 0, false, ""},
	}
	for _, tt := range tests {
		a, ok := parseAmount(tt.in)
		if ok != tt.ok || ok && (a.Value != tt.val || a.Neg != tt.neg || a.DrCr != tt.drcr) {
			t.Errorf("parseAmount(%q) = %+v, %v; want %v %v neg=%v %q", tt.in, a, ok, tt.val, tt.ok, tt.neg, tt.drcr)
		}
	}
}

func TestParseDate(t *testing.T) {
	start, end := passbook.NewDate(2025, 12, 15), passbook.NewDate(2026, 1, 14)
	tests := []struct {
		in    string
		order dateOrder
		want  string // "" when not a date
		used  int
	}{
		{"Mar 05 x", orderDMY, "2026-03-05", 2},
		{"MAR 05", orderDMY, "2026-03-05", 2},
		{"05 mars", orderDMY, "2026-03-05", 2},
		{"5 déc.", orderDMY, "2025-12-05", 2},
		{"Dec 20", orderDMY, "2025-12-20", 2}, // December of a December–January statement
		{"Jan 03", orderDMY, "2026-01-03", 2},
		{"Mar 5, 2024 x", orderDMY, "2024-03-05", 3},
		{"1er janvier 2026", orderDMY, "2026-01-01", 3},
		{"2026-03-05", orderDMY, "2026-03-05", 1},
		{"2026/03/05", orderMDY, "2026-03-05", 1},
		{"05/03/2026", orderDMY, "2026-03-05", 1},
		{"03/05/2026", orderMDY, "2026-03-05", 1},
		{"03/05/26", orderMDY, "2026-03-05", 1},
		{"05.03.2026", orderDMY, "2026-03-05", 1},
		{"19.01.", orderDMY, "2026-01-19", 1},
		{"05-Mar-2026", orderDMY, "2026-03-05", 1},
		{"05MAR", orderDMY, "2026-03-05", 1},
		{"12/20", orderMDY, "2025-12-20", 1},
		{"12.50", orderDMY, "", 0},
		{"31/31/2026", orderDMY, "", 0},
		{"Opening", orderDMY, "", 0},
		{"355", orderDMY, "", 0},
		{"Feb 30", orderDMY, "", 2},
	}
	for _, tt := range tests {
		d, n, ok := parseDateWords(strings.Fields(tt.in))
		got := ""
		if ok {
			if v, ok := d.resolve(tt.order, start, end); ok {
				got = v.ISO()
			}
		}
		if got != tt.want || ok && n != tt.used {
			t.Errorf("%q: %q (%d words), want %q (%d)", tt.in, got, n, tt.want, tt.used)
		}
	}
}

func FuzzAmount(f *testing.F) {
	for _, s := range []string{"1,234.56", "(45.00)", "1 234,56", "45.00 CR", "-$1.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := parseAmount(s)
		if ok && a.Value < 0 {
			t.Fatalf("%q: negative value %v", s, a.Value)
		}
	})
}

func BenchmarkParseAmount(b *testing.B) {
	for b.Loop() {
		parseAmount("12 345,67")
		parseAmount("(1,234.56)")
		parseAmount("DEPOSIT")
	}
}

func TestPrintedAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want passbook.Money
		ok   bool
	}{{"1,234.56", 123456, true}, {"$32.32", 3232, true}, {"(45.00)", 4500, true}, {"-$250.00", 25000, true},
		{"13 996,76", 1399676, true}, {"45.00 CR", 4500, true}, {"2026", 0, false}, {"Rent", 0, false}} {
		got, ok := PrintedAmount(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("PrintedAmount(%q) = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
