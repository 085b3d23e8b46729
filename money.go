package passbook

import (
	"strconv"
	"strings"
)

// Format writes the amount for people in language lang ("en" or "fr") and currency (an ISO code;
// "" means dollars): "$13,996.76" and "−$45.00" in English, "13 996,76 $" in French (narrow
// no-break spaces between thousands, a no-break space before the sign).
func (m Money) Format(currency, lang string) string {
	v := int64(m)
	neg := v < 0
	if neg {
		v = -v
	}
	whole := strconv.FormatInt(v/100, 10)
	cents := strconv.FormatInt(v%100+100, 10)[1:]
	sep, dec := ",", "."
	if lang == "fr" {
		sep, dec = "\u202f", ","
	}
	var g strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			g.WriteString(sep)
		}
		g.WriteRune(c)
	}
	num := g.String() + dec + cents
	sym := currencySymbol(currency)
	var s string
	switch {
	case lang == "fr" && sym == "":
		s = num + "\u00a0" + currency
	case lang == "fr":
		s = num + "\u00a0" + sym
	case sym == "":
		s = num + " " + currency
	default:
		s = sym + num
	}
	if neg {
		return "−" + s
	}
	return s
}

func currencySymbol(c string) string {
	switch strings.ToUpper(c) {
	case "", "CAD", "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	}
	return ""
}
