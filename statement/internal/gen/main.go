// Command gen prints the statement engine's test fixtures: statements of many layouts of our
// own design, drawn from a seeded random truth, rendered from HTML to PDF by headless Chromium,
// and written with their truth (in the schema of the project's statement corpora) to
// statement/testdata:
//
//	go run ./statement/internal/gen [-out statement/testdata] [-n 2] [-seed 1] [-set all|base|traits|readme] [-layout NAME]
//
// -set traits prints only the trait matrix (traits.go) into statement/testdata/traits; -set base
// only the layouts of layouts.go; -set readme only rewrites the README. The same seed gives the same truth; the PDF bytes depend on the
// Chromium version only: the creation dates and the structure-tree node numbers that Chromium
// varies from run to run are rewritten to fixed values (see stable), so re-running the generator
// changes no file.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/browser"
)

func main() {
	out := flag.String("out", "statement/testdata", "output directory")
	n := flag.Int("n", 2, "statements per layout")
	seed := flag.Uint64("seed", 1, "random seed")
	only := flag.String("layout", "", "generate only this layout")
	set := flag.String("set", "all", "which fixtures: all, base (testdata), traits (testdata/traits) or readme (only testdata/README.md)")
	flag.Parse()
	ctx := context.Background()
	bctx, cancel, err := browser.Start(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer cancel()
	tdir := filepath.Join(*out, "traits")
	if *set == "all" || *set == "traits" {
		if err := runTraits(bctx, tdir, *seed, *only); err != nil {
			log.Fatal(err)
		}
	}
	if *set == "all" || *set == "base" {
		if err := run(bctx, *out, *n, *seed, *only); err != nil {
			log.Fatal(err)
		}
	}
	if *only == "" {
		fs, err := traitFixtures(tdir)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*out, "README.md"), []byte(readme(fs)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func run(bctx context.Context, out string, n int, seed uint64, only string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, l := range layouts() {
		if only != "" && l.Name != only {
			continue
		}
		for i := range n {
			h := fnv.New64a()
			h.Write([]byte(l.Name))
			r := rand.New(rand.NewPCG(seed, h.Sum64()+uint64(i)))
			s := l.Make(r)
			var furniture [2]string
			if l.Furniture != nil {
				furniture[0], furniture[1] = l.Furniture(s)
			}
			pdf, err := print(bctx, l.Render(s), printOpts{Landscape: l.Landscape, Furniture: furniture}, s.End)
			if err != nil {
				return fmt.Errorf("%s: %w", l.Name, err)
			}
			name := fmt.Sprintf("%s-%02d", l.Name, i)
			if err := os.WriteFile(filepath.Join(out, name+".pdf"), pdf, 0o644); err != nil {
				return err
			}
			js, _ := json.MarshalIndent(truthOf(s), "", " ")
			if err := os.WriteFile(filepath.Join(out, name+".json"), append(js, '\n'), 0o644); err != nil {
				return err
			}
			log.Printf("%s: %d bytes", name, len(pdf))
		}
	}
	return nil
}

// readme is statement/testdata/README.md: the base layouts, then the trait matrix's fixtures.
func readme(fs []fixture) string {
	var b strings.Builder
	b.WriteString("# Statement fixtures\n\nMade by `go run ./statement/internal/gen`: each PDF is printed by headless Chromium from HTML\ndrawn from the truth in the JSON file of the same name. Layouts and the traits they cover:\n\n")
	for _, l := range layouts() {
		fmt.Fprintf(&b, "- `%s`: %s\n", l.Name, l.Traits)
	}
	b.WriteString(traitsReadme)
	for _, l := range traitLayouts() {
		fmt.Fprintf(&b, "- `%s` (trait%s %s; %s): %s\n", l.Name, plural(len(l.Traits)), joinInts(l.Traits), l.Look, l.Desc)
	}
	fmt.Fprintf(&b, "\nThe matrix (%d fixtures; trait 14, image-only pages, belongs to the OCR fixtures):\n\n%s", len(fs), traitMatrix(fs))
	b.WriteString("\nOne line per fixture (name: traits; language; pages; currency and kind; rows):\n\n")
	for _, e := range traitEntries(fs) {
		b.WriteString("- " + e + "\n")
	}
	return b.String()
}

type printOpts struct {
	Landscape, A4, Untagged bool
	Furniture               [2]string
}

func print(ctx context.Context, html string, o printOpts, end passbook.Date) ([]byte, error) {
	url := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	paper := chromedp.PaperLetter
	if o.A4 {
		paper = chromedp.PaperA4
	}
	opts := []chromedp.PDFOption{chromedp.PDFPaper(paper), chromedp.PDFMargin(0.5), chromedp.PDFPrintBackground()}
	if o.Landscape {
		opts = append(opts, chromedp.PDFLandscape())
	}
	if o.Untagged {
		// Banks' statements are rarely tagged; without the structure tree a file is about half
		// the size.
		opts = append(opts, func(p *cdppage.PrintToPDFParams) { p.GenerateTaggedPDF = new(false) })
	}
	if o.Furniture != [2]string{} {
		opts = append(opts, chromedp.PDFMargins(0.8, 0.5, 0.8, 0.5), chromedp.PDFHeaderTemplate(o.Furniture[0]), chromedp.PDFFooterTemplate(o.Furniture[1]))
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(opts...))
	if err != nil {
		return nil, err
	}
	return stable(pdf, end), nil
}

var (
	rePDFDate = regexp.MustCompile(`D:\d{14}`)
	reNodeID  = regexp.MustCompile(`\(node\d{8}\)`)
)

// stable rewrites what Chromium varies from one run to the next, keeping every byte offset: the
// creation and modification dates become the morning after the statement ends, and the
// structure-tree element ids (numbered by the browser's DOM node counter, which runs on across
// pages printed in one session) are renumbered from 1 in order of first appearance.
func stable(pdf []byte, end passbook.Date) []byte {
	d := end.AddDays(1)
	when := []byte(fmt.Sprintf("D:%04d%02d%02d063000", d.Year, d.Month, d.Day))
	pdf = rePDFDate.ReplaceAll(pdf, when)
	ids := map[string]int{}
	return reNodeID.ReplaceAllFunc(pdf, func(b []byte) []byte {
		n, ok := ids[string(b)]
		if !ok {
			n = len(ids) + 1
			ids[string(b)] = n
		}
		return []byte(fmt.Sprintf("(node%08d)", n))
	})
}

// truth is the corpus schema.
type truth struct {
	Institution string      `json:"institution"`
	Holder      truthHolder `json:"holder"`
	Period      truthPeriod `json:"period"`
	Accounts    []truthAcct `json:"accounts"`
	Layout      string      `json:"layout,omitempty"`
}

type truthHolder struct {
	Name       string `json:"name"`
	Address    string `json:"address"`
	City       string `json:"city"`
	Province   string `json:"province"`
	PostalCode string `json:"postal_code"`
}

type truthPeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type truthAcct struct {
	Number       string    `json:"number"`
	Type         string    `json:"type"`
	Currency     string    `json:"currency"`
	Opening      *string   `json:"opening_balance"`
	Closing      *string   `json:"closing_balance"`
	Transactions []truthTx `json:"transactions"`
}

type truthTx struct {
	Date        string  `json:"date"`
	Description string  `json:"description"`
	Debit       *string `json:"debit"`
	Credit      *string `json:"credit"`
	Balance     *string `json:"balance"`
}

func str(m passbook.Money) *string { s := m.String(); return &s }

func truthOf(s stmt) truth {
	t := truth{Institution: s.Institution, Holder: truthHolder(s.Holder), Period: truthPeriod{s.Start.ISO(), s.End.ISO()}}
	for _, a := range s.Accounts {
		ta := truthAcct{Number: a.Number, Type: a.Type, Currency: s.Currency, Opening: str(a.Open), Closing: str(a.Close), Transactions: []truthTx{}}
		for _, x := range a.Txs {
			tt := truthTx{Date: x.Date.ISO(), Description: strings.Join(strings.Fields(x.Desc), " ")}
			if x.Debit != 0 {
				tt.Debit = str(x.Debit)
			} else {
				tt.Credit = str(x.Credit)
			}
			if x.ShowBal {
				tt.Balance = str(x.Bal)
			}
			ta.Transactions = append(ta.Transactions, tt)
		}
		t.Accounts = append(t.Accounts, ta)
	}
	return t
}
