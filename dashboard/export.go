package dashboard

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/pdfgen"
)

// exportHeader names the columns of the transaction exports.
var exportHeader = []string{"LoginId", "Holder", "Institution", "Account", "AccountNumber", "Currency", "Date", "Description",
	"Debit", "Credit", "Balance", "SourceFile"}

// exportRows returns a login's transactions as export rows: text cells, and amounts as numbers
// (nil when absent).
type exportRow struct {
	Text    []string // LoginId … Description (8 cells)
	Amounts [3]*passbook.Money
	Source  string
}

func (h *Handler) exportRows(r *request) (*passbook.LoginRecord, []exportRow, error) {
	rec, err := h.loginOf(r)
	if err != nil {
		return nil, nil, err
	}
	accounts, err := h.cfg.DB.Accounts(r.Context(), rec.Id)
	if err != nil {
		return nil, nil, err
	}
	docs, err := h.cfg.DB.LoginDocuments(r.Context(), rec.Id)
	if err != nil {
		return nil, nil, err
	}
	// The source file: the only document of the upload, or the documents that were read, when
	// the accounts merge several statements.
	var names []string
	for _, d := range docs {
		if d.Authenticity != nil || d.Status == "" || d.Status == "read" {
			names = append(names, d.FileName)
		}
	}
	source := strings.Join(names, "; ")
	var out []exportRow
	for _, a := range accounts {
		holder := ""
		if a.Holder != nil {
			holder = a.Holder.Name
		}
		inst := rec.Institution
		if a.Statement != nil && a.Statement.Institution != "" {
			inst = a.Statement.Institution
		}
		for _, t := range a.Transactions {
			out = append(out, exportRow{
				Text:    []string{rec.Id, holder, inst, a.Title, a.AccountNumber, a.Currency, t.Date.Time().Format("2006-01-02"), t.Description},
				Amounts: [3]*passbook.Money{t.Debit, t.Credit, t.Balance}, Source: source,
			})
		}
	}
	return rec, out, nil
}

