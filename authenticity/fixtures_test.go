package authenticity

import (
	"fmt"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/pdfgen"
)

// The fixtures are small statements drawn with pdfgen: a genuine one and forgeries of it made the
// ways forgers make them. TestFixtures writes them to testdata/ with -update and otherwise checks
// that the committed files are what this code makes, then analyses them.

// row is one transaction line of a fixture statement.
type row struct {
	date, desc    string
	debit, credit passbook.Money
}

var fixtureRows = []row{
	{"Mar 02", "PAYROLL DEPOSIT ACME LTD", 0, 231450},
	{"Mar 03", "GROCERY STORE 1142", 8734, 0},
	{"Mar 05", "E-TRANSFER SENT J SMITH", 25000, 0},
	{"Mar 07", "HYDRO ONLINE PAYMENT", 11203, 0},
	{"Mar 09", "COFFEE SHOP 22", 575, 0},
	{"Mar 12", "REFUND HARDWARE STORE", 0, 3232},
	{"Mar 15", "RENT PAYMENT", 145000, 0},
	{"Mar 16", "PAYROLL DEPOSIT ACME LTD", 0, 231450},
	{"Mar 19", "PHARMACY 0087", 2419, 0},
	{"Mar 22", "GAS STATION 301", 6120, 0},
	{"Mar 26", "MOBILE PHONE BILL", 7500, 0},
	{"Mar 30", "MONTHLY ACCOUNT FEE", 1095, 0},
}

const fixtureOpening passbook.Money = 104215

// Column right edges and the table geometry of the fixture layout.
const (
	colDebit   = 420.0
	colCredit  = 490.0
	colBalance = 560.0
	tableTop   = 230.0
	rowHeight  = 18.0
	bodyFont   = "Helvetica"
	bodySize   = 9.0
)

// money formats cents with thousands separators: 123456 → "1,234.56".
func money(m passbook.Money) string {
	s := m.String()
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac := s[:len(s)-3], s[len(s)-3:]
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if neg {
		return "-" + whole + frac
	}
	return whole + frac
}

// rowBaseline returns the baseline of transaction row i.
func rowBaseline(i int) float64 { return tableTop + rowHeight*float64(i+1) + 12 }

// genuineStatement draws the March fixture statement.
func genuineStatement(holder string) *pdfgen.Document {
	return statementDoc(spec{holder: holder, month: time.March, opening: fixtureOpening, rows: fixtureRows})
}

// spec says what a fixture statement shows.
type spec struct {
	holder  string
	month   time.Month // of 2026; the period is the whole month
	opening passbook.Money
	rows    []row // dates are written "Mon DD" with the spec's month unless a row sets its own
	// printed, when set, replaces row i's printed debit (the figure changed before printing)
	printed map[int]passbook.Money
}

