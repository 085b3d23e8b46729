package ocr

import (
	"regexp"
	"strings"
)

// OCR confuses a few letters with digits; in a word that is otherwise an amount or a date they
// can only be digits.
var digitFor = map[rune]rune{
	'O': '0', 'o': '0', 'D': '0', 'Q': '0',
	'I': '1', 'l': '1', '|': '1', 'i': '1', '!': '1',
	'S': '5', 's': '5',
	'B': '8', 'Z': '2', 'z': '2', 'G': '6', 'g': '9', 'q': '9',
}

var (
	// An amount as statements print it, after the sign and currency are set aside.
	moneyRe = regexp.MustCompile(`^(\d{1,3}(,\d{3})*|\d+)\.\d{2}$`)
	// What an amount read with letters for digits looks like: mostly digits, a decimal point or
	// comma two from the end.
	moneyish = regexp.MustCompile(`^[0-9OoDQIl|i!SsBZzGgq,]*[0-9][0-9OoDQIl|i!SsBZzGgq,]*[.,][0-9OoDQIl|i!SsBZzGgq]{2}$`)
	// An amount whose decimal point was lost or read as a comma: "1,29619", "1,296,19".
	lostPoint  = regexp.MustCompile(`^(\d{1,3}(,\d{3})*),?(\d{3})(\d{2})$`)
	commaPoint = regexp.MustCompile(`^(\d{1,3}(,\d{3})*),(\d{2})$`)
	// A day stuck to a month ("Jul05", "Jul0S", "15Jul").
	monthDay = regexp.MustCompile(`^(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|déc)\.?([0-9OoIlSs|]{1,2})$`)
	// A day of the month alone, a letter read for one of its digits ("O1", "1S").
	day      = regexp.MustCompile(`^[0-3OoIl][0-9OoIlSs]$`)
	dayMonth = regexp.MustCompile(`^([0-9OoIlSs|]{1,2})(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|févr|fevr|mars|avr|mai|juin|juil|août|aout|déc)\.?$`)
)

// fixWords corrects what OCR commonly gets wrong in the words a statement is read by: amounts
// with a letter for a digit or a lost decimal point, and a day stuck to its month. A corrected
// word keeps what OCR read in OCRText (on the page), so nothing changes silently.
func fixWords(ws []TSVWord) []TSVWord {
	out := make([]TSVWord, 0, len(ws))
	for _, w := range ws {
		if m := monthDay.FindStringSubmatch(w.Text); m != nil {
			out = append(out, split(w, len([]rune(m[1])), m[1], digits(m[2]))...)
			continue
		}
		if m := dayMonth.FindStringSubmatch(w.Text); m != nil {
			out = append(out, split(w, len([]rune(m[1])), digits(m[1]), m[2])...)
			continue
		}
		if day.MatchString(w.Text) && strings.ContainsAny(w.Text, "0123456789") {
			if t := digits(w.Text); t != w.Text && t <= "31" {
				w.Orig, w.Text = w.Text, t
			}
			out = append(out, w)
			continue
		}
		if t, ok := fixAmount(w.Text); ok && t != w.Text {
			w.Orig, w.Text = w.Text, t
		}
		out = append(out, w)
	}
	return out
}

// split cuts a word in two after n characters, the box shared by character count.
func split(w TSVWord, n int, a, b string) []TSVWord {
	total := len([]rune(w.Text))
	cut := w.Width * n / max(total, 1)
	first, second := w, w
	first.Text, first.Width = a, max(cut-1, 1)
	second.Text, second.Left, second.Width = b, w.Left+cut+1, max(w.Width-cut-1, 1)
	first.Orig, second.Orig = w.Text, w.Text
	return []TSVWord{first, second}
}

func digits(s string) string {
	return strings.Map(func(c rune) rune {
		if d, ok := digitFor[c]; ok {
			return d
		}
		return c
	}, s)
}

// fixAmount returns the amount a money-shaped word was meant to be. The sign, currency symbol,
// parentheses and CR/DR suffix are kept as printed.
func fixAmount(t string) (string, bool) {
	pre, core, post := splitAffixes(t)
	if core == "" || moneyRe.MatchString(core) {
		return t, false
	}
	c := core
	if moneyish.MatchString(c) {
		c = digits(c)
	}
	switch {
	case moneyRe.MatchString(c):
	case commaPoint.MatchString(c):
		m := commaPoint.FindStringSubmatch(c)
		c = m[1] + "." + m[3]
	case lostPoint.MatchString(c) && strings.Contains(c, ","):
		// Only with a thousands separator: "11602" alone may be a reference number.
		m := lostPoint.FindStringSubmatch(c)
		c = m[1] + "," + m[3] + "." + m[4]
	default:
		return t, false
	}
	if !moneyRe.MatchString(c) {
		return t, false
	}
	return pre + c + post, true
}

// splitAffixes sets aside what may surround an amount: a sign, a currency symbol, parentheses,
// a CR/DR suffix.
func splitAffixes(t string) (pre, core, post string) {
	i := 0
	for i < len(t) && strings.IndexByte("-+($", t[i]) >= 0 {
		i++
	}
	// "$" directly before a digit is the currency, not a misread 5.
	j := len(t)
	for _, suf := range []string{"CR", "DR", "Cr", "Dr"} {
		if strings.HasSuffix(t[i:j], suf) {
			j -= len(suf)
			break
		}
	}
	for j > i && strings.IndexByte(")-", t[j-1]) >= 0 {
		j--
	}
	return t[:i], t[i:j], t[j:]
}
