// Command gen prints the statement engine's test fixtures: statements of many layouts of our
// own design, drawn from a seeded random truth, rendered from HTML to PDF by headless Chromium,
// and written with their truth (in the schema of the project's statement corpora) to
// statement/testdata:
//
//	go run ./statement/internal/gen [-out statement/testdata] [-n 2] [-seed 1]
//
// The same seed gives the same truth; the PDF bytes depend on the Chromium version.
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

	"github.com/chromedp/chromedp"
	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/internal/browser"
)

func main() {
	out := flag.String("out", "statement/testdata", "output directory")
	n := flag.Int("n", 2, "statements per layout")
	seed := flag.Uint64("seed", 1, "random seed")
	only := flag.String("layout", "", "generate only this layout")
	flag.Parse()
	if err := run(context.Background(), *out, *n, *seed, *only); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out string, n int, seed uint64, only string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	bctx, cancel, err := browser.Start(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	readme := "# Statement fixtures\n\nMade by `go run ./statement/internal/gen`: each PDF is printed by headless Chromium from HTML\ndrawn from the truth in the JSON file of the same name. Layouts and the traits they cover:\n\n"
	for _, l := range layouts() {
		readme += fmt.Sprintf("- `%s`: %s\n", l.Name, l.Traits)
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
			pdf, err := print(bctx, l.Render(s), l.Landscape, furniture)
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
	if only == "" {
		return os.WriteFile(filepath.Join(out, "README.md"), []byte(readme), 0o644)
	}
	return nil
}

func print(ctx context.Context, html string, landscape bool, furniture [2]string) ([]byte, error) {
	url := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	opts := []chromedp.PDFOption{chromedp.PDFPaper(chromedp.PaperLetter), chromedp.PDFMargin(0.5), chromedp.PDFPrintBackground()}
	if landscape {
		opts = append(opts, chromedp.PDFLandscape())
	}
	if furniture != [2]string{} {
		opts = append(opts, chromedp.PDFMargins(0.8, 0.5, 0.8, 0.5), chromedp.PDFHeaderTemplate(furniture[0]), chromedp.PDFFooterTemplate(furniture[1]))
	}
	return chromedp.Run(ctx, chromedp.PrintToPDF(opts...))
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
			tt := truthTx{Date: x.Date.ISO(), Description: x.Desc}
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