// statementDoc draws a statement the way a statement generator does: shading first, then text,
// amounts right-aligned, one font family.
func statementDoc(sp spec) *pdfgen.Document {
	mon := sp.month.String()[:3]
	last := time.Date(2026, sp.month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := pdfgen.New()
	d.Compress(true)
	d.SetInfo("Producer", "Northwind Statement Server 4.2")
	d.SetInfo("Creator", "Northwind Bank")
	d.SetInfo("CreationDate", pdfgen.Date(2026, int(sp.month)+1, 1, 6, 12, 0))
	d.SetInfo("ModDate", pdfgen.Date(2026, int(sp.month)+1, 1, 6, 12, 0))
	p := d.AddPage(612, 792)
	p.Rect(40, 40, 572, 80, pdfgen.Color{R: 0.1, G: 0.2, B: 0.45})
	p.TextStyle(52, 66, "Helvetica-Bold", 16, pdfgen.White, false, "Northwind Bank")
	p.Text(52, 110, bodyFont, 10, sp.holder)
	p.Text(52, 124, bodyFont, 10, "1345 King St W, Apt 2080")
	p.Text(52, 138, bodyFont, 10, "Halifax NS B3J 1S9")
	p.Text(360, 110, bodyFont, 10, "Account 00423-5417788")
	p.Text(360, 124, bodyFont, 10, fmt.Sprintf("Statement period %s 01, 2026 to %s %02d, 2026", mon, mon, last))

	// Table header on a shaded band.
	p.Rect(40, tableTop, 572, tableTop+rowHeight, pdfgen.Gray(0.85))
	hy := tableTop + 12
	p.Text(52, hy, "Helvetica-Bold", bodySize, "Date")
	p.Text(100, hy, "Helvetica-Bold", bodySize, "Description")
	p.TextRight(colDebit, hy, "Helvetica-Bold", bodySize, "Withdrawals")
	p.TextRight(colCredit, hy, "Helvetica-Bold", bodySize, "Deposits")
	p.TextRight(colBalance, hy, "Helvetica-Bold", bodySize, "Balance")

	bal := sp.opening
	y := rowBaseline(-1) + rowHeight
	p.Text(100, y, bodyFont, bodySize, "Opening balance")
	p.TextRight(colBalance, y, bodyFont, bodySize, money(bal))
	for i, r := range sp.rows {
		top := tableTop + rowHeight*float64(i+2)
		if i%2 == 1 {
			p.Rect(40, top, 572, top+rowHeight, pdfgen.Gray(0.95)) // zebra shading, under the text
		}
		y := top + 12
		bal += r.credit - r.debit
		date := r.date
		if len(date) == 6 && date[:3] == "Mar" {
			date = mon + date[3:]
		}
		p.Text(52, y, bodyFont, bodySize, date)
		p.Text(100, y, bodyFont, bodySize, r.desc)
		if r.debit != 0 {
			shown := r.debit
			if v, ok := sp.printed[i]; ok {
				shown = v
			}
			p.TextRight(colDebit, y, bodyFont, bodySize, money(shown))
		}
		if r.credit != 0 {
			p.TextRight(colCredit, y, bodyFont, bodySize, money(r.credit))
		}
		p.TextRight(colBalance, y, bodyFont, bodySize, money(bal))
	}
	y = tableTop + rowHeight*float64(len(sp.rows)+2) + 12
	p.Text(100, y, "Helvetica-Bold", bodySize, "Closing balance")
	p.TextRight(colBalance, y, "Helvetica-Bold", bodySize, money(bal))
	p.Text(52, 740, bodyFont, 7, "Northwind Bank is a fictional bank. This statement was generated for tests.")
	return d
}

// closing returns the closing balance of a spec.
func (sp spec) closing() passbook.Money {
	bal := sp.opening
	for _, r := range sp.rows {
		bal += r.credit - r.debit
	}
	return bal
}

// amountBox is roughly where fixture row i's column value is drawn, for white-out boxes.
func amountBox(i int, right float64, text string) (x0, y0, x1, y1 float64) {
	y := rowBaseline(i) + rowHeight
	w := pdfgen.TextWidth(bodyFont, bodySize, text)
	return right - w - 1.5, y - bodySize - 0.5, right + 1.5, y + 3
}

// fixture is one test document with what the analysis must find in it.
type fixture struct {
	name    string
	about   string
	build   func() []byte
	verdict []passbook.Verdict // acceptable verdicts
	want    []string           // codes that must be present
	absent  []string           // codes that must not be present
}

var notPass = []passbook.Verdict{passbook.Review, passbook.Fail}
var onlyPass = []passbook.Verdict{passbook.Pass}

func fixtures() []fixture {
	const victim = 6 // "REFUND HARDWARE STORE", credit 32.32
	orig := money(fixtureRows[victim-1].credit)
	return []fixture{
		{
			name: "genuine", about: "a statement as its generator prints it: shading under text, aligned columns",
			build:   func() []byte { return genuineStatement("ZOE SINGH").Bytes() },
			verdict: onlyPass,
			absent:  []string{Whiteout, TextCovered, FontMismatch, OffAlignment, OffBaseline, SizeMismatch, InvisibleText, EditorProducer},
		},
		{
			name: "genuine-scan", about: "a scanned page with an invisible OCR text layer",
			build: func() []byte {
				d := pdfgen.New()
				d.SetInfo("Producer", "Scanner Firmware 2.1")
				p := d.AddPage(612, 792)
				px := make([]byte, 64*64)
				for i := range px {
					px[i] = byte(200 + i%50)
				}
				p.Image(0, 0, 612, 792, 64, 64, px)
				for i, r := range fixtureRows {
					y := rowBaseline(i)
					p.InvisibleText(52, y, bodyFont, bodySize, r.date)
					p.InvisibleText(100, y, bodyFont, bodySize, r.desc)
				}
				return d.Bytes()
			},
			verdict: onlyPass,
			absent:  []string{InvisibleText},
		},
		{
			name: "genuine-running-header", about: "a browser print whose running header is drawn over the rows flowing under it on every page",
			build: func() []byte {
				d := pdfgen.New()
				d.SetInfo("Producer", "Skia/PDF m156")
				for pg := range 3 {
					p := d.AddPage(612, 792)
					for i, r := range fixtureRows {
						y := 40 + 18*float64(i)
						p.Text(52, y, bodyFont, bodySize, r.date)
						p.Text(100, y, bodyFont, bodySize, r.desc)
						p.TextRight(colBalance, y, bodyFont, bodySize, money(r.debit+r.credit))
					}
					// The fixed header, painted last, over the first rows.
					p.Rect(40, 30, 572, 62, pdfgen.Color{R: 0.95, G: 0.95, B: 0.97})
					p.Text(52, 50, "Helvetica-Bold", 11, fmt.Sprintf("Northwind Bank - page %d", pg+1))
				}
				return d.Bytes()
			},
			verdict: onlyPass,
			absent:  []string{Whiteout},
		},
		{
			name: "whiteout-update", about: "a white box over an amount and a new amount typed on it, saved as an incremental update",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.Bytes()
				p := d.Page(1)
				x0, y0, x1, y1 := amountBox(victim-1, colCredit, orig)
				p.Rect(x0, y0, x1, y1, pdfgen.White)
				p.Text(x0+1, rowBaseline(victim-1)+rowHeight, "Courier", 9.5, "162.10")
				d.SetInfo("ModDate", pdfgen.Date(2026, 4, 9, 14, 2, 0))
				return d.Update()
			},
			verdict: []passbook.Verdict{passbook.Fail},
			want:    []string{Whiteout, RevisionChangedContent, FontMismatch},
		},
		{
			name: "whiteout-rewrite", about: "the same white-out, the file then rewritten in one piece so no update remains",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				p := d.Page(1)
				x0, y0, x1, y1 := amountBox(victim-1, colCredit, orig)
				p.Rect(x0, y0, x1, y1, pdfgen.White)
				p.Text(x0+1, rowBaseline(victim-1)+rowHeight, "Courier", 9.5, "162.10")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{Whiteout, FontMismatch},
			absent:  []string{RevisionChangedContent},
		},
		{
			name: "meta-editor", about: "re-saved by an online editor: Producer and ModDate rewritten in an incremental update",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.Bytes()
				d.SetInfo("Producer", "iLovePDF")
				d.SetInfo("ModDate", pdfgen.Date(2026, 4, 12, 20, 41, 0))
				return d.Update()
			},
			verdict: []passbook.Verdict{passbook.Fail},
			want:    []string{EditorProducer, ProducerChanged, RevisionChangedMetadata, ModifiedAfterCreation},
		},
		{
			name: "changed-name", about: "the holder's name whited out and retyped in another font",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				p := d.Page(1)
				p.Rect(50, 100, 160, 113, pdfgen.White)
				p.Text(52, 110, "Times-Roman", 10, "JOHN CARTER")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{Whiteout},
		},
		{
			name: "changed-date", about: "the statement period's end date whited out and retyped",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				p := d.Page(1)
				x := 360 + pdfgen.TextWidth(bodyFont, 10, "Statement period Mar 01, 2026 to ")
				p.Rect(x-1, 114, x+70, 127, pdfgen.White)
				p.Text(x, 124, "Helvetica", 10, "Apr 30, 2026")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{Whiteout},
		},
		{
			name: "covered", about: "a black box drawn over an amount with nothing typed on it",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				x0, y0, x1, y1 := amountBox(2, colDebit, money(fixtureRows[2].debit))
				d.Page(1).Rect(x0, y0, x1, y1, pdfgen.Black)
				return d.Bytes()
			},
			verdict: notPass, // hiding an amount is high
			want:    []string{TextCovered},
			absent:  []string{Whiteout},
		},
		{
			name: "font-mismatch", about: "one balance printed in another font (edited before re-printing)",
			build: func() []byte {
				return variant(func(i int) (string, float64, float64) {
					if i == 8 {
						return "Times-Roman", bodySize, 0
					}
					return bodyFont, bodySize, 0
				})
			},
			verdict: onlyPass,
			want:    []string{FontMismatch},
		},
		{
			name: "size-mismatch", about: "one balance printed a size smaller",
			build: func() []byte {
				return variant(func(i int) (string, float64, float64) {
					if i == 4 {
						return bodyFont, 8, 0
					}
					return bodyFont, bodySize, 0
				})
			},
			verdict: onlyPass,
			want:    []string{SizeMismatch},
		},
		{
			name: "off-alignment", about: "one balance ending 2.5 pt right of its column",
			build: func() []byte {
				return variant(func(i int) (string, float64, float64) {
					if i == 7 {
						return bodyFont, bodySize, 2.5
					}
					return bodyFont, bodySize, 0
				})
			},
			verdict: onlyPass,
			want:    []string{OffAlignment},
		},
		{
			name: "off-baseline", about: "one balance printed 1.5 pt below its line",
			build: func() []byte {
				return variantBaseline(9, 1.5)
			},
			verdict: onlyPass,
			want:    []string{OffBaseline},
		},
		{
			name: "invisible-text", about: "amounts in invisible render mode and white-on-white, no scan under them",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				p := d.Page(1)
				p.InvisibleText(300, 600, bodyFont, bodySize, "9,999.99")
				p.TextStyle(300, 620, bodyFont, bodySize, pdfgen.White, false, "8,888.88")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{InvisibleText},
		},
		{
			name: "page-from-another", about: "a three-page statement whose middle page comes from another document",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				other := d.AddPage(595, 842)
				for i, r := range fixtureRows {
					other.Text(60, 100+16*float64(i), "Times-Roman", 10, r.date+" "+r.desc)
					other.TextRight(520, 100+16*float64(i), "Times-Roman", 10, money(r.debit+r.credit))
				}
				last := d.AddPage(612, 792)
				for i := range 12 {
					last.Text(52, 100+14*float64(i), bodyFont, 8, fmt.Sprintf("Important information about your account, section %d.", i+1))
				}
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{PageFontsDiffer, PageSizeDiffers},
		},
		{
			name: "scan-replica", about: "a scan replica edited in an image editor, with an OCR layer",
			build: func() []byte {
				d := pdfgen.New()
				d.SetInfo("Producer", "Adobe Photoshop CC 2019 (Windows)")
				d.SetInfo("CreationDate", pdfgen.Date(2026, 4, 3, 10, 0, 0))
				p := d.AddPage(612, 792)
				px := make([]byte, 32*32)
				for i := range px {
					px[i] = byte(180 + i%70)
				}
				p.Image(0, 0, 612, 792, 32, 32, px)
				for i, r := range fixtureRows {
					p.InvisibleText(52, rowBaseline(i), bodyFont, bodySize, r.date+" "+r.desc)
				}
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{EditorProducer},
			absent:  []string{InvisibleText},
		},
		{
			name: "xmp-mismatch", about: "Info says one producer, XMP another, and a malformed ModDate",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.SetXMP(pdfgen.XMP("Foxit PDF Editor 12.1", "Northwind Bank", "2026-04-01T06:12:00Z", ""))
				d.SetInfo("ModDate", "D:2026-04-01")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{XMPMismatch, MalformedDate, EditorProducer},
		},
		{
			name: "active-content", about: "JavaScript, an attached file, a form field and a typed-text annotation",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.SetJavaScript("app.alert('hello')")
				d.Attach("notes.txt", []byte("hello"))
				d.AddTextField(1, "amount", "1,000.00", 300, 600, 400, 614)
				d.Page(1).Annotate("FreeText", 300, 650, 420, 664, "1,000.00")
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{JavaScript, MarkupAnnotation},
		},
		{
			name: "arith", about: "one withdrawal changed before printing: the balances no longer follow, and nothing else shows it (review: it could be a misread row)",
			build: func() []byte {
				return statementDoc(spec{holder: "ZOE SINGH", month: time.March, opening: fixtureOpening, rows: fixtureRows,
					printed: map[int]passbook.Money{3: 21203}}).Bytes()
			},
			verdict: []passbook.Verdict{passbook.Review},
			want:    []string{BalanceBreak, ClosingMismatch},
		},
		{
			name: "created-early", about: "a file created on March 20 for a period that ends on March 31",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.SetInfo("CreationDate", pdfgen.Date(2026, 3, 20, 9, 0, 0))
				d.SetInfo("ModDate", pdfgen.Date(2026, 3, 20, 9, 0, 0))
				return d.Bytes()
			},
			verdict: onlyPass,
			want:    []string{CreatedBeforePeriodEnd},
		},
		{
			name: "dates-out-of-period", about: "a transaction dated weeks after the period, and a period after today",
			build: func() []byte {
				rows := append([]row(nil), fixtureRows...)
				rows[10].date = "Jan 26" // January of the next year for a December statement
				d := statementDoc(spec{holder: "ZOE SINGH", month: time.December, opening: fixtureOpening, rows: rows})
				d.SetInfo("CreationDate", pdfgen.Date(2026, 11, 20, 6, 0, 0))
				d.SetInfo("ModDate", pdfgen.Date(2026, 11, 20, 6, 0, 0))
				return d.Bytes()
			},
			verdict: notPass,
			want:    []string{FutureDate},
		},
		{
			name: "annotation-overlay", about: "a typed-text annotation placed over an amount, saved as an update",
			build: func() []byte {
				d := genuineStatement("ZOE SINGH")
				d.Bytes()
				x0, y0, x1, y1 := amountBox(victim-1, colCredit, orig)
				d.Page(1).Annotate("FreeText", x0, y0, x1, y1, "162.10")
				return d.Update()
			},
			verdict: notPass,
			want:    []string{AnnotationOverText},
		},
		{
			name: "trailing-bytes", about: "data appended after the last %%EOF",
			build: func() []byte {
				return append(genuineStatement("ZOE SINGH").Bytes(), "\nHIDDEN PAYLOAD 0123456789\n"...)
			},
			verdict: onlyPass,
			want:    []string{TrailingBytes},
		},
	}
}

