package authenticity

import (
	"fmt"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/statement"
)

// Family is a kind of evidence. Signals of one family often share one cause (one incremental
// update both changes content and adds fonts; one misread row breaks a balance, the closing and a
// total), so a verdict of fail asks for evidence that does not share it: see Verdict.
type Family string

// Families of signals.
const (
	FamilyStructure  Family = "structure"  // how the file was saved: updates, trailing data, actions
	FamilyMetadata   Family = "metadata"   // the tools and dates the file records about itself
	FamilyTextLayer  Family = "text"       // what is drawn on the pages, located: white-out, outliers, hidden text
	FamilyArithmetic Family = "arithmetic" // the statement's figures as read: they follow or they do not
	FamilyUpload     Family = "upload"     // the documents of one upload against each other
	FamilyImage      Family = "image"      // how an image file was made: EXIF, recompression, screenshots
)

// FamilyOf returns the family of a signal code; codes this package does not know are counted as
// structure.
func FamilyOf(code string) Family {
	switch code {
	case EditorProducer, ProducerChanged, ModifiedAfterCreation, MalformedDate, FutureMetadataDate,
		CreatedBeforePeriodEnd, XMPMismatch:
		return FamilyMetadata
	case Whiteout, TextCovered, FontMismatch, SizeMismatch, OffAlignment, OffBaseline, InvisibleText,
		PageFontsDiffer, PageSizeDiffers, AnnotationOverText:
		return FamilyTextLayer
	case BalanceBreak, ClosingMismatch, TotalMismatch, OutsidePeriod, FutureDate:
		return FamilyArithmetic
	case DuplicateFile, PeriodOverlap, PeriodGap, BalanceChain, HolderMismatch, AddressMismatch:
		return FamilyUpload
	case ImageEditor, ImageRecompressed, ImageScreenshot, ImageDates:
		return FamilyImage
	}
	return FamilyStructure
}

// Verdict scores signals and orders them, most severe first; see the package documentation.
//
// A score of FailScore or more gives fail only when the evidence is corroborated: located on the
// page (the text layer shows what was changed and where), or of two independent families of
// which one records how the file was made (structure, metadata or image). Otherwise — figures
// that do not add up and nothing else, or one incremental update and nothing it changed — the
// score is held just under FailScore, the verdict is review, and Reason says why.
func Verdict(signals []passbook.Signal) passbook.Authenticity {
	best := map[string]int{}
	strong := map[Family][]string{} // families with a medium or high signal, and those codes
	var textHigh bool
	for _, s := range signals {
		p := points(s.Severity)
		if p > best[s.Code] {
			best[s.Code] = p
		}
		if p >= MediumPoints {
			f := FamilyOf(s.Code)
			if !contains(strong[f], s.Code) {
				strong[f] = append(strong[f], s.Code)
			}
			if f == FamilyTextLayer && (p >= HighPoints || locatedWithOther(s, signals)) {
				textHigh = true
			}
		}
	}
	if codes := strong[FamilyTextLayer]; len(codes) == 1 && !textHigh {
		// One kind of medium outlier (a value 1.4 pt off its column), at no place another
		// signal points to: genuine layouts have those; it corroborates nothing.
		delete(strong, FamilyTextLayer)
	}
	score := 0
	for _, p := range best {
		score += p
	}
	score = min(score, 100)
	reason := ""
	if score >= FailScore {
		if ok, why := corroborated(strong); ok {
			reason = why
		} else {
			score, reason = FailScore-1, why
		}
	} else if codes := strong[FamilyArithmetic]; len(codes) > 0 && len(strong) == 1 {
		reason = misreadReason(codes)
	}
	v := passbook.Pass
	switch {
	case score >= FailScore:
		v = passbook.Fail
	case score >= ReviewScore:
		v = passbook.Review
	}
	if v == passbook.Pass {
		reason = ""
	}
	out := append([]passbook.Signal(nil), signals...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if pa, pb := points(a.Severity), points(b.Severity); pa != pb {
			return pa > pb
		}
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Code < b.Code
	})
	if out == nil {
		out = []passbook.Signal{}
	}
	return passbook.Authenticity{Verdict: v, Score: score, Reason: reason, Signals: out}
}

// corroborated decides whether strong evidence may fail a document, and says why in either case.
func corroborated(strong map[Family][]string) (bool, string) {
	if codes := strong[FamilyTextLayer]; len(codes) > 0 {
		return true, "the pages show where the document was changed (" + strings.Join(codes, ", ") + ")" + alsoFamilies(strong, FamilyTextLayer)
	}
	var fams []Family
	for _, f := range []Family{FamilyStructure, FamilyMetadata, FamilyImage, FamilyArithmetic, FamilyUpload} {
		if len(strong[f]) > 0 {
			fams = append(fams, f)
		}
	}
	making := len(strong[FamilyStructure]) > 0 || len(strong[FamilyMetadata]) > 0 || len(strong[FamilyImage]) > 0
	if len(fams) >= 2 && making {
		parts := make([]string, len(fams))
		for i, f := range fams {
			parts[i] = describe(f) + " (" + strings.Join(strong[f], ", ") + ")"
		}
		return true, "independent signs of a change: " + strings.Join(parts, "; ")
	}
	if len(fams) == 1 && fams[0] == FamilyArithmetic {
		return false, misreadReason(strong[FamilyArithmetic])
	}
	if len(fams) == 1 {
		return false, "only " + describe(fams[0]) + " shows a change (" + strings.Join(strong[fams[0]], ", ") +
			"); nothing on the pages or in the figures shows what was changed: review the file"
	}
	// The figures and the other documents of the upload disagree, and nothing in the file
	// itself shows an edit.
	return false, misreadReason(append(append([]string(nil), strong[FamilyArithmetic]...), strong[FamilyUpload]...))
}

