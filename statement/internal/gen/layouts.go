package main

import (
	"fmt"
	"html"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// layout is one statement design: how its truth is drawn and how it is printed.
type layout struct {
	Name      string
	Traits    string
	Landscape bool
	Make      func(r *rand.Rand) stmt
	Render    func(s stmt) string
	// Furniture, when set, returns the running header and footer printed in the margins of
	// every page (Chromium's header and footer templates).
	Furniture func(s stmt) (header, footer string)
}

// group writes an absolute amount with a thousands separator and a decimal mark.
func group(m passbook.Money, thou, dec string) string {
	if m < 0 {
		return "-" + group(-m, thou, dec)
	}
	s := m.String()
	whole, frac := s[:len(s)-3], s[len(s)-2:]
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(c)
	}
	return b.String() + dec + frac
}

func en(m passbook.Money) string { return group(m, ",", ".") }
func fr(m passbook.Money) string { return group(m, "\u00a0", ",") }

var (
	monEN     = []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monFR     = []string{"", "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
	monLongFR = []string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

func longEN(d passbook.Date) string { return d.Time().Format("January 2, 2006") }
func longFR(d passbook.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, monLongFR[d.Month], d.Year)
}

const css = `<style>
body{font-family:Helvetica,Arial,sans-serif;font-size:10px;color:#111;margin:0}
table{border-collapse:collapse;width:100%%}
th{text-align:left;border-bottom:1px solid #444;padding:3px 4px;font-weight:bold}
td{padding:2px 4px;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
td.d{white-space:nowrap}
.hdr{display:flex;justify-content:space-between;margin-bottom:14px}
.inst{font-size:17px;font-weight:bold}
.box{border:1px solid #999;padding:6px;margin:8px 0;width:50%%}
h3{font-size:12px;margin:14px 0 4px}
tr{page-break-inside:avoid}
%s
</style>`

func page(extraCSS, body string) string {
	return "<!doctype html><html><head><meta charset=utf-8>" + fmt.Sprintf(css, extraCSS) + "</head><body>" + body + "</body></html>"
}

func esc(s string) string { return html.EscapeString(s) }

func addr(h holder) string {
	return fmt.Sprintf("<div>%s<br>%s<br>%s %s %s</div>", esc(strings.ToUpper(h.Name)), esc(h.Address), esc(h.City), h.Province, h.PostalCode)
}

func layouts() []layout {
	return []layout{
		{Name: "tundra", Traits: "French; two account sections with no account number printed, told apart only by their headings (Compte chèques, Compte d'épargne); Solde d'ouverture/Solde de clôture rows in each table; yyyy-mm-dd dates",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				var as []acct
				for i, typ := range []string{"chequing", "savings"} {
					open := cents(r, 300, 4000)
					if i == 1 {
						open = cents(r, 5000, 40000)
					}
					txs := bankTxs(r, 8+r.IntN(10), s, e, open, debitsFR, creditsFR, 600)
					as = append(as, acct{Type: typ, Open: open, Close: closeOf(open, txs, false), Txs: txs})
				}
				return stmt{Institution: "Caisse de la Toundra", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD", Accounts: as}
			},
			Render: func(s stmt) string {
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Relevé de compte</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Période du %s au %s</p>`, s.Start.ISO(), s.End.ISO())
				for i, a := range s.Accounts {
					fmt.Fprintf(&b, `<h3>%s</h3>`, []string{"Compte chèques", "Compte d'épargne"}[i])
					b.WriteString(`<table><thead><tr><th>Date</th><th>Description</th><th class=n>Retraits</th><th class=n>Dépôts</th><th class=n>Solde</th></tr></thead><tbody>`)
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Solde d'ouverture</td><td></td><td></td><td class=n>%s</td></tr>`, s.Start.ISO(), fr(a.Open))
					for _, t := range a.Txs {
						w, d := "", ""
						if t.Debit != 0 {
							w = fr(t.Debit)
						} else {
							d = fr(t.Credit)
						}
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, t.Date.ISO(), esc(t.Desc), w, d, fr(t.Bal))
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Solde de clôture</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, s.End.ISO(), fr(a.Close))
				}
				return page("", b.String())
			}},
		{Name: "fjord", Traits: "running page header and footer on every page printing a client number and a masked placeholder account number; summary table with each value in the cell below its label; no opening/closing rows and no running balance in the table; multi-page",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 800, 12000)
				txs := bankTxs(r, 60+r.IntN(15), s, e, open, debitsEN, creditsEN, 900)
				for i := range txs {
					txs[i].ShowBal = false // no running balance: the balances are only in the summary
				}
				return stmt{Institution: "Fjord Savings Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("%05d-%07d", r.IntN(99999), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Furniture: func(s stmt) (string, string) {
				h := fmt.Sprintf(`<div style="font-size:7px;width:100%%;margin:0 0.5in;display:flex;justify-content:space-between"><span>%s</span><span>Client no. %d 0142 XXXX</span><span>%s to %s</span></div>`,
					esc(strings.ToUpper(s.Holder.Name)), 4000+s.Start.Month*37, longEN(s.Start), longEN(s.End))
				f := `<div style="font-size:7px;width:100%;margin:0 0.5in;display:flex;justify-content:space-between"><span>Account # XXXX XXXX 0000</span><span>Page <span class=pageNumber></span> of <span class=totalPages></span></span></div>`
				return h, f
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				var cr, dr passbook.Money
				for _, t := range a.Txs {
					cr += t.Credit
					dr += t.Debit
				}
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr>%s<div><div class=inst>%s</div><div>Account statement</div></div></div>`, addr(s.Holder), esc(s.Institution))
				fmt.Fprintf(&b, `<h3>Everyday chequing account %s</h3><p>Statement period %s to %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				fmt.Fprintf(&b, `<table style="width:70%%;margin-bottom:16px"><tr><th>Opening balance</th><th>Total deposits</th><th>Total withdrawals</th><th>Closing balance</th></tr><tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr></table>`, en(a.Open), en(cr), en(dr), en(a.Close))
				b.WriteString(`<table><thead><tr><th>Date</th><th>Description</th><th class=n>Withdrawals</th><th class=n>Deposits</th></tr></thead><tbody>`)
				for _, t := range a.Txs {
					w, d := "", ""
					if t.Debit != 0 {
						w = en(t.Debit)
					} else {
						d = en(t.Credit)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s %d</td><td>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, t.Date.Time().Format("Jan"), t.Date.Day, esc(t.Desc), w, d)
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "lac", Traits: "French; '05 mars' dates; '1 234,56'; Retraits/Dépôts/Solde; Solde précédent row; wrapped descriptions; multi-page with repeated headers",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 500, 9000)
				txs := bankTxs(r, 55+r.IntN(20), s, e, open, debitsFR, creditsFR, 900)
				return stmt{Institution: "Caisse populaire du Lac", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("815-%05d-%d", r.IntN(99999), r.IntN(9)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Relevé de compte</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Compte chèques no %s<br>Période du %s au %s</p>`, a.Number, longFR(s.Start), longFR(s.End))
				b.WriteString(`<table><colgroup><col style="width:60px"><col style="width:190px"><col><col><col></colgroup><thead><tr><th>Date</th><th>Description</th><th class=n>Retraits</th><th class=n>Dépôts</th><th class=n>Solde</th></tr></thead><tbody>`)
				fmt.Fprintf(&b, `<tr><td class=d>%02d %s</td><td>Solde précédent</td><td></td><td></td><td class=n>%s</td></tr>`, s.Start.Day, monFR[s.Start.Month], fr(a.Open))
				for _, t := range a.Txs {
					w, d := "", ""
					if t.Debit != 0 {
						w = fr(t.Debit)
					} else {
						d = fr(t.Credit)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%02d %s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, t.Date.Day, monFR[t.Date.Month], esc(t.Desc), w, d, fr(t.Bal))
				}
				fmt.Fprintf(&b, `<tr><td class=d>%02d %s</td><td>Solde de clôture</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, s.End.Day, monFR[s.End.Month], fr(a.Close))
				return page("", b.String())
			}},
		{Name: "granite", Traits: "DR/CR suffixes on amounts and balances; dd/mm/yyyy dates resolved from the period; overdrafts",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2025, time.Month(1+r.IntN(12)))
				open := cents(r, 10, 600)
				txs := bankTxs(r, 25+r.IntN(15), s, e, open, debitsEN, creditsEN, 700)
				return stmt{Institution: "Granite Trust Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("%04d %06d", r.IntN(9999), r.IntN(999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				dmy := func(d passbook.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }
				bal := func(m passbook.Money) string {
					if m < 0 {
						return en(-m) + " DR"
					}
					return en(m) + " CR"
				}
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr>%s<div><div class=inst>%s</div><div>Statement of Account</div></div></div>`, addr(s.Holder), esc(s.Institution))
				fmt.Fprintf(&b, `<p>Account No. %s<br>Statement Period %s to %s</p>`, a.Number, dmy(s.Start), dmy(s.End))
				b.WriteString(`<table><thead><tr><th>Date</th><th>Particulars</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`)
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>BALANCE BROUGHT FORWARD</td><td></td><td class=n>%s</td></tr>`, dmy(s.Start), bal(a.Open))
				for _, t := range a.Txs {
					amt := en(t.Credit) + " CR"
					if t.Debit != 0 {
						amt = en(t.Debit) + " DR"
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, dmy(t.Date), esc(t.Desc), amt, bal(t.Bal))
				}
				fmt.Fprintf(&b, `</tbody></table><p>Closing Balance %s</p>`, bal(a.Close))
				return page("", b.String())
			}},
		{Name: "harbour", Traits: "balances only at the end of each day; date printed once per day; Debits/Credits columns, debits printed with a minus; 'Mar 5' dates",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 1000, 20000)
				txs := bankTxs(r, 30+r.IntN(20), s, e, open, debitsEN, creditsEN, 800)
				for i := range txs {
					txs[i].ShowBal = i == len(txs)-1 || txs[i+1].Date != txs[i].Date
				}
				return stmt{Institution: "Harbour Savings Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("%05d-%07d", r.IntN(99999), r.IntN(9999999)), Type: "savings", Title: "High Interest Savings", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>High Interest Savings Account</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Account: %s<br>For the period %s - %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				fmt.Fprintf(&b, `<div class=box>Opening balance %s<br>Closing balance %s</div>`, en(a.Open), en(a.Close))
				b.WriteString(`<table><thead><tr><th>Date</th><th>Details</th><th class=n>Debits</th><th class=n>Credits</th><th class=n>Balance</th></tr></thead><tbody>`)
				for i, t := range a.Txs {
					d := ""
					if i == 0 || a.Txs[i-1].Date != t.Date {
						d = fmt.Sprintf("%s %d", monEN[t.Date.Month], t.Date.Day)
					}
					w, c, bal := "", "", ""
					if t.Debit != 0 {
						w = "-" + en(t.Debit) // the withdrawals column repeats the sign
					} else {
						c = en(t.Credit)
					}
					if t.ShowBal {
						bal = en(t.Bal)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d, esc(t.Desc), w, c, bal)
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "summit", Traits: "landscape USD business statement; separate deposit, withdrawal and check sections (the check table has its date in the second column); mm/dd dates; no running balance; section totals; daily balance summary", Landscape: true,
			Make: func(r *rand.Rand) stmt {
				s, e := month(2025, time.Month(1+r.IntN(12)))
				open := cents(r, 20000, 90000)
				txs := bankTxs(r, 25+r.IntN(20), s, e, open, bizDebits, bizCreds, 6000)
				var dep, wd, chk []tx
				for _, t := range txs {
					t.ShowBal = false
					switch {
					case t.Credit != 0:
						dep = append(dep, t)
					case r.IntN(4) == 0:
						t.Desc = fmt.Sprintf("CHECK %d", 1001+len(chk)+r.IntN(3))
						chk = append(chk, t)
					default:
						wd = append(wd, t)
					}
				}
				wd = append(wd, chk...)
				h := newHolder(r, true)
				h.Name = pick(r, []string{"Northwind Traders LLC", "Globex Design Inc", "Blue Ridge Bakery LLC"})
				return stmt{Institution: "Summit National Bank", Holder: h, Start: s, End: e, Currency: "USD",
					Accounts: []acct{{Number: fmt.Sprintf("%012d", r.Int64N(999999999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: append(dep, wd...)}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				md := func(d passbook.Date) string { return fmt.Sprintf("%02d/%02d", d.Month, d.Day) }
				var dep, wd, chk []tx
				var td, tw, tc passbook.Money
				for _, t := range a.Txs {
					switch {
					case t.Credit != 0:
						dep, td = append(dep, t), td+t.Credit
					case strings.HasPrefix(t.Desc, "CHECK "):
						chk, tc = append(chk, t), tc+t.Debit
					default:
						wd, tw = append(wd, t), tw+t.Debit
					}
				}
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Business Advantage Checking</div></div><div>%s<br>%s<br>%s, %s %s</div></div>`, esc(s.Institution), esc(strings.ToUpper(s.Holder.Name)), esc(s.Holder.Address), esc(s.Holder.City), s.Holder.Province, s.Holder.PostalCode)
				fmt.Fprintf(&b, `<p>Account number: %s<br>Statement period: %s through %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				fmt.Fprintf(&b, `<div class=box>Beginning balance on %s $%s<br>Deposits and other credits $%s<br>Withdrawals and other debits -$%s<br>Checks paid -$%s<br>Ending balance on %s $%s</div>`,
					longEN(s.Start), en(a.Open), en(td), en(tw), en(tc), longEN(s.End), en(a.Close))
				sec := func(title string, rows []tx, total passbook.Money, neg bool) {
					fmt.Fprintf(&b, `<h3>%s</h3><table><colgroup><col style="width:70px"><col><col style="width:120px"></colgroup><thead><tr><th>Date</th><th>Description</th><th class=n>Amount</th></tr></thead><tbody>`, title)
					for _, t := range rows {
						v := en(t.Credit)
						if neg {
							v = "-" + en(t.Debit)
						}
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, md(t.Date), esc(t.Desc), v)
					}
					sign := ""
					if neg {
						sign = "-"
					}
					fmt.Fprintf(&b, `</tbody></table><p><b>Total %s %s$%s</b></p>`, strings.ToLower(title), sign, en(total))
				}
				sec("Deposits and other credits", dep, td, false)
				sec("Withdrawals and other debits", wd, tw, true)
				if len(chk) > 0 {
					b.WriteString(`<h3>Checks paid</h3><table><colgroup><col style="width:160px"><col style="width:90px"><col></colgroup><thead><tr><th>Check number</th><th>Date paid</th><th class=n>Amount</th></tr></thead><tbody>`)
					for _, t := range chk {
						fmt.Fprintf(&b, `<tr><td>%s</td><td class=d>%s</td><td class=n>-%s</td></tr>`, t.Desc, md(t.Date), en(t.Debit))
					}
					fmt.Fprintf(&b, `</tbody></table><p><b>Total checks paid -$%s</b></p>`, en(tc))
				}
				// Daily ending balances, two per line: dates and amounts that are not transactions.
				days := map[passbook.Date]passbook.Money{}
				var order []passbook.Date
				for _, t := range a.Txs {
					if _, ok := days[t.Date]; !ok {
						order = append(order, t.Date)
					}
					days[t.Date] += t.Credit - t.Debit
				}
				sort.Slice(order, func(i, j int) bool { return order[i].Before(order[j]) })
				b.WriteString(`<h3>Daily ledger balances</h3><table style="width:60%"><thead><tr><th>Date</th><th class=n>Balance</th><th>Date</th><th class=n>Balance</th></tr></thead><tbody>`)
				bal := a.Open
				for i, d := range order {
					bal += days[d]
					if i%2 == 0 {
						b.WriteString("<tr>")
					}
					fmt.Fprintf(&b, `<td class=d>%s</td><td class=n>%s</td>`, md(d), en(bal))
					if i%2 == 1 || i == len(order)-1 {
						b.WriteString("</tr>")
					}
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "aurora", Traits: "credit card; transaction and posting dates under headings printed on two lines; December–January statement; payments with CR suffix; summary totals",
			Make: func(r *rand.Rand) stmt {
				s := passbook.NewDate(2025, 12, 10+r.IntN(10))
				e := s.AddDays(30)
				open := cents(r, 100, 3000)
				txs := cardTxs(r, 30+r.IntN(25), s, e, open, merchants, "PAYMENT THANK YOU")
				return stmt{Institution: "Aurora Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("4520 %02dXX XXXX %04d", r.IntN(99), r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: closeOf(open, txs, true), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				up := func(d passbook.Date) string { return strings.ToUpper(fmt.Sprintf("%s %02d", monEN[d.Month], d.Day)) }
				var pay, pur passbook.Money
				for _, t := range a.Txs {
					pay += t.Credit
					pur += t.Debit
				}
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>Aurora Rewards Mastercard</div><div>%s</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Card number %s<br>Statement period: %s to %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				fmt.Fprintf(&b, `<div class=box>Previous balance $%s<br>Payments and credits $%s CR<br>Purchases and charges $%s<br>New balance $%s<br>Minimum payment $%s</div>`, en(a.Open), en(pay), en(pur), en(a.Close), en(a.Close/30))
				b.WriteString(`<table><thead><tr><th>Trans.<br>date</th><th>Posting<br>date</th><th>Description</th><th class=n>Amount ($)</th></tr></thead><tbody>`)
				for i, t := range a.Txs {
					amt := en(t.Debit)
					if t.Credit != 0 {
						amt = en(t.Credit) + " CR"
					}
					post := t.Date.AddDays(i % 3)
					if post.After(s.End) {
						post = s.End
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, up(t.Date), up(post), esc(t.Desc), amt)
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "coop", Traits: "credit union; several accounts with -0/-1/-2 suffixes; yyyy/mm/dd dates; signed Amount column with parentheses; wrapped descriptions; Balance forward",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				mem := 1000000 + r.IntN(8999999)
				var as []acct
				for i, typ := range []string{"chequing", "savings", "savings"} {
					open := cents(r, 100, 15000)
					txs := bankTxs(r, []int{25, 10, 3}[i]+r.IntN(8), s, e, open, debitsEN, creditsEN, 600)
					as = append(as, acct{Number: fmt.Sprintf("%d-%d", mem, i), Type: typ, Open: open, Close: closeOf(open, txs, false), Txs: txs})
				}
				return stmt{Institution: "Riverbend Credit Union", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD", Accounts: as}
			},
			Render: func(s stmt) string {
				ymd := func(d passbook.Date) string { return fmt.Sprintf("%04d/%02d/%02d", d.Year, d.Month, d.Day) }
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Member Statement</div></div><div>Member number %s<br>Statement period %s to %s</div></div>%s`,
					esc(s.Institution), strings.Split(s.Accounts[0].Number, "-")[0], ymd(s.Start), ymd(s.End), addr(s.Holder))
				titles := []string{"Share Draft", "Share Savings", "Account"}
				for i, a := range s.Accounts {
					fmt.Fprintf(&b, `<h3>%s %s</h3><table><colgroup><col style="width:80px"><col style="width:200px"><col><col></colgroup><thead><tr><th>Date</th><th>Description</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`, titles[i], a.Number)
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Balance forward</td><td></td><td class=n>%s</td></tr>`, ymd(s.Start), en(a.Open))
					for _, t := range a.Txs {
						amt := en(t.Credit)
						if t.Debit != 0 {
							amt = "(" + en(t.Debit) + ")"
						}
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, ymd(t.Date), esc(t.Desc), amt, en(t.Bal))
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Closing balance</td><td></td><td class=n>%s</td></tr></tbody></table>`, ymd(s.End), en(a.Close))
				}
				return page("", b.String())
			}},
		{Name: "pine", Traits: "US chequing; mm/dd/yy dates; minus-signed withdrawals in one signed Amount column; Beginning/Ending balance rows",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 200, 8000)
				txs := bankTxs(r, 20+r.IntN(25), s, e, open, debitsEN, creditsEN, 500)
				return stmt{Institution: "Pine Valley Bank", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
					Accounts: []acct{{Number: fmt.Sprintf("%010d", r.Int64N(9999999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				mdy := func(d passbook.Date) string { return fmt.Sprintf("%02d/%02d/%02d", d.Month, d.Day, d.Year%100) }
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Everyday Checking</div></div><div>%s<br>%s<br>%s, %s %s</div></div>`, esc(s.Institution), esc(strings.ToUpper(s.Holder.Name)), esc(s.Holder.Address), esc(s.Holder.City), s.Holder.Province, s.Holder.PostalCode)
				fmt.Fprintf(&b, `<p>Account # %s &nbsp; Statement period %s - %s</p>`, a.Number, mdy(s.Start), mdy(s.End))
				b.WriteString(`<table><thead><tr><th>Date</th><th>Transaction description</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`)
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Beginning balance</td><td></td><td class=n>%s</td></tr>`, mdy(s.Start), en(a.Open))
				for _, t := range a.Txs {
					amt := en(t.Credit)
					if t.Debit != 0 {
						amt = "-" + en(t.Debit)
					}
					bal := en(t.Bal)
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, mdy(t.Date), esc(t.Desc), amt, bal)
				}
				cl := en(a.Close)
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Ending balance</td><td></td><td class=n>%s</td></tr></tbody></table>`, mdy(s.End), cl)
				return page("", b.String())
			}},
		{Name: "riviere", Traits: "French credit card; '05 mars' dates; signed Montant with '-1 234,56' payments; Solde précédent / Nouveau solde summary",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 100, 4000)
				txs := cardTxs(r, 20+r.IntN(20), s, e, open, merchFR, "PAIEMENT MERCI")
				return stmt{Institution: "Banque Rivière", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("4510 %02d** **** %04d", r.IntN(99), r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: closeOf(open, txs, true), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Carte Visa Classique</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Numéro de carte %s<br>Période du %s au %s</p>`, a.Number, longFR(s.Start), longFR(s.End))
				fmt.Fprintf(&b, `<div class=box>Solde précédent %s $<br>Nouveau solde %s $</div>`, fr(a.Open), fr(a.Close))
				b.WriteString(`<table><thead><tr><th>Date de transaction</th><th>Date d'inscription</th><th>Description</th><th class=n>Montant</th></tr></thead><tbody>`)
				for _, t := range a.Txs {
					amt := fr(t.Debit)
					if t.Credit != 0 {
						amt = "-" + fr(t.Credit)
					}
					d := fmt.Sprintf("%02d %s", t.Date.Day, monFR[t.Date.Month])
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d, d, esc(t.Desc), amt)
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "nordic", Traits: "two accounts on separate pages, each with its own summary box and totals; yyyy-mm-dd dates; Debit/Credit/Balance columns; overdrawn balances with a trailing minus",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				var as []acct
				for i, typ := range []string{"chequing", "savings"} {
					open := cents(r, 10, 900)
					if i == 1 {
						open = cents(r, 2000, 30000)
					}
					txs := bankTxs(r, 15+r.IntN(15), s, e, open, debitsEN, creditsEN, 700)
					as = append(as, acct{Number: fmt.Sprintf("%03d-%06d-%d%d", r.IntN(999), r.IntN(999999), r.IntN(9), i), Type: typ, Open: open, Close: closeOf(open, txs, false), Txs: txs})
				}
				return stmt{Institution: "Northshore Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD", Accounts: as}
			},
			Render: func(s stmt) string {
				tm := func(m passbook.Money) string {
					if m < 0 {
						return en(-m) + "-"
					}
					return en(m)
				}
				var b strings.Builder
				for i, a := range s.Accounts {
					if i > 0 {
						b.WriteString(`<div style="page-break-before:always"></div>`)
					}
					title := []string{"Everyday Chequing", "Savings Plus"}[i]
					fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>%s</div></div>%s</div>`, esc(s.Institution), title, addr(s.Holder))
					var cr, dr passbook.Money
					for _, t := range a.Txs {
						cr += t.Credit
						dr += t.Debit
					}
					fmt.Fprintf(&b, `<h3>%s account %s</h3><p>Statement period: %s to %s</p>`, title, a.Number, s.Start.ISO(), s.End.ISO())
					fmt.Fprintf(&b, `<div class=box>Opening balance %s<br>Total credits %s<br>Total debits %s<br>Closing balance %s</div>`, tm(a.Open), en(cr), en(dr), tm(a.Close))
					b.WriteString(`<table><thead><tr><th>Date</th><th>Transaction details</th><th class=n>Debit</th><th class=n>Credit</th><th class=n>Balance</th></tr></thead><tbody>`)
					for _, t := range a.Txs {
						w, c := "", ""
						if t.Debit != 0 {
							w = en(t.Debit)
						} else {
							c = en(t.Credit)
						}
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, t.Date.ISO(), esc(t.Desc), w, c, tm(t.Bal))
					}
					b.WriteString(`</tbody></table>`)
				}
				return page("", b.String())
			}},
		{Name: "atlas", Traits: "credit card with separate 'Payments and credits' and 'Purchases' sections of unsigned amounts; 'Mar 5, 2026' dates; no running balance",
			Make: func(r *rand.Rand) stmt {
				s := passbook.NewDate(2026, time.Month(1+r.IntN(12)), 5)
				e := s.AddDays(29)
				open := cents(r, 100, 5000)
				txs := cardTxs(r, 20+r.IntN(20), s, e, open, merchants, "PAYMENT RECEIVED THANK YOU")
				var pay, pur []tx
				for _, t := range txs {
					if t.Credit != 0 {
						pay = append(pay, t)
					} else {
						pur = append(pur, t)
					}
				}
				return stmt{Institution: "Atlas Financial", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("5191 XXXX XXXX %04d", r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: closeOf(open, txs, true), Txs: append(pay, pur...)}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr>%s<div><div class=inst>%s</div><div>Platinum Mastercard statement</div></div></div>`, addr(s.Holder), esc(s.Institution))
				fmt.Fprintf(&b, `<p>Account number %s<br>Statement period %s to %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				fmt.Fprintf(&b, `<div class=box>Previous statement balance $%s<br>New balance $%s</div>`, en(a.Open), en(a.Close))
				sec := func(title string, credit bool) {
					fmt.Fprintf(&b, `<h3>%s</h3><table><thead><tr><th>Date</th><th>Description</th><th class=n>Amount</th></tr></thead><tbody>`, title)
					var tot passbook.Money
					for _, t := range a.Txs {
						if (t.Credit != 0) != credit {
							continue
						}
						v := t.Debit + t.Credit
						tot += v
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, longEN(t.Date), esc(t.Desc), en(v))
					}
					fmt.Fprintf(&b, `</tbody></table><p>Total %s $%s</p>`, strings.ToLower(title), en(tot))
				}
				sec("Payments and credits", true)
				sec("Purchases", false)
				return page("", b.String())
			}},
		{Name: "metro", Traits: "French chequing; dd/mm/yy dates resolved from the period; Débit/Crédit/Solde columns; 'Solde d'ouverture' and 'Solde de fermeture' summary; descriptions on two lines",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 300, 7000)
				txs := bankTxs(r, 20+r.IntN(20), s, e, open, debitsFR, creditsFR, 700)
				return stmt{Institution: "Banque Métropolitaine", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("%05d-%03d-%07d", r.IntN(99999), r.IntN(999), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				dmy := func(d passbook.Date) string { return fmt.Sprintf("%02d/%02d/%02d", d.Day, d.Month, d.Year%100) }
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Relevé de compte chèques</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Numéro de compte : %s<br>Relevé du %s au %s</p>`, a.Number, dmy(s.Start), dmy(s.End))
				fmt.Fprintf(&b, `<div class=box>Solde d'ouverture %s $<br>Solde de fermeture %s $</div>`, fr(a.Open), fr(a.Close))
				b.WriteString(`<table><colgroup><col style="width:60px"><col style="width:150px"><col><col><col></colgroup><thead><tr><th>Date</th><th>Description</th><th class=n>Débit</th><th class=n>Crédit</th><th class=n>Solde</th></tr></thead><tbody>`)
				for _, t := range a.Txs {
					w, c := "", ""
					if t.Debit != 0 {
						w = fr(t.Debit)
					} else {
						c = fr(t.Credit)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, dmy(t.Date), esc(t.Desc), w, c, fr(t.Bal))
				}
				b.WriteString(`</tbody></table>`)
				return page("", b.String())
			}},
		{Name: "birch", Traits: "credit card with a running balance owed; posting date first; long descriptions wrapped with the amounts on their last line; '$1,234.56' and '-$250.00'",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 100, 2500)
				txs := cardTxs(r, 18+r.IntN(15), s, e, open, append(merchants, "AMAZON MARKETPLACE PAYMENTS SEATTLE WA ORDER 112 0098 7712", "HOTEL LE GERMAIN MONTREAL QC FOLIO 88123 ROOM AND TAXES"), "PAYMENT FROM CHEQUING ACCOUNT")
				for i := range txs {
					txs[i].ShowBal = true
				}
				return stmt{Institution: "Birch Card Services", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("4111 22** **** %04d", r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: closeOf(open, txs, true), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				md := func(d passbook.Date) string { return fmt.Sprintf("%s %d", monEN[d.Month], d.Day) }
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr><div><div class=inst>%s</div><div>Visa Infinite statement</div></div>%s</div>`, esc(s.Institution), addr(s.Holder))
				fmt.Fprintf(&b, `<p>Card number: %s<br>Statement period: %s - %s</p>`, a.Number, longEN(s.Start), longEN(s.End))
				b.WriteString(`<table><colgroup><col style="width:60px"><col style="width:60px"><col style="width:170px"><col><col></colgroup><thead><tr><th>Posted</th><th>Trans. date</th><th>Description</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`)
				fmt.Fprintf(&b, `<tr><td class=d></td><td class=d></td><td>Previous balance</td><td></td><td class=n>$%s</td></tr>`, en(a.Open))
				for _, t := range a.Txs {
					amt := "$" + en(t.Debit)
					if t.Credit != 0 {
						amt = "-$" + en(t.Credit)
					}
					fmt.Fprintf(&b, `<tr><td class=d style="vertical-align:top">%s</td><td class=d>%s</td><td>%s</td><td class=n style="vertical-align:bottom">%s</td><td class=n style="vertical-align:bottom">$%s</td></tr>`, md(t.Date), md(t.Date), esc(t.Desc), amt, en(t.Bal))
				}
				fmt.Fprintf(&b, `</tbody></table><p>New balance $%s</p>`, en(a.Close))
				return page("", b.String())
			}},
		{Name: "quartz", Traits: "French chequing; balances at day end only and the date once per day; '1 234,56 $' amounts; Opération/Débit/Crédit/Solde; 'Solde reporté'",
			Make: func(r *rand.Rand) stmt {
				s, e := month(2026, time.Month(1+r.IntN(12)))
				open := cents(r, 1000, 9000)
				txs := bankTxs(r, 25+r.IntN(15), s, e, open, debitsFR, creditsFR, 600)
				for i := range txs {
					txs[i].ShowBal = i == len(txs)-1 || txs[i+1].Date != txs[i].Date
				}
				return stmt{Institution: "Caisse Quartz", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
					Accounts: []acct{{Number: fmt.Sprintf("%03d %05d %03d", r.IntN(999), r.IntN(99999), r.IntN(999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
			},
			Render: func(s stmt) string {
				a := s.Accounts[0]
				dol := func(m passbook.Money) string { return fr(m) + " $" }
				var b strings.Builder
				fmt.Fprintf(&b, `<div class=hdr>%s<div><div class=inst>%s</div><div>Compte courant</div></div></div>`, addr(s.Holder), esc(s.Institution))
				fmt.Fprintf(&b, `<p>Folio %s<br>Du %s au %s</p>`, a.Number, longFR(s.Start), longFR(s.End))
				b.WriteString(`<table><colgroup><col style="width:60px"><col style="width:170px"><col><col><col></colgroup><thead><tr><th>Date</th><th>Opération</th><th class=n>Débit</th><th class=n>Crédit</th><th class=n>Solde</th></tr></thead><tbody>`)
				fmt.Fprintf(&b, `<tr><td class=d></td><td>Solde reporté</td><td></td><td></td><td class=n>%s</td></tr>`, dol(a.Open))
				for i, t := range a.Txs {
					d := ""
					if i == 0 || a.Txs[i-1].Date != t.Date {
						d = fmt.Sprintf("%d %s", t.Date.Day, monFR[t.Date.Month])
					}
					w, c, bal := "", "", ""
					if t.Debit != 0 {
						w = dol(t.Debit)
					} else {
						c = dol(t.Credit)
					}
					if t.ShowBal {
						bal = dol(t.Bal)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d, esc(t.Desc), w, c, bal)
				}
				fmt.Fprintf(&b, `<tr><td class=d></td><td>Solde de clôture</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, dol(a.Close))
				return page("", b.String())
			}},
	}
}
