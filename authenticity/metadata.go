package authenticity

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

//go:embed editors.txt
var editorsTxt string

// Editor is one entry of editors.txt.
type Editor struct {
	Severity passbook.Severity
	Match    string // lower case
	Kind     string
}

// editors is the parsed editors.txt; it is never written after initialisation.
var editors = mustParseEditors(editorsTxt)

// ParseEditors reads a list in the format of editors.txt.
func ParseEditors(text string) ([]Editor, error) {
	var out []Editor
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			return nil, fmt.Errorf("editors.txt:%d: want 'severity | name | kind'", n+1)
		}
		sev := passbook.Severity(strings.TrimSpace(parts[0]))
		if sev != passbook.Low && sev != passbook.Medium && sev != passbook.High {
			return nil, fmt.Errorf("editors.txt:%d: unknown severity %q", n+1, sev)
		}
		m := strings.ToLower(strings.TrimSpace(parts[1]))
		if m == "" {
			return nil, fmt.Errorf("editors.txt:%d: empty name", n+1)
		}
		out = append(out, Editor{sev, m, strings.TrimSpace(parts[2])})
	}
	return out, nil
}

func mustParseEditors(text string) []Editor {
	e, err := ParseEditors(text)
	if err != nil {
		panic(err) // the embedded list is checked by the tests
	}
	return e
}

// findEditor returns the first editor whose name occurs in s.
func findEditor(s string) (Editor, bool) {
	l := strings.ToLower(s)
	if l == "" {
		return Editor{}, false
	}
	for _, e := range editors {
		if strings.Contains(l, e.Match) {
			return e, true
		}
	}
	return Editor{}, false
}

// metadataSignals reads the metadata family: Info and XMP against each other, the dates, the tools.
func metadataSignals(doc *pdf.Document, data []byte, st *statement.Result, today passbook.Date) []passbook.Signal {
	info := doc.Structure.Info
	var out []passbook.Signal
	if cur := strings.TrimSpace(info["Producer"]); cur != "" {
		for _, p := range doc.Structure.Producers {
			if p == cur || strings.EqualFold(p, cur) {
				continue
			}
			sev := passbook.Medium
			if _, editor := findEditor(cur); editor || doc.Structure.Revisions > 1 {
				sev = passbook.High
			}
			out = append(out, signal(ProducerChanged, sev, 0, nil,
				"the file was written by “%s” and later saved again by “%s”", clip(p, 60), clip(cur, 60)))
			break
		}
	}
	seen := map[string]bool{}
	for _, key := range []string{"Producer", "Creator"} {
		v := strings.TrimSpace(info[key])
		if e, ok := findEditor(v); ok && !seen[e.Match] {
			seen[e.Match] = true
			out = append(out, signal(EditorProducer, e.Severity, 0, nil, "%s “%s” is an editing tool (%s)", key, clip(v, 80), e.Kind))
		}
	}
	xmp := parseXMP(doc.Structure.XMP)
	for _, key := range []string{"pdf:Producer", "xmp:CreatorTool"} {
		v := xmp[key]
		if e, ok := findEditor(v); ok && !seen[e.Match] {
			seen[e.Match] = true
			out = append(out, signal(EditorProducer, e.Severity, 0, nil, "XMP %s “%s” is an editing tool (%s)", key, clip(v, 80), e.Kind))
		}
	}

	created, cOK := infoDate(info, "CreationDate", &out)
	modified, mOK := infoDate(info, "ModDate", &out)
	if cOK && mOK && modified.Sub(created) > 2*time.Minute {
		out = append(out, signal(ModifiedAfterCreation, passbook.Low, 0, nil,
			"modified %s after it was created (CreationDate %s, ModDate %s)",
			humanDuration(modified.Sub(created)), created.Format(time.RFC3339), modified.Format(time.RFC3339)))
	}
	for _, d := range []struct {
		name string
		t    time.Time
		ok   bool
	}{{"CreationDate", created, cOK}, {"ModDate", modified, mOK}} {
		if d.ok && passbook.DateOf(d.t.UTC()).After(today.AddDays(1)) {
			out = append(out, signal(FutureMetadataDate, passbook.Medium, 0, nil, "%s %s is in the future", d.name, d.t.Format(time.RFC3339)))
		}
	}
	if cOK && !placeholderDate(created) && st != nil && !st.PeriodEnd.IsZero() {
		// The creation day in the file's own time zone; one day of slack for time zones.
		if c := passbook.DateOf(created); c.AddDays(1).Before(st.PeriodEnd) {
			out = append(out, signal(CreatedBeforePeriodEnd, passbook.Medium, 0, nil,
				"the file was created on %s, before the statement period it reports ended (%s)", c.ISO(), st.PeriodEnd.ISO()))
		}
	}

	// XMP against Info.
	if len(xmp) > 0 {
		for _, pair := range [][2]string{{"Producer", "pdf:Producer"}, {"Creator", "xmp:CreatorTool"}} {
			a, b := strings.TrimSpace(info[pair[0]]), strings.TrimSpace(xmp[pair[1]])
			if a != "" && b != "" && !strings.EqualFold(a, b) {
				out = append(out, signal(XMPMismatch, passbook.Medium, 0, nil,
					"Info %s “%s” but XMP %s “%s”", pair[0], clip(a, 60), pair[1], clip(b, 60)))
			}
		}
		for _, pair := range []struct {
			name string
			t    time.Time
			ok   bool
			key  string
		}{{"CreationDate", created, cOK, "xmp:CreateDate"}, {"ModDate", modified, mOK, "xmp:ModifyDate"}} {
			if !pair.ok || xmp[pair.key] == "" {
				continue
			}
			x, err := parseXMPDate(xmp[pair.key])
			if err != nil {
				out = append(out, signal(MalformedDate, passbook.Low, 0, nil, "XMP %s %q is not a valid date", pair.key, clip(xmp[pair.key], 40)))
				continue
			}
			if d := x.Sub(pair.t); d > 2*time.Minute || d < -2*time.Minute {
				out = append(out, signal(XMPMismatch, passbook.Medium, 0, nil,
					"Info %s %s but XMP %s %s", pair.name, pair.t.Format(time.RFC3339), pair.key, x.Format(time.RFC3339)))
			}
		}
	}
	return out
}

