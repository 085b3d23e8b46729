package statement

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/passbookhq/passbook"
)

// amount is a money figure read from the page with the marks printed around it.
type amount struct {
	Value passbook.Money // absolute value
	Neg   bool           // printed with a minus sign or in parentheses
	DrCr  string         // "DR", "CR" or ""
}

// signed returns the value with the printed minus applied.
func (a amount) signed() passbook.Money {
	if a.Neg {
		return -a.Value
	}
	return a.Value
}

// PrintedAmount reads one printed amount as the engine does and returns its absolute value, for
// code outside the engine that must recognise amounts on a page (the Dashboard matching a signal's
// box to its transaction row).
func PrintedAmount(s string) (passbook.Money, bool) {
	a, ok := parseAmount(s)
	return a.Value, ok
}

// parseAmount reads one printed amount: "1,234.56", "1 234,56", "-45.00", "(45.00)", "45.00-",
// "$1,234.56", "-$45.00", "45.00 CR", "45,00 $", "1.234,56". Exactly two decimals are required,
// so that reference numbers, years and counts are never taken for money.
func parseAmount(s string) (amount, bool) {
	var a amount
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return a, false
	}
	up := strings.ToUpper(s)
	for _, suf := range []string{"DR", "CR", "D", "C"} {
		if strings.HasSuffix(up, suf) && len(up) > len(suf) {
			rest := strings.TrimSpace(s[:len(s)-len(suf)])
			if len(rest) > 0 && (rest[len(rest)-1] >= '0' && rest[len(rest)-1] <= '9' || rest[len(rest)-1] == ')') {
				if len(suf) == 1 {
					suf += "R"
				}
				a.DrCr = suf
				s = rest
				break
			}
		}
	}
	// Strip currency marks and signs, remembering the signs.
	var b strings.Builder
	open := false
	for _, r := range s {
		switch {
		case r == '(':
			if open || b.Len() > 0 {
				return a, false
			}
			open = true
		case r == ')':
			if !open {
				return a, false
			}
			a.Neg = true
		case r == '-' || r == '−' || r == '–':
			if a.Neg && !open {
				return a, false
			}
			a.Neg = true
		case r == '+':
		case r == '$' || r == '€' || r == '£':
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\'':
			b.WriteByte(' ')
		case r >= '0' && r <= '9', r == ',', r == '.':
			b.WriteRune(r)
		default:
			return a, false
		}
	}
	if open && !a.Neg {
		return a, false
	}
	num := strings.TrimSpace(b.String())
	if len(num) < 4 {
		return a, false
	}
	// The decimal separator is the third character from the end.
	dec := num[len(num)-3]
	if dec != '.' && dec != ',' {
		return a, false
	}
	whole, frac := num[:len(num)-3], num[len(num)-2:]
	if !isDigits(frac) {
		return a, false
	}
	whole = strings.TrimSpace(whole)
	if whole == "" {
		whole = "0"
	}
	// Grouping: groups of three separated by one kind of separator other than the decimal one.
	var digits strings.Builder
	var sep byte
	groups := 0
	gs := strings.FieldsFunc(whole, func(r rune) bool { return r == ',' || r == '.' || r == ' ' })
	// Indian grouping ("1,50,965.73", "12,34,567.00"): a three-digit group last, two-digit
	// groups before it, commas only.
	indian := len(gs) > 2 && !strings.ContainsAny(whole, ". ") && len(gs[0]) <= 2 && len(gs[len(gs)-1]) == 3
	for i, g := range gs {
		if indian && i > 0 && i < len(gs)-1 && len(g) != 2 {
			indian = false
		}
	}
	for _, g := range gs {
		groups++
		if groups > 1 && len(g) != 3 && !(indian && len(g) == 2) || !isDigits(g) || groups == 1 && len(g) > 12 {
			return a, false
		}
		digits.WriteString(g)
	}
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c == ',' || c == '.' || c == ' ' {
			if c == dec && !(c == '.' && groups > 1) || sep != 0 && c != sep {
				return a, false // (dots for both, "2.853.82", are read as printed: groups, then cents)
			}
			sep = c
		}
	}
	if groups == 0 {
		return a, false
	}
	if groups > 1 && len(strings.FieldsFunc(whole, func(r rune) bool { return r == ',' || r == '.' || r == ' ' })[0]) > 3 {
		return a, false
	}
	w, err := strconv.ParseInt(digits.String(), 10, 64)
	if err != nil {
		return a, false
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	a.Value = passbook.Money(w*100 + f)
	return a, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// rawDate is a date as printed, before the year and the day/month order are known.
type rawDate struct {
	Year  int // 0 when not printed
	Month int // set when the month is printed as a name, or the date is year-first
	Day   int
	A, B  int // numeric day-and-month in printed order when the order is unknown (Month == 0)
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "janv": 1, "janvier": 1, "feb": 2, "february": 2, "fév": 2, "fev": 2, "févr": 2, "fevr": 2, "février": 2, "fevrier": 2,
	"mar": 3, "march": 3, "mars": 3, "apr": 4, "april": 4, "avr": 4, "avril": 4, "may": 5, "mai": 5,
	"jun": 6, "june": 6, "juin": 6, "jul": 7, "july": 7, "juil": 7, "juillet": 7, "aug": 8, "august": 8, "août": 8, "aout": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9, "oct": 10, "october": 10, "octobre": 10,
	"nov": 11, "november": 11, "novembre": 11, "dec": 12, "december": 12, "déc": 12, "décembre": 12, "decembre": 12,
}

func monthOf(s string) int {
	s = strings.ToLower(strings.TrimRight(s, ".,"))
	return monthNames[s]
}

// parseDateWords reads a date from the start of words and says how many words it used:
// "Mar 05", "MAR 05", "05 mars", "Mar 5, 2026", "5 mars 2026", "2026-03-05", "2026/03/05",
// "05/03/2026", "03/05/26", "05-Mar-2026", "05Mar", "05.03.2026".
func parseDateWords(words []string) (rawDate, int, bool) {
	if len(words) == 0 {
		return rawDate{}, 0, false
	}
	w := strings.TrimRight(words[0], ",:")
	// Numeric forms in one word.
	if d, ok := parseNumericDate(w); ok {
		if d.Year != 0 && len(words) > 1 && reClock.MatchString(words[1]) {
			return d, 2, true // a time after the date ("2026.09.01 09:00:00") is part of it
		}
		return d, 1, true
	}
	// "19.01." (day and month with a closing dot, as German and Swiss statements print them).
	if strings.Count(w, ".") == 2 && strings.HasSuffix(w, ".") && len(w) <= 6 {
		a, b, _ := strings.Cut(strings.TrimSuffix(w, "."), ".")
		if isDigits(a) && isDigits(b) && len(a) <= 2 && len(b) <= 2 {
			da, _ := strconv.Atoi(a)
			mb, _ := strconv.Atoi(b)
			if da >= 1 && da <= 31 && mb >= 1 && mb <= 12 {
				return rawDate{Month: mb, Day: da}, 1, true
			}
		}
	}
	// "05-Mar-2026", "05Mar", "05-Mar", "Mar-05".
	if d, ok := parseCompactDate(w); ok {
		return d, 1, true
	}
	if len(words) < 2 {
		return rawDate{}, 0, false
	}
	w2 := strings.TrimRight(words[1], ",.")
	year := func(i int) (int, int) {
		if i < len(words) {
			y := strings.TrimRight(words[i], ",.")
			if len(y) == 4 && isDigits(y) {
				v, _ := strconv.Atoi(y)
				if v >= 1990 && v <= 2100 {
					return v, 1
				}
			}
		}
		return 0, 0
	}
	if m := monthOf(w); m > 0 && isDigits(w2) && len(w2) <= 2 {
		d, _ := strconv.Atoi(w2)
		if d >= 1 && d <= 31 {
			y, n := year(2)
			return rawDate{Year: y, Month: m, Day: d}, 2 + n, true
		}
	}
	wd := strings.TrimSuffix(strings.TrimSuffix(w, "er"), ".")
	if m := monthOf(w2); m > 0 && isDigits(wd) && len(wd) <= 2 {
		d, _ := strconv.Atoi(wd)
		if d >= 1 && d <= 31 {
			y, n := year(2)
			if n == 0 && len(words) > 2 && len(words[2]) == 2 && isDigits(words[2]) && (len(words) < 4 || monthOf(words[3]) == 0) {
				// "14 Dec 23": a two-digit year after the day and the month's name.
				v, _ := strconv.Atoi(words[2])
				y, n = 2000+v, 1
			}
			return rawDate{Year: y, Month: m, Day: d}, 2 + n, true
		}
	}
	return rawDate{}, 0, false
}

func parseNumericDate(w string) (rawDate, bool) {
	var sep rune
	for _, r := range w {
		if r == '/' || r == '-' || r == '.' {
			sep = r
			break
		}
	}
	if sep == 0 {
		return rawDate{}, false
	}
	parts := strings.Split(w, string(sep))
	if len(parts) < 2 || len(parts) > 3 {
		return rawDate{}, false
	}
	n := make([]int, len(parts))
	for i, p := range parts {
		if !isDigits(p) || len(p) > 4 {
			return rawDate{}, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	if len(parts) == 3 && len(parts[0]) == 4 {
		if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || len(parts[2]) > 2 {
			return rawDate{}, false
		}
		return rawDate{Year: n[0], Month: n[1], Day: n[2]}, true
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 || n[0] < 1 || n[1] < 1 || n[0] > 31 || n[1] > 31 || (n[0] > 12 && n[1] > 12) {
		return rawDate{}, false
	}
	d := rawDate{A: n[0], B: n[1]}
	if len(parts) == 3 {
		switch len(parts[2]) {
		case 2:
			d.Year = 2000 + n[2]
		case 4:
			d.Year = n[2]
		default:
			return rawDate{}, false
		}
	} else if sep == '.' {
		return rawDate{}, false // "12.50" is an amount, not a date
	}
	return d, true
}

func parseCompactDate(w string) (rawDate, bool) {
	parts := strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '/' || r == ' ' })
	if len(parts) == 1 {
		// "05Mar" / "Mar05"
		i := strings.IndexFunc(w, unicode.IsLetter)
		if i <= 0 {
			j := strings.IndexFunc(w, unicode.IsDigit)
			if j <= 0 {
				return rawDate{}, false
			}
			parts = []string{w[:j], w[j:]}
		} else {
			parts = []string{w[:i], w[i:]}
		}
	}
	if len(parts) < 2 || len(parts) > 3 {
		return rawDate{}, false
	}
	var d rawDate
	switch {
	case isDigits(parts[0]) && monthOf(parts[1]) > 0:
		d.Day, _ = strconv.Atoi(parts[0])
		d.Month = monthOf(parts[1])
	case monthOf(parts[0]) > 0 && isDigits(parts[1]) && len(parts[1]) <= 2:
		d.Month = monthOf(parts[0])
		d.Day, _ = strconv.Atoi(parts[1])
	default:
		return rawDate{}, false
	}
	if d.Day < 1 || d.Day > 31 {
		return rawDate{}, false
	}
	if len(parts) == 3 {
		if !isDigits(parts[2]) {
			return rawDate{}, false
		}
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		}
		if y < 1990 || y > 2100 {
			return rawDate{}, false
		}
		d.Year = y
	}
	return d, true
}

// dateOrder says how numeric day/month pairs are printed.
type dateOrder int

const (
	orderUnknown dateOrder = iota
	orderDMY
	orderMDY
)

// resolve turns a printed date into a calendar day, using the statement period for the year
// (a December–January statement puts December in the earlier year) and order for numeric dates.
func (d rawDate) resolve(order dateOrder, start, end passbook.Date) (passbook.Date, bool) {
	m, day := d.Month, d.Day
	if m == 0 {
		if order == orderMDY {
			m, day = d.A, d.B
		} else {
			m, day = d.B, d.A
		}
	}
	if m < 1 || m > 12 || day < 1 || day > 31 {
		return passbook.Date{}, false
	}
	y := d.Year
	if y == 0 {
		switch {
		case !start.IsZero() && !end.IsZero():
			y = end.Year
			if start.Year != end.Year && m >= int(start.Month) {
				y = start.Year
			}
			// The year that puts the day nearest the period ("29 December" rows before a
			// period printed as January).
			dist := func(y int) int {
				d := passbook.NewDate(y, time.Month(m), min(day, 28))
				switch {
				case d.Before(start):
					return d.DaysUntil(start)
				case d.After(end):
					return end.DaysUntil(d)
				}
				return 0
			}
			for _, c := range []int{y - 1, y + 1} {
				if dist(c) < dist(y) {
					y = c
				}
			}
		case !end.IsZero():
			y = end.Year
			if time.Date(y, time.Month(m), min(day, 28), 0, 0, 0, 0, time.UTC).After(end.Time().AddDate(0, 0, 31)) {
				y-- // a statement that prints only its end date: its rows come before it
			}
		case !start.IsZero():
			y = start.Year
		default:
			return passbook.Date{}, false // no year printed and none known
		}
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return passbook.Date{}, false
	}
	return passbook.DateOf(t), true
}
