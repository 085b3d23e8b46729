// Package authenticity decides whether an uploaded bank statement is what it claims to be. It reads
// what the PDF engine (package pdf) and the statement engine (package statement) already know about
// a document — and about the other documents of the same upload — and returns located signals, a
// 0–100 risk score and a verdict. It does no I/O and knows no bank: every check is about how PDF
// files are made and edited, and about the arithmetic every statement obeys.
//
// # Families of signals
//
//   - File structure: incremental updates and what they changed, bytes after the last %%EOF, a
//     repaired cross-reference table, encryption, JavaScript and open actions, embedded files,
//     form fields, markup annotations.
//   - Metadata: a Producer or Creator that is an editing tool (editors.txt, a plain list that is
//     easy to extend), ModDate after CreationDate, malformed or future dates, a CreationDate before
//     the statement period ends, XMP that disagrees with the Info dictionary.
//   - Text layer: opaque boxes drawn over text (white-out) and text typed on them, values whose
//     font, size, alignment or baseline differs from their column and row neighbours, invisible
//     text that is not an OCR layer, pages whose fonts share nothing with the rest of the file.
//   - Content arithmetic: running balances that do not follow, opening + activity ≠ closing,
//     printed totals ≠ the rows, transactions outside the period or in the future.
//   - Image files: an editor in EXIF or XMP, a JPEG saved twice at different qualities, a screen
//     capture presented as a scan or photo, EXIF dates that do not fit. Words read by OCR are not
//     judged as a text layer, so nothing fires because a document is a scan.
//   - Across the documents of one upload: the same file twice, one account's periods overlapping
//     or leaving a gap, a closing balance that is not the next statement's opening, holder names
//     or addresses that differ.
//
// # Score and verdict
//
// Each distinct signal code counts once, at its highest severity: low 5, medium 15, high 40
// points. The score is the sum, capped at 100. The verdict is
//
//	pass    score < 30   (at most a medium and two lows: e.g. a word-processor Producer)
//	review  30 ≤ score < 60   (one high signal, or two medium ones)
//	fail    score ≥ 60   (a high signal with corroboration, e.g. white-out plus a balance break)
//
// Fail needs corroborated evidence (see Verdict): figures that do not add up and nothing else are
// held at review, with a Reason saying a row may have been misread. Apart from the signals,
// Authenticity.Reading states how sure the statement engine is of its reading. The same rules
// are in README.md.
package authenticity

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/statement"
)

// Points per severity and the verdict thresholds; see the package documentation.
const (
	LowPoints    = 5
	MediumPoints = 15
	HighPoints   = 40

	ReviewScore = 30 // a score at or above it is at least Review
	FailScore   = 60 // a score at or above it is Fail
)

// Input is one document of an upload: its bytes and what the engines made of them. Doc and
// Statement may be nil when the engines could not read the file; the checks that need them are
// then skipped.
type Input struct {
	Name      string // file name, used in the details of cross-document signals
	Data      []byte
	Doc       *pdf.Document
	Statement *statement.Result
}

// Options tune the analysis.
type Options struct {
	// Now is "today" for the future-date checks; the zero value means time.Now().
	Now time.Time
}

func (o Options) today() passbook.Date {
	if o.Now.IsZero() {
		return passbook.DateOf(time.Now().UTC())
	}
	return passbook.DateOf(o.Now.UTC())
}

// Analyze checks one document on its own.
func Analyze(in Input, opt Options) passbook.Authenticity {
	a := Verdict(documentSignals(in, opt))
	a.Reading = ReadingOf(in.Statement)
	return a
}

// AnalyzeUpload checks every document of one upload, each on its own and against the others, and
// returns one result per document, in order.
func AnalyzeUpload(docs []Input, opt Options) []passbook.Authenticity {
	sigs := make([][]passbook.Signal, len(docs))
	for i, in := range docs {
		sigs[i] = documentSignals(in, opt)
	}
	for i, extra := range crossSignals(docs) {
		sigs[i] = append(sigs[i], extra...)
	}
	out := make([]passbook.Authenticity, len(docs))
	for i := range docs {
		out[i] = Verdict(sigs[i])
		out[i].Reading = ReadingOf(docs[i].Statement)
	}
	return out
}

func documentSignals(in Input, opt Options) []passbook.Signal {
	var s []passbook.Signal
	if in.Doc != nil && in.Doc.Image != nil {
		s = append(s, imageSignals(in.Doc.Image, in.Data, in.Statement, opt.today())...)
	}
	if in.Doc != nil {
		s = append(s, structureSignals(in.Doc)...)
		s = append(s, metadataSignals(in.Doc, in.Data, in.Statement, opt.today())...)
		s = append(s, textSignals(in.Doc)...)
	}
	if in.Statement != nil {
		s = append(s, arithmeticSignals(in.Statement, opt.today())...)
	}
	return s
}

func points(s passbook.Severity) int {
	switch s {
	case passbook.High:
		return HighPoints
	case passbook.Medium:
		return MediumPoints
	case passbook.Low:
		return LowPoints
	}
	return 0
}

func signal(code string, sev passbook.Severity, page int, box *passbook.Box, format string, args ...any) passbook.Signal {
	return passbook.Signal{Code: code, Severity: sev, Page: page, Box: box, Detail: fmt.Sprintf(format, args...)}
}

func boxPtr(b passbook.Box) *passbook.Box { return &b }

func fingerprint(data []byte) [32]byte { return sha256.Sum256(data) }
