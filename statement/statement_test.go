package statement

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/pdf"
)

var (
	engineOnce sync.Once
	engine     *pdf.PDFium
	engineErr  error
)

// testEngine is the one PDF engine of the test binary (compiling PDFium is the costly part).
func testEngine(t testing.TB) *pdf.PDFium {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = pdf.New(context.Background(), pdf.Options{}) })
	if engineErr != nil {
		t.Fatalf("pdf engine: %v", engineErr)
	}
	return engine
}

func parseFile(t testing.TB, path string) (*Result, passbook.Statements) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := testEngine(t).Open(context.Background(), data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	res, err := Parse(context.Background(), doc)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res, ToStatements([]passbook.Document{{FileName: filepath.Base(path), Pages: len(doc.Pages)}}, []*Result{res})
}

func mony(m *passbook.Money) string {
	if m == nil {
		return "null"
	}
	return m.String()
}

// TestFixtures reads every statement in testdata (made by ./internal/gen) and requires the
// exact accounts, balances and transactions of its truth, and that every account reconciles.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			var truth Truth
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			res, out := parseFile(t, strings.TrimSuffix(f, ".json")+".pdf")
			if got, want := res.PeriodStart.ISO(), truth.Period.Start; got != want {
				t.Errorf("period start %s, want %s", got, want)
			}
			if got, want := res.PeriodEnd.ISO(), truth.Period.End; got != want {
				t.Errorf("period end %s, want %s", got, want)
			}
			if len(out.Accounts) != len(truth.Accounts) {
				t.Fatalf("%d accounts, want %d", len(out.Accounts), len(truth.Accounts))
			}
			for i, ta := range truth.Accounts {
				oa := out.Accounts[i]
				if AccountKey(oa.AccountNumber) != AccountKey(ta.Number) {
					t.Errorf("account %d: number %q, want %q", i, oa.AccountNumber, ta.Number)
				}
				wantType := map[string]string{"chequing": passbook.Chequing, "savings": passbook.Savings, "credit_card": passbook.CreditCard}[ta.Type]
				if oa.Type != wantType {
					t.Errorf("account %s: type %s, want %s", ta.Number, oa.Type, wantType)
				}
				if oa.Currency != ta.Currency {
					t.Errorf("account %s: currency %s, want %s", ta.Number, oa.Currency, ta.Currency)
				}
				if mony(oa.Statement.OpeningBalance) != mony(ta.OpeningBalance) || mony(oa.Statement.ClosingBalance) != mony(ta.ClosingBalance) {
					t.Errorf("account %s: opening/closing %s/%s, want %s/%s", ta.Number, mony(oa.Statement.OpeningBalance), mony(oa.Statement.ClosingBalance), mony(ta.OpeningBalance), mony(ta.ClosingBalance))
				}
				if !oa.Statement.Reconciled {
					t.Errorf("account %s does not reconcile: %+v", ta.Number, res.Accounts[i].Reconciliation)
				}
				if len(oa.Transactions) != len(ta.Transactions) {
					t.Errorf("account %s: %d transactions, want %d", ta.Number, len(oa.Transactions), len(ta.Transactions))
				}
				for j := range min(len(oa.Transactions), len(ta.Transactions)) {
					o, w := oa.Transactions[j], ta.Transactions[j]
					got := []string{o.Date.ISO(), o.Description, mony(o.Debit), mony(o.Credit), mony(o.Balance)}
					want := []string{w.Date.ISO(), w.Description, mony(w.Debit), mony(w.Credit), mony(w.Balance)}
					if strings.Join(got, "|") != strings.Join(want, "|") {
						t.Errorf("account %s row %d:\n got %q\nwant %q", ta.Number, j, got, want)
					}
				}
			}
		})
	}
}

