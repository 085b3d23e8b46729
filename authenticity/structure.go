package authenticity

import (
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
)

// markupSubtypes are the annotation subtypes a reader or editor adds on top of a page. Links,
// widgets (form fields, counted separately) and popups are not markup.
var markupSubtypes = map[string]bool{
	"FreeText": true, "Text": true, "Square": true, "Circle": true, "Stamp": true, "Ink": true,
	"Highlight": true, "Underline": true, "StrikeOut": true, "Squiggly": true, "Redact": true,
	"Polygon": true, "PolyLine": true, "Line": true, "Caret": true, "FileAttachment": true,
}

// structureSignals reads the file-structure family from doc.Structure and the pages' annotations.
func structureSignals(doc *pdf.Document) []passbook.Signal {
	st := doc.Structure
	var out []passbook.Signal
	for i, changes := range st.RevisionChanges {
		out = append(out, revisionSignals(i+1, len(st.RevisionChanges), changes)...)
	}
	if len(st.RevisionChanges) == 0 && st.Revisions > 1 {
		out = append(out, signal(IncrementalUpdate, passbook.Low, 0, nil,
			"the file was saved %d times (incremental updates), contents of the updates unknown", st.Revisions))
	}
	if st.TrailingBytes > 0 {
		out = append(out, signal(TrailingBytes, passbook.Medium, 0, nil,
			"%d bytes of data after the end of the file (%%%%EOF)", st.TrailingBytes))
	}
	if st.XrefRepaired {
		out = append(out, signal(XrefRepaired, passbook.Medium, 0, nil,
			"the cross-reference table is broken and had to be rebuilt; editing tools that patch files by hand leave this"))
	}
	if st.Encrypted {
		out = append(out, signal(Encrypted, passbook.Low, 0, nil, "the file is encrypted"))
	}
	if st.JavaScript {
		out = append(out, signal(JavaScript, passbook.Medium, 0, nil, "the file contains JavaScript"))
	}
	if st.OpenAction {
		out = append(out, signal(OpenAction, passbook.Low, 0, nil, "the file runs an action when it is opened"))
	}
	if st.EmbeddedFiles > 0 {
		out = append(out, signal(EmbeddedFiles, passbook.Low, 0, nil, "%d file(s) embedded in the PDF", st.EmbeddedFiles))
	}
	if st.FormFields > 0 {
		out = append(out, signal(FormFields, passbook.Low, 0, nil, "%d fillable form field(s)", st.FormFields))
	}
	for _, p := range doc.Pages {
		for _, a := range p.Annotations {
			if a.Subtype != "Link" && a.Subtype != "Popup" {
				if hidden := wordsUnder(&p, a.Box); hidden != "" {
					out = append(out, signal(AnnotationOverText, passbook.High, p.Number, boxPtr(a.Box),
						"a %s annotation is placed over “%s” on the page", a.Subtype, hidden))
					continue
				}
			}
			if !markupSubtypes[a.Subtype] {
				continue
			}
			d := "a " + a.Subtype + " annotation added on top of the page"
			if c := strings.TrimSpace(a.Content); c != "" {
				d += ": “" + clip(c, 60) + "”"
			}
			out = append(out, signal(MarkupAnnotation, passbook.Medium, p.Number, boxPtr(a.Box), "%s", d))
		}
	}
	return out
}

// revisionSignals describes incremental update n of total by what it touched.
func revisionSignals(n, total int, changes []string) []passbook.Signal {
	has := map[string]bool{}
	for _, c := range changes {
		has[c] = true
	}
	which := "an incremental update"
	if total > 1 {
		which = "incremental update " + itoa(n) + " of " + itoa(total)
	}
	var out []passbook.Signal
	if has["content"] {
		out = append(out, signal(RevisionChangedContent, passbook.High, 0, nil,
			"%s changed the content of page(s) after the file was first written", which))
	}
	if has["fonts"] {
		out = append(out, signal(RevisionAddedFonts, passbook.Medium, 0, nil,
			"%s added fonts to the file after it was first written", which))
	}
	if has["annotations"] {
		out = append(out, signal(RevisionAddedAnnots, passbook.Medium, 0, nil,
			"%s added or changed annotations", which))
	}
	if has["metadata"] && len(out) == 0 {
		sev := passbook.Medium
		out = append(out, signal(RevisionChangedMetadata, sev, 0, nil,
			"%s rewrote the document metadata (Producer, dates) after the file was first written", which))
	}
	if len(out) == 0 && has["other"] {
		out = append(out, signal(IncrementalUpdate, passbook.Low, 0, nil, "%s changed other parts of the file", which))
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// wordsUnder returns the visible words of the page that box covers, joined, or "".
func wordsUnder(p *pdf.Page, box passbook.Box) string {
	var parts []string
	for _, w := range p.Words {
		if !w.Hidden && strings.TrimSpace(w.Text) != "" && covered(w.Box, box) >= coverFraction {
			parts = append(parts, w.Text)
		}
	}
	return clip(strings.Join(parts, " "), 60)
}
