package dashboard

import (
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passbookhq/passbook"
)

// xmlOK reports whether XML 1.0 allows character c (Char production): a PDF's text may hold
// control characters that would make an SVG or XHTML parser give up on the whole page.
func xmlOK(c rune) bool {
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF)
}

// xmlClean returns b without the characters XML forbids and with invalid UTF-8 replaced.
// It returns b itself when there is nothing to remove.
func xmlClean(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		c, n := utf8.DecodeRune(b[i:])
		if (c == utf8.RuneError && n <= 1) || !xmlOK(c) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c, n := utf8.DecodeRune(b[i:])
		i += n
		switch {
		case c == utf8.RuneError && n <= 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case xmlOK(c):
			out = utf8.AppendRune(out, c)
		}
	}
	return out
}

// xmlText returns s cleaned of XML-forbidden characters and escaped for XML text and attributes.
func xmlText(s string) string {
	return xmlEscaper.Replace(string(xmlClean([]byte(s))))
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// formatMoney writes m in the conventions of lang: "$13,996.76" / "13 996,76 $".
func formatMoney(m passbook.Money, currency, lang string) string { return m.Format(currency, lang) }

// formatDate writes a statement date ("2026/03/05") for lang.
func formatDate(d passbook.Date, lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "fr" {
		return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year)
	}
	return d.Time().Format("Jan 2, 2006")
}

// t translates the Dashboard's few phrases that depend on the language of money and dates.
func tr(lang, en, fr string) string {
	if lang == "fr" {
		return fr
	}
	return en
}

var funcs = template.FuncMap{
	"money": func(m *passbook.Money, currency, lang string) string {
		if m == nil {
			return ""
		}
		return formatMoney(*m, currency, lang)
	},
	"date": formatDate,
	"period": func(s, lang string) string {
		d, err := time.Parse("2006/01/02", s)
		if err != nil {
			return s
		}
		return formatDate(passbook.DateOf(d), lang)
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04")
	},
	"size": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
	"box": func(b *passbook.Box) string {
		if b == nil {
			return ""
		}
		return fmt.Sprintf("(%.0f, %.0f)–(%.0f, %.0f)", b.X0, b.Y0, b.X1, b.Y1)
	},
	"decision": func(d string) string {
		return map[string]string{"accepted": "Accepted", "rejected": "Rejected", "needs_info": "Needs info"}[d]
	},
	"tr":    tr,
	"list3": func(a, b, c string) []string { return []string{a, b, c} },
	"rowid": rowID,
	"boxW":  func(b *passbook.Box) float64 { return b.X1 - b.X0 },
	"boxH":  func(b *passbook.Box) float64 { return b.Y1 - b.Y0 },
	"decideArgs": func(loginID string, doc int, can bool, ret string) map[string]any {
		return map[string]any{"LoginID": loginID, "Document": doc, "CanDecide": can, "Return": ret}
	},
	"add":  func(a, b int) int { return a + b },
	"last": func(s string, n int) string { r := []rune(s); return string(r[max(0, len(r)-n):]) },
	"mask": func(number string) string {
		r := []rune(strings.TrimSpace(number))
		if len(r) <= 4 {
			return string(r)
		}
		return "••••" + string(r[len(r)-4:])
	},
}