// variant draws a plain balance column where row i's balance may use another font or size or be
// shifted right by dx.
func variant(style func(i int) (font string, size, dx float64)) []byte {
	d := pdfgen.New()
	d.SetInfo("Producer", "Northwind Statement Server 4.2")
	p := d.AddPage(612, 792)
	bal := fixtureOpening
	for i, r := range fixtureRows {
		y := rowBaseline(i)
		bal += r.credit - r.debit
		p.Text(52, y, bodyFont, bodySize, r.date)
		p.Text(100, y, bodyFont, bodySize, r.desc)
		f, s, dx := style(i)
		p.TextRight(colBalance+dx, y, f, s, money(bal))
	}
	return d.Bytes()
}

// variantBaseline draws the balance column with row i's balance dy points below its line.
func variantBaseline(i int, dy float64) []byte {
	d := pdfgen.New()
	d.SetInfo("Producer", "Northwind Statement Server 4.2")
	p := d.AddPage(612, 792)
	bal := fixtureOpening
	for j, r := range fixtureRows {
		y := rowBaseline(j)
		bal += r.credit - r.debit
		p.Text(52, y, bodyFont, bodySize, r.date)
		p.Text(100, y, bodyFont, bodySize, r.desc)
		by := y
		if j == i {
			by += dy
		}
		p.TextRight(colBalance, by, bodyFont, bodySize, money(bal))
	}
	return d.Bytes()
}