func misreadReason(codes []string) string {
	return "the figures as read do not add up (" + strings.Join(codes, ", ") + ") but nothing else in the file shows an edit: " +
		"a row may have been misread, or an amount changed before the file was made; compare the rows the signals name with the page"
}

func alsoFamilies(strong map[Family][]string, except Family) string {
	var parts []string
	for _, f := range []Family{FamilyStructure, FamilyMetadata, FamilyImage, FamilyArithmetic, FamilyUpload} {
		if f != except && len(strong[f]) > 0 {
			parts = append(parts, describe(f)+" ("+strings.Join(strong[f], ", ")+")")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; also " + strings.Join(parts, "; ")
}

func describe(f Family) string {
	switch f {
	case FamilyStructure:
		return "the file's structure"
	case FamilyMetadata:
		return "the file's metadata"
	case FamilyImage:
		return "the image's encoding"
	case FamilyArithmetic:
		return "the statement's arithmetic"
	case FamilyUpload:
		return "the other documents of the upload"
	}
	return string(f)
}

// locatedWithOther reports whether s shares its place with a signal of another code: a value off
// its column that is also the balance that does not follow.
func locatedWithOther(s passbook.Signal, all []passbook.Signal) bool {
	if s.Box == nil {
		return false
	}
	for _, o := range all {
		if o.Code != s.Code && o.Box != nil && o.Page == s.Page && covered(*o.Box, *s.Box) > 0.3 {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// ReadingOf states how sure the statement engine can be of its reading, from the statement's own
// arithmetic, apart from the fraud signals; nil without a statement. Analyze and AnalyzeUpload
// set it; a caller that builds the verdict itself from Verdict sets it with this.
func ReadingOf(st *statement.Result) *passbook.Reading {
	if st == nil {
		return nil
	}
	r := &passbook.Reading{}
	var ok, bad, partly, unchecked int
	for _, a := range st.Accounts {
		name := a.Number
		if name == "" {
			name = a.Title
		}
		if name == "" {
			name = "(no number)"
		}
		rec := a.Reconciliation
		if len(a.Transactions) == 0 {
			unchecked++
			r.Notes = append(r.Notes, fmt.Sprintf("account %s: no rows were read", name))
			continue
		}
		checks := rec.BalancesChecked
		if rec.Expected != nil && a.Closing != nil {
			checks++
		}
		checks += len(a.Totals)
		if checks == 0 {
			unchecked++
			r.Notes = append(r.Notes, fmt.Sprintf("account %s: the statement prints no balance or total to check the %d rows against", name, len(a.Transactions)))
			continue
		}
		if rec.Reconciled {
			ok++
			continue
		}
		bad++
		var flips, breaks int
		for _, b := range rec.Breaks {
			if b.Index >= 0 && b.Index < len(a.Transactions) && signFlip(b, a.Transactions[b.Index]) {
				flips++
				r.Notes = append(r.Notes, fmt.Sprintf("account %s: the balance after row %d (%s) follows only if the row's amount has the other sign: debit and credit may be misread",
					name, b.Index+1, a.Transactions[b.Index].Date.ISO()))
				continue
			}
			breaks++
		}
		if rec.BalancesChecked > breaks+flips || rec.ClosingOK {
			partly++ // some of the account's figures do follow
		}
		if breaks > 0 && rec.BalancesChecked > 0 {
			n := fmt.Sprintf("account %s: %d of %d printed running balances do not follow from the rows as read", name, breaks, rec.BalancesChecked)
			if breaks > maxBreaks {
				n += " (many breaks usually mean the table was misread)"
			}
			r.Notes = append(r.Notes, n)
		}
		if rec.Expected != nil && a.Closing != nil && !rec.ClosingOK {
			r.Notes = append(r.Notes, fmt.Sprintf("account %s: opening %s and the rows as read give %s, the printed closing is %s",
				name, moneyStr(a.Opening), *rec.Expected, *a.Closing))
		}
		for _, t := range a.Totals {
			if !t.OK {
				r.Notes = append(r.Notes, fmt.Sprintf("account %s: “%s” is printed as %s, the rows as read add up to %s", name, clip(t.Label, 40), t.Printed, t.Computed))
			}
		}
	}
	switch {
	case ok+bad == 0:
		r.Confidence = passbook.ReadingUnchecked
	case bad == 0 && unchecked == 0:
		r.Confidence = passbook.ReadingReconciled
	case ok == 0 && partly == 0 && unchecked == 0:
		r.Confidence = passbook.ReadingUnreconciled
	default:
		r.Confidence = passbook.ReadingPartial
	}
	if len(r.Notes) > 3*maxPerCode {
		r.Notes = append(r.Notes[:3*maxPerCode], fmt.Sprintf("… and %d more", len(r.Notes)-3*maxPerCode))
	}
	return r
}