// TestLocations checks that every transaction says where its parts are printed, for the
// authenticity checks.
func TestLocations(t *testing.T) {
	res, _ := parseFile(t, "testdata/lac-00.pdf")
	for _, a := range res.Accounts {
		if a.OpeningAt == nil || a.ClosingAt == nil || a.NumberAt == nil {
			t.Errorf("account %s: missing locations %v %v %v", a.Number, a.OpeningAt, a.ClosingAt, a.NumberAt)
		}
		for i, tx := range a.Transactions {
			if tx.Page < 1 || tx.DateBox.X1 <= tx.DateBox.X0 || tx.AmountBox.X1 <= tx.AmountBox.X0 || tx.BalanceBox == nil || tx.AmountBox.X0 < tx.DateBox.X1 {
				t.Fatalf("row %d: bad locations %+v", i, tx)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/lac-00.pdf")
	if err != nil {
		b.Fatal(err)
	}
	eng := testEngine(b)
	ctx := context.Background()
	doc, err := eng.Open(ctx, data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("layout", func(b *testing.B) {
		for b.Loop() {
			if _, err := Parse(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf+layout", func(b *testing.B) {
		for b.Loop() {
			doc, err := eng.Open(ctx, data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Parse(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(doc.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}

// BenchmarkParseLong reads a 30-page statement of 1,200 rows with running balances, a subtotal
// on every page and a summary with totals, so that the arithmetic search over readings (signs,
// card or deposit, subtotal rows) is measured on a long document.
func BenchmarkParseLong(b *testing.B) {
	data := longStatement(30, 40)
	eng := testEngine(b)
	ctx := context.Background()
	doc, err := eng.Open(ctx, data)
	if err != nil {
		b.Fatal(err)
	}
	res, err := Parse(ctx, doc)
	if err != nil || len(res.Accounts) != 1 || len(res.Accounts[0].Transactions) != 30*40 || !res.Accounts[0].Reconciliation.Reconciled {
		b.Fatalf("the long statement is not read: %v", err)
	}
	b.Run("layout", func(b *testing.B) {
		for b.Loop() {
			if _, err := Parse(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(doc.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
	})
	b.Run("pdf+layout", func(b *testing.B) {
		for b.Loop() {
			doc, err := eng.Open(ctx, data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Parse(ctx, doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(doc.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}

// longStatement writes a chequing statement of the given pages and rows per page: a summary
// with the opening and closing balances and the totals, then a table with its header repeated on
// every page, signed-free debit and credit columns and a running balance.
func longStatement(pages, perPage int) []byte {
	d := pdfgen.New()
	const font, bold = "Helvetica", "Helvetica-Bold"
	xs := []float64{40, 100, 400, 480, 570}
	bal := passbook.Money(500000)
	type row struct {
		day         int
		desc        string
		debit, cred passbook.Money
		bal         passbook.Money
	}
	var rows []row
	var debits, credits passbook.Money
	for i := range pages * perPage {
		r := row{day: 1 + i*28/(pages*perPage), desc: fmt.Sprintf("PAYMENT %04d ACME SUPPLY", i)}
		v := passbook.Money(1000 + (i*7919)%90000)
		if i%3 == 0 {
			r.cred, bal, credits = v, bal+v, credits+v
		} else {
			r.debit, bal, debits = v, bal-v, debits+v
		}
		r.bal = bal
		rows = append(rows, r)
	}
	fmtm := func(m passbook.Money) string {
		s := m.String()
		whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		for i := len(whole) - 3; i > 0; i -= 3 {
			whole = whole[:i] + "," + whole[i:]
		}
		if m < 0 {
			return "-" + whole + "." + frac
		}
		return whole + "." + frac
	}
	for p := range pages {
		pg := d.AddPage(612, 792)
		y := 50.0
		if p == 0 {
			pg.Text(40, y, bold, 14, "Banque Exemple")
			pg.Text(40, y+20, bold, 11, "Chequing account 01234-5678901")
			pg.Text(40, y+36, font, 9, "Statement period: 2026-02-01 to 2026-02-28")
			pg.Text(40, y+52, font, 9, "Opening balance")
			pg.TextRight(300, y+52, font, 9, fmtm(500000))
			pg.Text(40, y+64, font, 9, "Total deposits")
			pg.TextRight(300, y+64, font, 9, fmtm(credits))
			pg.Text(40, y+76, font, 9, "Total withdrawals")
			pg.TextRight(300, y+76, font, 9, fmtm(debits))
			pg.Text(40, y+88, font, 9, "Closing balance")
			pg.TextRight(300, y+88, font, 9, fmtm(bal))
			y += 110
		}
		for i, h := range []string{"Date", "Description", "Withdrawals", "Deposits", "Balance"} {
			if i >= 2 {
				pg.TextRight(xs[i], y, bold, 9, h)
			} else {
				pg.Text(xs[i], y, bold, 9, h)
			}
		}
		for _, r := range rows[p*perPage : (p+1)*perPage] {
			y += 14
			pg.Text(xs[0], y, font, 8, fmt.Sprintf("Feb %02d", r.day))
			pg.Text(xs[1], y, font, 8, r.desc)
			if r.debit > 0 {
				pg.TextRight(xs[2], y, font, 8, fmtm(r.debit))
			} else {
				pg.TextRight(xs[3], y, font, 8, fmtm(r.cred))
			}
			pg.TextRight(xs[4], y, font, 8, fmtm(r.bal))
		}
		pg.Text(40, 770, font, 7, fmt.Sprintf("Page %d of %d", p+1, pages))
	}
	return d.Bytes()
}

// FuzzParse runs the whole PDF → accounts path on mutated statements: it must never panic or
// hang, whatever the bytes.
//
// Why it used to run ~20 executions a minute: whenever an input seems to reach new code the
// fuzzer minimises it before going on, for up to -fuzzminimizetime (60 s by default), and the
// coverage of this path is not quite deterministic (PDFium's instance pool and the read's own
// goroutine run beside the input), so the minimiser rarely confirms anything and spends its whole
// minute on each such input, on a 70 KB Chromium-printed seed besides. So: small hand-written
// seeds (a few KB, uncompressed, so that mutations reach the text and the table) and, unless the
// command line sets it, a minimisation budget of 2 s.
func FuzzParse(f *testing.F) {
	shortMinimize(f, "2s")
	f.Add(fuzzSeedStatement(false))
	f.Add(fuzzSeedStatement(true))
	f.Add([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"))
	f.Add([]byte("not a pdf"))
	// An engine of its own with a short time limit: a mutated file must fail fast, not hang.
	eng, err := pdf.New(context.Background(), pdf.Options{Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		doc, err := eng.Open(ctx, data)
		if err != nil {
			return
		}
		res, err := Parse(ctx, doc)
		if err != nil {
			return
		}
		_ = ToStatements([]passbook.Document{{FileName: "f.pdf"}}, []*Result{res})
	})
}

// FuzzLayout drives the layout analysis directly with words placed from the fuzzer's bytes,
// drawn from a vocabulary of headings, dates, amounts and labels, so that the search reaches
// the table, account and reconciliation logic quickly.
func FuzzLayout(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, 0123456789"))
	vocab := []string{"Date", "Description", "Withdrawals", "Deposits", "Balance", "Amount", "Mar", "05", "2026-03-05",
		"05/03/2026", "1,234.56", "(45.00)", "-45.00", "45.00", "CR", "DR", "Opening", "balance", "Closing", "Total",
		"deposits", "Account", "number:", "12345-678", "4520", "XXXX", "Visa", "Solde", "mars", "1", "234,56", "Period:",
		"to", "2026-03-31", "Balance forward", "Statement", "Retraits", "Dépôts", "Member", "#", "6952908-1", "Savings"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var pages []pdf.Page
		page := pdf.Page{Number: 1, Width: 612, Height: 792}
		for i := 0; i+3 < len(data); i += 4 {
			if data[i] == 255 {
				pages = append(pages, page)
				page = pdf.Page{Number: len(pages) + 1, Width: 612, Height: 792}
				continue
			}
			x := float64(data[i+1]) * 2.4
			y := float64(data[i+2]) * 3
			text := vocab[int(data[i])%len(vocab)]
			size := 6 + float64(data[i+3]%8)
			w := pdf.Word{Text: text, Box: passbook.Box{X0: x, Y0: y, X1: x + float64(len(text))*size*0.5, Y1: y + size}, Baseline: y + size*0.8, Size: size}
			page.Words = append(page.Words, w)
		}
		pages = append(pages, page)
		res, err := Parse(context.Background(), &pdf.Document{Pages: pages})
		if err != nil {
			return
		}
		for _, a := range res.Accounts {
			for _, tx := range a.Transactions {
				if (tx.Debit == nil) == (tx.Credit == nil) {
					t.Fatalf("transaction with both or neither of debit and credit: %+v", tx)
				}
			}
		}
		_ = ToStatements([]passbook.Document{{FileName: "f.pdf"}}, []*Result{res})
	})
}

// TestReconciliationBreak changes one printed amount, as a forger would, and expects the
// account to stop reconciling with one break located at the row's printed balance.
func TestReconciliationBreak(t *testing.T) {
	for _, name := range []string{"coop-00", "aurora-00"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".pdf")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := testEngine(t).Open(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			clean, err := Parse(context.Background(), doc)
			if err != nil || !clean.Accounts[0].Reconciliation.Reconciled {
				t.Fatalf("clean statement does not reconcile: %v", err)
			}
			// Change the amount of the account's fourth transaction.
			tx := clean.Accounts[0].Transactions[3]
			pg := &doc.Pages[tx.Page-1]
			changed := false
			for i, w := range pg.Words {
				if w.Box == tx.AmountBox || (w.Box.X0 >= tx.AmountBox.X0-0.5 && w.Box.X1 <= tx.AmountBox.X1+0.5 && w.Box.Y0 >= tx.AmountBox.Y0-0.5 && w.Box.Y1 <= tx.AmountBox.Y1+0.5 && strings.ContainsAny(w.Text, "0123456789")) {
					d := strings.IndexAny(w.Text, "0123456789")
					b := []byte(w.Text)
					b[d] = '1' + (b[d]-'0'+1)%9 // another non-zero digit
					pg.Words[i].Text = string(b)
					changed = true
					break
				}
			}
			if !changed {
				t.Fatal("amount word not found at its box")
			}
			res, err := Parse(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			rec := res.Accounts[0].Reconciliation
			if rec.Reconciled || len(rec.Breaks) != 1 {
				t.Fatalf("tampered statement: reconciled=%v breaks=%+v", rec.Reconciled, rec.Breaks)
			}
			br := rec.Breaks[0]
			switch {
			case tx.BalanceBox != nil: // the row's printed balance no longer follows
				if br.Index != 3 || br.At.Page != tx.Page || br.At.Box != *tx.BalanceBox {
					t.Errorf("break %+v, want row 3 at %v", br, *tx.BalanceBox)
				}
			default: // no running balance: the closing balance no longer follows
				if br.Index != -1 || res.Accounts[0].ClosingAt == nil || br.At != *res.Accounts[0].ClosingAt {
					t.Errorf("break %+v, want the closing balance", br)
				}
			}
		})
	}
}

// fuzzSeedStatement writes a one-page chequing statement in a standard font: the account heading,
// the period, a summary and a table with wrapped descriptions; french switches the words and the
// number format.
func fuzzSeedStatement(french bool) []byte {
	d := pdfgen.New()
	pg := d.AddPage(612, 792)
	const font, bold = "Helvetica", "Helvetica-Bold"
	heads := []string{"Date", "Description", "Withdrawals", "Deposits", "Balance"}
	rows := [][]string{
		{"Mar 02", "Opening balance", "", "", "1,250.00"},
		{"Mar 05", "Payroll deposit ACME", "", "2,100.00", "3,350.00"},
		{"Mar 09", "Hydro bill", "145.20", "", "3,204.80"},
		{"Mar 17", "Cheque 104", "(60.00)", "", "3,144.80"},
		{"Mar 31", "Closing balance", "", "", "3,144.80"},
	}
	title, period := "Chequing account 01234-5678901", "Statement period: 2026-03-01 to 2026-03-31"
	if french {
		heads = []string{"Date", "Description", "Retraits", "Dépôts", "Solde"}
		rows = [][]string{
			{"02 mars", "Solde précédent", "", "", "1 250,00"},
			{"05 mars", "Dépôt de paie", "", "2 100,00", "3 350,00"},
			{"09 mars", "Hydro-Québec", "145,20", "", "3 204,80"},
			{"31 mars", "Solde de fermeture", "", "", "3 204,80"},
		}
		title, period = "Compte chèques 98765-4321", "Période du 2026-03-01 au 2026-03-31"
	}
	pg.Text(40, 60, bold, 14, "Banque Exemple")
	pg.Text(40, 90, bold, 11, title)
	pg.Text(40, 106, font, 9, period)
	xs := []float64{40, 110, 380, 460, 560}
	y := 140.0
	for i, h := range heads {
		if i >= 2 {
			pg.TextRight(xs[i], y, bold, 9, h)
		} else {
			pg.Text(xs[i], y, bold, 9, h)
		}
	}
	for _, r := range rows {
		y += 16
		for i, c := range r {
			switch {
			case c == "":
			case i >= 2:
				pg.TextRight(xs[i], y, font, 9, c)
			default:
				pg.Text(xs[i], y, font, 9, c)
			}
		}
	}
	pg.Text(40, 760, font, 7, "Page 1 of 1")
	return d.Bytes()
}

// shortMinimize sets -test.fuzzminimizetime for this fuzz target when the command line left it at
// its default; the fuzzing coordinator reads it when f.Fuzz starts.
func shortMinimize(f *testing.F, d string) {
	set := false
	flag.Visit(func(fl *flag.Flag) { set = set || fl.Name == "test.fuzzminimizetime" })
	if set || flag.Lookup("test.fuzzminimizetime") == nil {
		return
	}
	if err := flag.Set("test.fuzzminimizetime", d); err != nil {
		f.Fatal(err)
	}
}

// The fuzz seeds must reach the table logic: each is a statement the engine reads completely.
func TestFuzzSeeds(t *testing.T) {
	eng, err := pdf.New(context.Background(), pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	for _, c := range []struct {
		french          bool
		number          string
		txs             int
		opening, ending string
	}{
		{false, "01234-5678901", 3, "1250.00", "3144.80"},
		{true, "98765-4321", 2, "1250.00", "3204.80"},
	} {
		doc, err := eng.Open(context.Background(), fuzzSeedStatement(c.french))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Parse(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Accounts) != 1 {
			t.Fatalf("french=%v: %d accounts, want 1", c.french, len(res.Accounts))
		}
		a := res.Accounts[0]
		if a.Number != c.number || len(a.Transactions) != c.txs || a.Opening == nil || a.Opening.String() != c.opening || a.Closing == nil || a.Closing.String() != c.ending {
			t.Errorf("french=%v: got %s, %d transactions, %v → %v; want %s, %d, %s → %s", c.french, a.Number, len(a.Transactions), a.Opening, a.Closing, c.number, c.txs, c.opening, c.ending)
		}
	}
}
