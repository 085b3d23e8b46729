package statement

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/passbookhq/passbook"
)

// Truth is what a statement shows, in the schema of the project's statement corpora (amounts as
// decimal strings, null where the document prints nothing).
type Truth struct {
	Institution string `json:"institution"`
	Holder      struct {
		Name       string `json:"name"`
		Address    string `json:"address"`
		City       string `json:"city"`
		Province   string `json:"province"`
		PostalCode string `json:"postal_code"`
	} `json:"holder"`
	Period struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"period"`
	Accounts []TruthAccount `json:"accounts"`
}

// TruthAccount is one account of a Truth.
type TruthAccount struct {
	Number         string             `json:"number"`
	Type           string             `json:"type"`
	Currency       string             `json:"currency"`
	OpeningBalance *passbook.Money    `json:"opening_balance"`
	ClosingBalance *passbook.Money    `json:"closing_balance"`
	Transactions   []TruthTransaction `json:"transactions"`
}

// TruthTransaction is one row of a TruthAccount.
type TruthTransaction struct {
	Date        passbook.Date   `json:"date"`
	Description string          `json:"description"`
	Debit       *passbook.Money `json:"debit"`
	Credit      *passbook.Money `json:"credit"`
	Balance     *passbook.Money `json:"balance"`
}

// Score counts how well an output matches a truth, the way the project's score-statements tool
// does: accounts matched on the last four digits of their number (credit-union suffix kept),
// transactions as a multiset on (date, debit, credit).
type Score struct {
	Docs, Failed            int
	TP, FP, FN              int
	BalanceOK, BalanceN     int
	DescOK                  int
	Accounts, AccountsFound int
	OpenCloseOK, OpenCloseN int
}

// Add adds o to s.
func (s *Score) Add(o Score) {
	s.Docs += o.Docs
	s.Failed += o.Failed
	s.TP += o.TP
	s.FP += o.FP
	s.FN += o.FN
	s.BalanceOK += o.BalanceOK
	s.BalanceN += o.BalanceN
	s.DescOK += o.DescOK
	s.Accounts += o.Accounts
	s.AccountsFound += o.AccountsFound
	s.OpenCloseOK += o.OpenCloseOK
	s.OpenCloseN += o.OpenCloseN
}

// F1 returns precision, recall and F1 of the transactions.
func (s Score) F1() (p, r, f float64) {
	p = float64(s.TP) / float64(max(1, s.TP+s.FP))
	r = float64(s.TP) / float64(max(1, s.TP+s.FN))
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

var (
	reNotAcctDigit = regexp.MustCompile(`[^0-9-]`)
	reSuffix       = regexp.MustCompile(`-(\d)$`)
)

// AccountKey is the key score-statements matches accounts on.
func AccountKey(num string) string {
	d := reNotAcctDigit.ReplaceAllString(num, "")
	suffix := ""
	if m := reSuffix.FindStringSubmatch(d); m != nil && len(d) > 6 {
		suffix = m[1]
	}
	core := strings.ReplaceAll(d, "-", "")
	if suffix != "" {
		core = core[:len(core)-1]
	}
	if len(core) > 4 {
		core = core[len(core)-4:]
	}
	if suffix != "" {
		return core + "-" + suffix
	}
	return core
}

func normDesc(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

func mEq(a, b *passbook.Money) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// ScoreDocument scores one output against its truth.
func ScoreDocument(truth Truth, out passbook.Statements) Score {
	s := Score{Docs: 1, Accounts: len(truth.Accounts)}
	outs := map[string]*passbook.Account{}
	var order []string
	for i := range out.Accounts {
		k := AccountKey(out.Accounts[i].AccountNumber)
		if _, ok := outs[k]; !ok {
			order = append(order, k)
		}
		outs[k] = &out.Accounts[i]
	}
	truthKeys := map[string]bool{}
	for _, ta := range truth.Accounts {
		truthKeys[AccountKey(ta.Number)] = true
	}
	for _, ta := range truth.Accounts {
		oa := outs[AccountKey(ta.Number)]
		if oa == nil && (ta.Number == "" || len(truth.Accounts) == 1) && len(out.Accounts) > 0 {
			oa = &out.Accounts[0]
			for i := range out.Accounts {
				if len(out.Accounts[i].Transactions) > len(oa.Transactions) {
					oa = &out.Accounts[i]
				}
			}
		}
		s.OpenCloseN += 2
		if oa == nil {
			s.FN += len(ta.Transactions)
			continue
		}
		s.AccountsFound++
		var open, cls *passbook.Money
		if oa.Statement != nil {
			open, cls = oa.Statement.OpeningBalance, oa.Statement.ClosingBalance
		}
		if ta.OpeningBalance == nil {
			s.OpenCloseN--
		} else if mEq(open, ta.OpeningBalance) {
			s.OpenCloseOK++
		}
		if mEq(cls, ta.ClosingBalance) {
			s.OpenCloseOK++
		}
		type key struct {
			d    passbook.Date
			a, b string
		}
		ms := func(m *passbook.Money) string {
			if m == nil {
				return ""
			}
			return m.String()
		}
		pool := map[key][]passbook.Transaction{}
		for _, t := range oa.Transactions {
			k := key{t.Date, ms(t.Debit), ms(t.Credit)}
			pool[k] = append(pool[k], t)
		}
		for _, t := range ta.Transactions {
			k := key{t.Date, ms(t.Debit), ms(t.Credit)}
			c := pool[k]
			if len(c) == 0 {
				s.FN++
				continue
			}
			want := normDesc(t.Description)
			j := 0
			for i, o := range c {
				if d := normDesc(o.Description); d == want || strings.Contains(d, want) {
					j = i
					break
				}
			}
			o := c[j]
			pool[k] = append(c[:j:j], c[j+1:]...)
			s.TP++
			if d := normDesc(o.Description); d == want || strings.Contains(d, want) {
				s.DescOK++
			}
			if t.Balance != nil {
				s.BalanceN++
				if mEq(o.Balance, t.Balance) {
					s.BalanceOK++
				}
			}
		}
		for _, v := range pool {
			s.FP += len(v)
		}
	}
	if len(truth.Accounts) > 1 {
		for _, k := range order {
			if !truthKeys[k] {
				s.FP += len(outs[k].Transactions)
			}
		}
	}
	return s
}

// WriteReport prints one line per layout and a summary, as score-statements does.
func WriteReport(w io.Writer, per map[string]Score) {
	var layouts []string
	var tot Score
	for k := range per {
		layouts = append(layouts, k)
	}
	sort.Strings(layouts)
	for _, k := range layouts {
		c := per[k]
		tot.Add(c)
		p, r, f := c.F1()
		bal := "n/a"
		if c.BalanceN > 0 {
			bal = fmt.Sprintf("%.4f", float64(c.BalanceOK)/float64(c.BalanceN))
		}
		fmt.Fprintf(w, "layout=%s  docs=%d  failed=%d  precision=%.4f  recall=%.4f  f1=%.4f  balance_acc=%s  desc_acc=%.4f  accounts_found=%d/%d  open_close_acc=%.4f\n",
			k, c.Docs, c.Failed, p, r, f, bal, float64(c.DescOK)/float64(max(1, c.TP)), c.AccountsFound, c.Accounts, float64(c.OpenCloseOK)/float64(max(1, c.OpenCloseN)))
	}
	p, r, f := tot.F1()
	fmt.Fprintf(w, "SUMMARY docs=%d failed=%d f1=%.4f precision=%.4f recall=%.4f open_close_acc=%.4f\n",
		tot.Docs, tot.Failed, f, p, r, float64(tot.OpenCloseOK)/float64(max(1, tot.OpenCloseN)))
}