// csvSafe keeps a spreadsheet from reading a cell as a formula (=, +, -, @ at the start).
func csvSafe(s string) string {
	s = string(xmlClean([]byte(s)))
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportCSV answers the login's transactions as CSV with a UTF-8 byte-order mark, so that
// spreadsheets read accents right.
func (h *Handler) exportCSV(w http.ResponseWriter, r *request) (string, view, error) {
	rec, rows, err := h.exportRows(r)
	if err != nil {
		return "", view{}, err
	}
	r.audit(h, "export", rec.Id, -1, "csv")
	attachment(w, "transactions-"+rec.Id+".csv", "text/csv; charset=utf-8")
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Write(exportHeader)
	for _, row := range rows {
		rec := make([]string, 0, len(exportHeader))
		for _, s := range row.Text {
			rec = append(rec, csvSafe(s))
		}
		for _, m := range row.Amounts {
			if m == nil {
				rec = append(rec, "")
			} else {
				rec = append(rec, m.String())
			}
		}
		rec = append(rec, csvSafe(row.Source))
		cw.Write(rec)
	}
	cw.Flush()
	return "", view{}, cw.Error()
}

// exportXLSX answers the login's transactions as an Excel workbook: the few parts of Office Open
// XML a spreadsheet needs, written here (inline strings, numbers as numbers).
func (h *Handler) exportXLSX(w http.ResponseWriter, r *request) (string, view, error) {
	rec, rows, err := h.exportRows(r)
	if err != nil {
		return "", view{}, err
	}
	var buf bytes.Buffer
	if err := writeXLSX(&buf, "Transactions", exportHeader, rows); err != nil {
		return "", view{}, err
	}
	r.audit(h, "export", rec.Id, -1, "xlsx")
	attachment(w, "transactions-"+rec.Id+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Write(buf.Bytes())
	return "", view{}, nil
}

func writeXLSX(w io.Writer, sheet string, header []string, rows []exportRow) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + xmlText(sheet) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		// Style 1: bold header; style 2: amounts with two decimals and thousands separators.
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf/><xf fontId="1" applyFont="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	f, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	cell := func(row, col int) string { return colName(col) + strconv.Itoa(row) }
	b.WriteString(`<row r="1">`)
	for i, s := range header {
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr" s="1"><is><t>%s</t></is></c>`, cell(1, i), xmlText(s))
	}
	b.WriteString(`</row>`)
	for ri, row := range rows {
		n := ri + 2
		fmt.Fprintf(&b, `<row r="%d">`, n)
		col := 0
		for _, s := range row.Text {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, cell(n, col), xmlText(s))
			col++
		}
		for _, m := range row.Amounts {
			if m != nil {
				fmt.Fprintf(&b, `<c r="%s" s="2"><v>%s</v></c>`, cell(n, col), m.String())
			}
			col++
		}
		fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, cell(n, col), xmlText(row.Source))
		b.WriteString(`</row>`)
		if b.Len() > 1<<16 {
			if _, err := io.WriteString(f, b.String()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	b.WriteString(`</sheetData></worksheet>`)
	if _, err := io.WriteString(f, b.String()); err != nil {
		return err
	}
	return z.Close()
}

// colName returns a spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// exportReport answers a PDF report of the login: its holder and accounts, each document with
// its verdict and signals, and the decisions recorded.
func (h *Handler) exportReport(w http.ResponseWriter, r *request) (string, view, error) {
	rec, accounts, docs, decisions, err := h.loginFacts(r)
	if err != nil {
		return "", view{}, err
	}
	rp := newReport()
	rp.line("Helvetica-Bold", 16, "Passbook review report")
	rp.line("Helvetica", 9, fmt.Sprintf("Login %s · %s · %s · printed %s by %s", rec.Id, rec.Institution, rec.Type,
		h.cfg.Now().UTC().Format("2006-01-02 15:04 UTC"), r.User.Name))
	rp.gap()
	if len(decisions) > 0 {
		rp.line("Helvetica-Bold", 12, "Decisions")
		for _, d := range decisions {
			what := "login"
			if d.Document >= 0 && d.Document < len(docs) {
				what = docs[d.Document].FileName
			}
			rp.wrap("Helvetica", 10, fmt.Sprintf("%s — %s on %s by %s: %s", d.CreatedAt.Format("2006-01-02 15:04"), d.Decision, what, d.UserName, d.Note))
		}
		rp.gap()
	}
	rp.line("Helvetica-Bold", 12, "Accounts")
	for _, a := range accounts {
		line := fmt.Sprintf("%s %s (%s, %s): balance %s", a.Title, a.AccountNumber, a.Type, a.Currency, moneyOr(a.Balance.Current, a.Currency))
		if a.Holder != nil && a.Holder.Name != "" {
			line += " · holder " + a.Holder.Name
		}
		if s := a.Statement; s != nil {
			line += fmt.Sprintf(" · statement %s to %s, opening %s, closing %s, %s", s.PeriodStart, s.PeriodEnd,
				moneyOr(s.OpeningBalance, a.Currency), moneyOr(s.ClosingBalance, a.Currency), map[bool]string{true: "reconciled", false: "does not reconcile"}[s.Reconciled])
		}
		rp.wrap("Helvetica", 10, line+fmt.Sprintf(" · %d transactions", len(a.Transactions)))
	}
	rp.gap()
	for _, d := range docs {
		head := d.FileName
		if a := d.Authenticity; a != nil {
			head += fmt.Sprintf(" — %s, risk score %d/100", a.Verdict, a.Score)
		}
		rp.line("Helvetica-Bold", 12, head)
		rp.wrap("Helvetica", 9, fmt.Sprintf("%d pages · %s · SHA-256 %s", d.Pages, d.Status, d.SHA256))
		if d.Error != "" {
			rp.wrap("Helvetica", 10, "Error: "+d.Error)
		}
		if d.Review != nil {
			rp.wrap("Helvetica", 10, fmt.Sprintf("Decision: %s by %s on %s. %s", d.Review.Decision, d.Review.DecidedBy, d.Review.DecidedAt.Format("2006-01-02"), d.Review.Note))
		}
		if d.Authenticity != nil {
			if len(d.Authenticity.Signals) == 0 {
				rp.wrap("Helvetica", 10, "No signal: nothing in this file suggests it was altered.")
			}
			for i, s := range d.Authenticity.Signals {
				where := ""
				if s.Page > 0 {
					where = fmt.Sprintf(" (page %d)", s.Page)
				}
				rp.wrap("Helvetica", 10, fmt.Sprintf("%d. [%s] %s%s: %s", i+1, s.Severity, s.Code, where, s.Detail))
			}
		}
		rp.gap()
	}
	r.audit(h, "export", rec.Id, -1, "report")
	attachment(w, "report-"+rec.Id+".pdf", "application/pdf")
	w.Write(rp.doc.Bytes())
	return "", view{}, nil
}

func moneyOr(m *passbook.Money, currency string) string {
	if m == nil {
		return "unknown"
	}
	return formatMoney(*m, currency, "en")
}

// report lays lines of text down US Letter pages.
type report struct {
	doc  *pdfgen.Document
	page *pdfgen.Page
	y    float64
}

const reportMargin, reportWidth, reportHeight = 54.0, 612.0, 792.0

func newReport() *report {
	rp := &report{doc: pdfgen.New()}
	rp.doc.Compress(true)
	rp.doc.SetInfo("Producer", "Passbook")
	rp.doc.SetInfo("Title", "Passbook review report")
	rp.newPage()
	return rp
}

func (rp *report) newPage() {
	rp.page = rp.doc.AddPage(reportWidth, reportHeight)
	rp.y = reportMargin
}

func (rp *report) line(font string, size float64, s string) {
	if rp.y+size*1.4 > reportHeight-reportMargin {
		rp.newPage()
	}
	rp.y += size * 1.3
	rp.page.Text(reportMargin, rp.y, font, size, pdfText(s))
}

// wrap writes s over as many lines as the page's width needs.
func (rp *report) wrap(font string, size float64, s string) {
	words := strings.Fields(pdfText(s))
	var cur string
	for _, w := range words {
		next := strings.TrimSpace(cur + " " + w)
		if cur != "" && pdfgen.TextWidth(font, size, next) > reportWidth-2*reportMargin {
			rp.line(font, size, cur)
			cur = w
			continue
		}
		cur = next
	}
	if cur != "" {
		rp.line(font, size, cur)
	}
}

// pdfText keeps the characters the report's fonts can show (WinAnsi), with French spaces plain.
func pdfText(s string) string {
	s = strings.NewReplacer("\u202f", " ", "\u00a0", " ", "−", "-", "·", "-").Replace(string(xmlClean([]byte(s))))
	return strings.Map(func(c rune) rune {
		if c < 0x20 {
			return ' '
		}
		return c
	}, s)
}

func (rp *report) gap() { rp.y += 8 }
