package authenticity

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/passbookhq/passbook"
)

// FraudAnalysis is the body of GET /v3/{customerId}/upload/fraudanalysis/{loginId}, in the shape
// Flinks serves, with Passbook's verdict, score and signal boxes added.
type FraudAnalysis struct {
	DocumentAnalysis []DocumentAnalysis
}

// DocumentAnalysis is the analysis of one uploaded file.
type DocumentAnalysis struct {
	DocumentId string `json:",omitempty"`
	FileName   string
	// Status is "FraudDetected" (verdict fail), "ReviewRecommended" (review) or
	// "NoFraudDetected" (pass).
	Status string
	// FraudVerdict is the verdict in the words of Flinks' Document Check: "Trust" (no signal),
	// "Normal" (only low signals), "Warning" (review) or "High Risk" (fail).
	FraudVerdict string
	Verdict      passbook.Verdict
	Score        int
	Reason       string            `json:",omitempty"` // why the verdict, when it needs saying (Authenticity.Reason)
	Reading      *passbook.Reading `json:",omitempty"` // how sure the reading is, apart from the signals
	FullAnalysis []FullAnalysis
}

// FullAnalysis groups the signals of one document type; uploads are bank statements.
type FullAnalysis struct {
	DocumentType string // "BankStatement"
	FraudSignals []FraudSignal
}

// FraudSignal is one signal code with the places it was seen: Flinks' Type, PageNumber, Count and
// UnderlyingData, plus the severity and the located occurrences.
type FraudSignal struct {
	Type           string // the signal code, e.g. "WHITEOUT"
	PageNumber     int    // the first page it was seen on; 0 for the whole file
	Count          int
	UnderlyingData []UnderlyingData // one per occurrence, in Flinks' Details shape
	Severity       passbook.Severity
	Occurrences    []passbook.Signal
}

// UnderlyingData is one occurrence of a signal: Flinks' list of typed details.
type UnderlyingData struct {
	Details []Detail
}

// Detail is one fact about an occurrence: what it is (SpecificType), its value as text, and the
// type of that value (String, Integer, Box).
type Detail struct {
	SpecificType string
	Value        string
	DataType     string
}

// underlying returns the Flinks details of one located signal.
func underlying(s passbook.Signal) UnderlyingData {
	d := []Detail{{"Description", s.Detail, "String"}, {"Severity", string(s.Severity), "String"}}
	if s.Page > 0 {
		d = append(d, Detail{"PageNumber", strconv.Itoa(s.Page), "Integer"})
	}
	if s.Box != nil {
		d = append(d, Detail{"Location", fmt.Sprintf("%.1f,%.1f,%.1f,%.1f", s.Box.X0, s.Box.Y0, s.Box.X1, s.Box.Y1), "Box"})
	}
	return UnderlyingData{Details: d}
}

// Flinks' verdict words.
const (
	VerdictTrust    = "Trust"
	VerdictNormal   = "Normal"
	VerdictWarning  = "Warning"
	VerdictHighRisk = "High Risk"
)

// flinksVerdict says a verdict in Flinks' words.
func flinksVerdict(a *passbook.Authenticity) string {
	switch {
	case a.Verdict == passbook.Fail:
		return VerdictHighRisk
	case a.Verdict == passbook.Review:
		return VerdictWarning
	case len(a.Signals) == 0:
		return VerdictTrust
	}
	return VerdictNormal
}

// Statuses of a DocumentAnalysis.
const (
	StatusFraud    = "FraudDetected"
	StatusReview   = "ReviewRecommended"
	StatusNoFraud  = "NoFraudDetected"
	DocumentTypeBS = "BankStatement"
)

// FlinksFraudAnalysis builds the /fraudanalysis body from the documents of one upload; documents
// without an Authenticity (unreadable files) are left out.
func FlinksFraudAnalysis(docs []passbook.Document) FraudAnalysis {
	out := FraudAnalysis{DocumentAnalysis: []DocumentAnalysis{}}
	for _, d := range docs {
		if d.Authenticity == nil {
			continue
		}
		a := d.Authenticity
		da := DocumentAnalysis{DocumentId: d.Id, FileName: d.FileName, Verdict: a.Verdict, Score: a.Score, Reason: a.Reason, Reading: a.Reading, Status: StatusNoFraud, FraudVerdict: flinksVerdict(a)}
		switch a.Verdict {
		case passbook.Fail:
			da.Status = StatusFraud
		case passbook.Review:
			da.Status = StatusReview
		}
		byCode := map[string]*FraudSignal{}
		var order []string
		for _, s := range a.Signals {
			fs := byCode[s.Code]
			if fs == nil {
				fs = &FraudSignal{Type: s.Code, PageNumber: s.Page, Severity: s.Severity}
				byCode[s.Code] = fs
				order = append(order, s.Code)
			}
			fs.Count++
			fs.UnderlyingData = append(fs.UnderlyingData, underlying(s))
			fs.Occurrences = append(fs.Occurrences, s)
			if s.Page != 0 && (fs.PageNumber == 0 || s.Page < fs.PageNumber) {
				fs.PageNumber = s.Page
			}
			if points(s.Severity) > points(fs.Severity) {
				fs.Severity = s.Severity
			}
		}
		sort.SliceStable(order, func(i, j int) bool { return points(byCode[order[i]].Severity) > points(byCode[order[j]].Severity) })
		fa := FullAnalysis{DocumentType: DocumentTypeBS, FraudSignals: []FraudSignal{}}
		for _, c := range order {
			fa.FraudSignals = append(fa.FraudSignals, *byCode[c])
		}
		da.FullAnalysis = []FullAnalysis{fa}
		out.DocumentAnalysis = append(out.DocumentAnalysis, da)
	}
	return out
}