// infoDate parses an Info date; a malformed one adds a signal to out.
func infoDate(info map[string]string, key string, out *[]passbook.Signal) (time.Time, bool) {
	v := strings.TrimSpace(info[key])
	if v == "" {
		return time.Time{}, false
	}
	t, err := ParsePDFDate(v)
	if err != nil {
		*out = append(*out, signal(MalformedDate, passbook.Low, 0, nil, "%s %q is not a valid PDF date", key, clip(v, 40)))
		return time.Time{}, false
	}
	return t, true
}

// placeholderDate reports dates that generators write when they are told not to record the real
// time (reproducible builds): the Unix, DOS and PDF epochs and anything before 1993, when PDF was
// published.
func placeholderDate(t time.Time) bool {
	u := t.UTC()
	if u.Year() < 1993 {
		return true
	}
	return u.Month() == time.January && u.Day() == 1 && u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0
}

var pdfDate = regexp.MustCompile(`^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z|[+\-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$`)

// ParsePDFDate reads a PDF date, "D:YYYYMMDDHHmmSSOHH'mm'", every part after the year optional
// (PDF 32000-1 §7.9.4); an ISO 8601 time is accepted too, as some tools write one.
func ParsePDFDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := parseXMPDate(s); err == nil && strings.Contains(s, "-") && !strings.HasPrefix(s, "D:") {
		return t, nil
	}
	m := pdfDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("invalid PDF date %q", s)
	}
	n := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		v, _ := strconv.Atoi(m[i])
		return v
	}
	y, mo, d, h, mi, se := n(1, 0), n(2, 1), n(3, 1), n(4, 0), n(5, 0), n(6, 0)
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, fmt.Errorf("invalid PDF date %q: out of range", s)
	}
	loc := time.UTC
	if m[7] == "+" || m[7] == "-" {
		oh, om := n(8, 0), n(9, 0)
		if oh > 14 || om > 59 {
			return time.Time{}, fmt.Errorf("invalid PDF date %q: bad offset", s)
		}
		off := oh*3600 + om*60
		if m[7] == "-" {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, loc)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("invalid PDF date %q: no such day", s)
	}
	return t, nil
}

func parseXMPDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid XMP date %q", s)
}

// xmpField finds a simple property written as an element or as an attribute.
var xmpField = regexp.MustCompile(`(?s)(pdf:Producer|xmp:CreatorTool|xmp:CreateDate|xmp:ModifyDate)(?:\s*=\s*["']([^"']*)["']|\s*>\s*([^<]*)<)`)

// parseXMP returns the properties of an XMP packet that the checks compare with Info.
func parseXMP(packet string) map[string]string {
	out := map[string]string{}
	for _, m := range xmpField.FindAllStringSubmatch(packet, -1) {
		v := m[2]
		if v == "" {
			v = m[3]
		}
		v = strings.TrimSpace(xmlUnescape(v))
		if v != "" {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = v
			}
		}
	}
	return out
}

func xmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace(s)
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	default:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
}
