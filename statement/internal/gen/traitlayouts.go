package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

var (
	debitsUK  = []string{"TESCO STORES 2217", "DIRECT DEBIT COUNCIL TAX", "CARD PAYMENT TO SAINSBURYS", "CASH WITHDRAWAL LINK ATM", "STANDING ORDER RENT FLAT 2", "THAMES WATER DD", "CARD PAYMENT TO PRET A MANGER", "BILL PAYMENT TO A SMITH"}
	creditsUK = []string{"SALARY ACME LOGISTICS LTD", "TRANSFER FROM SAVINGS", "FASTER PAYMENT FROM J PATEL", "REFUND AMAZON UK", "INTEREST PAID"}
	debitsUS  = []string{"POS DEBIT WALMART #1234", "ATM WITHDRAWAL 5TH AVE", "ONLINE PMT COMCAST CABLE", "ACH DEBIT GEICO AUTO INS", "DEBIT CARD PURCHASE STARBUCKS", "ZELLE PAYMENT TO MARIA LOPEZ", "MONTHLY SERVICE FEE", "ACH DEBIT CITY WATER UTIL"}
	creditsUS = []string{"DIRECT DEP PAYROLL GLOBEX CORP", "MOBILE CHECK DEPOSIT", "ZELLE PAYMENT FROM JOHN KIM", "INTEREST PAYMENT", "ATM CASH DEPOSIT", "IRS TREAS 310 TAX REF"}
)

func traitLayouts() []traitLayout {
	return []traitLayout{kestrel(), osprey(), tamarack(), wren(), heron(), larch(), finch(), ledgerly(), marten(), puffin(),
		bittern(), plover(), sparrow(), thrush(), kiwi(), moa(), cardinal(), magnolia(), bluejay(), sequoia(), ibis(), condor(), hanul(),
		dasom(), stoat(), gannet(), ermine(), impala()}
}

// kestrel: a Canadian card that never says it is a card; one signed Amount column with payments
// as '-$250.00'; foreign-currency sub-lines; a NET AMOUNT line closing the table.
func kestrel() traitLayout {
	return traitLayout{Name: "kestrel", Traits: []int{1}, Look: "Canadian card, CAD",
		Desc:     "card statement with no 'credit card' word (the product is 'Cash Back World'); transaction and posting dates ('Mar 08' / '08 mars'); one signed Amount column, payments '-$250.00' / '-250,00 $'; foreign purchases with a sub-line 'FOREIGN CURRENCY 45.10 USD @ 1.3725'; a 'NET AMOUNT OF MONTHLY ACTIVITY' total as the table's last line; summary with statement balance, minimum payment, credit limit",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2026, time.Month(2+r.IntN(9)), 8+r.IntN(10))
			e := s.AddDays(29)
			open := cents(r, 200, 3000)
			n := 14 + r.IntN(6)
			if v.Long {
				n = 62 + r.IntN(8)
			}
			merch, pay := merchants, "PAYMENT - THANK YOU"
			if v.fr() {
				merch, pay = merchFR, "PAIEMENT - MERCI"
			}
			txs := cardTxs(r, n, s, e, open, merch, pay)
			for i := range txs {
				if txs[i].Debit != 0 && r.IntN(5) == 0 {
					foreignLine(r, &txs[i], v, tr(v, "FOREIGN CURRENCY", "DEVISE ÉTRANGÈRE"))
				}
			}
			withPost(r, txs, e)
			return stmt{Institution: "Kestrel Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("5412 75XX XXXX %04d", r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: rebalance(open, txs, true), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			pay, pur := totals(a.Txs)
			limit := passbook.Money(1000000)
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div><div style="font-size:20px;font-weight:bold;letter-spacing:1px">KESTREL BANK</div><div>%s</div></div><div style="text-align:right">%s<br>%s %s</div></div>`,
				tr(v, "Cash Back World", "Remises Monde"), tr(v, "Statement date", "Date du relevé"), longDate(v, s.End), "")
			fmt.Fprintf(&b, `<div style="margin:14px 0">%s</div>`, postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s<br>%s %s %s %s</p>`, tr(v, "Account number", "Numéro de compte"), a.Number, tr(v, "Statement period", "Période du relevé"), longDate(v, s.Start), tr(v, "to", "au"), longDate(v, s.End))
			row := func(l, val string) string {
				return fmt.Sprintf(`<tr><td>%s</td><td class=n>%s</td></tr>`, l, val)
			}
			b.WriteString(`<div style="display:flex;gap:30px;margin-bottom:14px"><table style="width:45%;border:1px solid #888">`)
			b.WriteString(row(tr(v, "Previous balance", "Solde précédent"), dollars(v, a.Open)))
			b.WriteString(row(tr(v, "Payments &amp; credits", "Paiements et crédits"), dollars(v, -pay)))
			b.WriteString(row(tr(v, "Purchases &amp; debits", "Achats et débits"), dollars(v, pur)))
			b.WriteString(row(tr(v, "Interest charged", "Intérêts"), dollars(v, 0)))
			b.WriteString(row("<b>"+tr(v, "Statement balance", "Solde du relevé")+"</b>", "<b>"+dollars(v, a.Close)+"</b>"))
			b.WriteString(`</table><table style="width:45%;border:1px solid #888">`)
			b.WriteString(row(tr(v, "Minimum payment", "Paiement minimum"), dollars(v, max(1000, a.Close/20))))
			b.WriteString(row(tr(v, "Payment due date", "Date d'échéance"), longDate(v, s.End.AddDays(21))))
			b.WriteString(row(tr(v, "Credit limit", "Limite de crédit"), dollars(v, limit)))
			b.WriteString(row(tr(v, "Available credit", "Crédit disponible"), dollars(v, limit-a.Close)))
			b.WriteString(`</table></div>`)
			fmt.Fprintf(&b, `<table><colgroup><col style="width:60px"><col style="width:60px"><col><col style="width:100px"></colgroup><thead><tr style="border-bottom:2px solid #333"><th>%s</th><th>%s</th><th>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Trans. date", "Date trans."), tr(v, "Post date", "Date inscr."), tr(v, "Description", "Description"), tr(v, "Amount ($)", "Montant ($)"))
			for _, t := range a.Txs {
				m := t.Debit
				if t.Credit != 0 {
					m = -t.Credit
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, dayMon(v, t.Date), dayMon(v, t.Post), lines(t.Desc), dollars(v, m))
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #333"><td></td><td></td><td><b>%s</b></td><td class=n><b>%s</b></td></tr></tbody></table>`,
				tr(v, "NET AMOUNT OF MONTHLY ACTIVITY", "MONTANT NET DE L'ACTIVITÉ MENSUELLE"), dollars(v, pur-pay))
			return tpage("'Liberation Sans',sans-serif", "9.5px", "", b.String())
		}}
}

// tamarack: the money columns come before the description.
func tamarack() traitLayout {
	return traitLayout{Name: "tamarack", Traits: []int{2}, Look: "Canadian chequing, CAD",
		Desc:     "columns Date | Credits | Debits | Balance | Description: every amount printed left of the description; 'Opening balance' / 'Closing balance' rows; '05 Mar 2026' / '05/03/2026' dates; serif font",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 500, 6000)
			n := 18 + r.IntN(8)
			if v.Long {
				n = 75 + r.IntN(10)
			}
			d, c := debitsEN, creditsEN
			if v.fr() {
				d, c = debitsFR, creditsFR
			}
			txs := bankTxs(r, n, s, e, open, d, c, 700)
			return stmt{Institution: "Tamarack Trust", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("0341 %07d", r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			date := func(d passbook.Date) string {
				if v.fr() {
					return dmy(d, "/")
				}
				return fmt.Sprintf("%02d %s %d", d.Day, monEN[d.Month], d.Year)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="border-bottom:3px double #333;padding-bottom:6px;display:flex;justify-content:space-between"><div style="font-size:22px;font-variant:small-caps">Tamarack Trust</div><div style="text-align:right">%s<br>%s %s</div></div>`,
				tr(v, "Personal Account Statement", "Relevé de compte personnel"), tr(v, "Account", "Compte"), a.Number)
			fmt.Fprintf(&b, `<div style="margin:12px 0;display:flex;justify-content:space-between"><div>%s</div><div>%s<br>%s – %s</div></div>`, postal(s.Holder), tr(v, "Statement period", "Période"), date(s.Start), date(s.End))
			fmt.Fprintf(&b, `<table><colgroup><col style="width:78px"><col style="width:75px"><col style="width:75px"><col style="width:80px"><col></colgroup><thead><tr style="border-bottom:1px solid #333"><th>Date</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th><th style="padding-left:18px">%s</th></tr></thead><tbody>`,
				tr(v, "Credits", "Crédits"), tr(v, "Debits", "Débits"), tr(v, "Balance", "Solde"), tr(v, "Description", "Description"))
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td></td><td></td><td class=n>%s</td><td style="padding-left:18px">%s</td></tr>`, date(s.Start), amt(v, a.Open), tr(v, "Opening balance", "Solde d'ouverture"))
			for _, t := range a.Txs {
				c, d := "", ""
				if t.Credit != 0 {
					c = amt(v, t.Credit)
				} else {
					d = amt(v, t.Debit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td><td style="padding-left:18px">%s</td></tr>`, date(t.Date), c, d, amt(v, t.Bal), esc(t.Desc))
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #333"><td class=d>%s</td><td></td><td></td><td class=n>%s</td><td style="padding-left:18px">%s</td></tr></tbody></table>`, date(s.End), amt(v, a.Close), tr(v, "Closing balance", "Solde de clôture"))
			return tpage("'Liberation Serif',serif", "10px", "", b.String())
		}}
}

// heron: a British current account whose money headings are printed on two lines, Money out
// before Money in.
func heron() traitLayout {
	return traitLayout{Name: "heron", Traits: []int{3}, Look: "UK current account, GBP", A4: true,
		Desc:     "headings broken over two lines ('Money' / 'out', 'Money' / 'In') with Money out before Money in; balance on every row; '05 Mar 26' dates; sort code and account number; summary box of opening, money in, money out, closing",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2026, time.Month(1+r.IntN(11)), 10+r.IntN(10))
			e := s.AddDays(30)
			open := cents(r, 300, 4000)
			n := 20 + r.IntN(8)
			if v.Long {
				n = 80 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsUK, creditsUK, 400)
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Boar Lane", "Leeds", "", "LS1 4AP"
			return stmt{Institution: "Heron Bank", Holder: h, Start: s, End: e, Currency: "GBP",
				Accounts: []acct{{Number: fmt.Sprintf("%08d", 10000000+r.IntN(89999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			in, out := totals(a.Txs)
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d %s %02d", x.Day, monEN[x.Month], x.Year%100) }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="background:#0b3d5c;color:#fff;padding:8px 10px;font-size:18px">Heron Bank <span style="font-size:11px">Current Account</span></div>`)
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;margin:12px 0"><div>%s</div><div>Sort code 40-%02d-%02d<br>Account number %s<br>%s to %s</div></div>`, postal(s.Holder), 10+s.Start.Day, 30+s.Start.Month, a.Number, longEN(s.Start), longEN(s.End))
			fmt.Fprintf(&b, `<table style="width:45%%;border:1px solid #0b3d5c;margin-bottom:12px"><tr><td>Opening balance</td><td class=n>£%s</td></tr><tr><td>Money in</td><td class=n>£%s</td></tr><tr><td>Money out</td><td class=n>£%s</td></tr><tr><td><b>Closing balance</b></td><td class=n><b>£%s</b></td></tr></table>`, en(a.Open), en(in), en(out), en(a.Close))
			b.WriteString(`<table><colgroup><col style="width:70px"><col><col style="width:80px"><col style="width:80px"><col style="width:90px"></colgroup><thead><tr style="background:#dde8ef"><th>Date</th><th>Description</th><th class=n>Money<br>out</th><th class=n>Money<br>In</th><th class=n>Balance</th></tr></thead><tbody>`)
			for _, t := range a.Txs {
				o, i := "", ""
				if t.Debit != 0 {
					o = en(t.Debit)
				} else {
					i = en(t.Credit)
				}
				fmt.Fprintf(&b, `<tr style="border-bottom:1px solid #ddd"><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), o, i, en(t.Bal))
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Serif',serif", "10px", "", b.String())
		}}
}

// finch: the date and the description are one text run, a few spaces apart.
func finch() traitLayout {
	return traitLayout{Name: "finch", Traits: []int{4}, Look: "Canadian chequing, CAD",
		Desc:     "date and description in one cell and one text run ('Feb 01  ATM WITHDRAWAL', '01 févr.  RETRAIT GAB') under one heading 'Date  Description'; Withdrawals / Deposits / Balance; Balance forward and closing balance rows; condensed font",
		Variants: []variant{{"en", false}, {"fr", false}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 500, 6000)
			n := 20 + r.IntN(8)
			if v.Long {
				n = 85 + r.IntN(10)
			}
			d, c := debitsEN, creditsEN
			if v.fr() {
				d, c = debitsFR, creditsFR
			}
			txs := bankTxs(r, n, s, e, open, d, c, 600)
			return stmt{Institution: "Finch Financial", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("%05d %07d", r.IntN(99999), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string {
				if v.fr() {
					return fmt.Sprintf("%02d %s", x.Day, monFR[x.Month])
				}
				return fmt.Sprintf("%s %02d", monEN[x.Month], x.Day)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="font-size:16px;font-weight:bold">Finch Financial</div><div>%s</div><div style="margin:10px 0">%s</div>`, tr(v, "Chequing account statement", "Relevé du compte chèques"), postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s · %s %s %s %s</p>`, tr(v, "Account", "Compte"), a.Number, tr(v, "From", "Du"), longDate(v, s.Start), tr(v, "to", "au"), longDate(v, s.End))
			fmt.Fprintf(&b, `<table><colgroup><col><col style="width:80px"><col style="width:80px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #000"><th style="white-space:pre">%s</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Date   Description", "Date   Description"), tr(v, "Withdrawals", "Retraits"), tr(v, "Deposits", "Dépôts"), tr(v, "Balance", "Solde"))
			row := func(date, desc, w, dep, bal string) {
				fmt.Fprintf(&b, `<tr><td style="white-space:pre">%s  %s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, date, esc(desc), w, dep, bal)
			}
			row(d(s.Start), tr(v, "BALANCE FORWARD", "SOLDE REPORTÉ"), "", "", amt(v, a.Open))
			for _, t := range a.Txs {
				w, dep := "", ""
				if t.Debit != 0 {
					w = amt(v, t.Debit)
				} else {
					dep = amt(v, t.Credit)
				}
				row(d(t.Date), t.Desc, w, dep, amt(v, t.Bal))
			}
			row(d(s.End), tr(v, "CLOSING BALANCE", "SOLDE DE CLÔTURE"), "", "", amt(v, a.Close))
			b.WriteString(`</tbody></table>`)
			return tpage("'DejaVu Sans Condensed','DejaVu Sans',sans-serif", "9px", "", b.String())
		}}
}

// marten: the summary is a grid, labels in one row and the values in the row under them.
func marten() traitLayout {
	return traitLayout{Name: "marten", Traits: []int{5}, Look: "Canadian chequing, CAD",
		Desc:     "summary as a grid: labels Opening balance | Deposits | Withdrawals | Fees | Closing balance in one row, values in the row under them (the table has no opening or closing row); 'Mar 5' / '5 mars' dates; running balance",
		Variants: []variant{{"en", false}, {"fr", false}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 500, 9000)
			d, c, fee := debitsEN, creditsEN, "MONTHLY ACCOUNT FEE"
			if v.fr() {
				d, c, fee = debitsFR, creditsFR, "FRAIS MENSUELS"
			}
			n := 18 + r.IntN(8)
			if v.Long {
				n = 80 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, without(d, fee), c, 700)
			txs = append(txs, tx{Date: e, Desc: fee, Debit: passbook.Money(1095 + 100*r.IntN(5)), ShowBal: true})
			return stmt{Institution: "Marten Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("%03d-%06d", r.IntN(999), r.IntN(999999)), Type: "chequing", Open: open, Close: rebalance(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			var dep, wd, fees passbook.Money
			for _, t := range a.Txs {
				switch {
				case t.Credit != 0:
					dep += t.Credit
				case strings.Contains(t.Desc, "FEE") || strings.Contains(t.Desc, "FRAIS"):
					fees += t.Debit
				default:
					wd += t.Debit
				}
			}
			d := func(x passbook.Date) string {
				if v.fr() {
					return fmt.Sprintf("%d %s", x.Day, monFR[x.Month])
				}
				return fmt.Sprintf("%s %d", monEN[x.Month], x.Day)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;border-bottom:4px solid #7a2f8f;padding-bottom:8px"><div style="font-size:19px;color:#7a2f8f;font-weight:bold">Marten Bank</div><div>%s<br>%s %s</div></div>`, tr(v, "Everyday Banking", "Services bancaires courants"), tr(v, "Account no.", "N° de compte"), a.Number)
			fmt.Fprintf(&b, `<div style="margin:12px 0">%s</div><p>%s %s – %s</p>`, postal(s.Holder), tr(v, "Your statement for", "Votre relevé pour la période du"), longDate(v, s.Start), longDate(v, s.End))
			labels := []string{tr(v, "Opening balance", "Solde d'ouverture"), tr(v, "Deposits", "Dépôts"), tr(v, "Withdrawals", "Retraits"), tr(v, "Fees", "Frais"), tr(v, "Closing balance", "Solde de clôture")}
			vals := []passbook.Money{a.Open, dep, wd, fees, a.Close}
			b.WriteString(`<div style="display:grid;grid-template-columns:repeat(5,1fr);border:1px solid #7a2f8f;margin-bottom:16px">`)
			for _, l := range labels {
				fmt.Fprintf(&b, `<div style="padding:4px 6px;font-size:8px;color:#555;background:#f3e9f6">%s</div>`, l)
			}
			for i, m := range vals {
				sign := ""
				if i == 2 || i == 3 {
					sign = "-"
				}
				fmt.Fprintf(&b, `<div style="padding:4px 6px;font-size:12px;font-weight:bold">%s%s</div>`, sign, dollars(v, m))
			}
			b.WriteString(`</div>`)
			fmt.Fprintf(&b, `<table><colgroup><col style="width:55px"><col><col style="width:80px"><col style="width:80px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #7a2f8f"><th>Date</th><th>%s</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Transaction", "Opération"), tr(v, "Withdrawals", "Retraits"), tr(v, "Deposits", "Dépôts"), tr(v, "Balance", "Solde"))
			for _, t := range a.Txs {
				w, dp := "", ""
				if t.Debit != 0 {
					w = amt(v, t.Debit)
				} else {
					dp = amt(v, t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), w, dp, amt(v, t.Bal))
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans Narrow','Liberation Sans',sans-serif", "10px", "", b.String())
		}}
}

// bittern: two monthly statements of one account in one file.
func bittern() traitLayout {
	return traitLayout{Name: "bittern", Traits: []int{6}, Look: "Canadian savings, CAD",
		Desc:     "two consecutive monthly statements of one account bundled in one PDF, each on its own page with its own header, period, summary (opening, deposits, withdrawals, closing), table with opening and closing rows, and a 'Page 1 of 1' that resets; 'yyyy-mm-dd' dates",
		Variants: enFr,
		Make: func(r *rand.Rand, v variant) stmt {
			m := time.Month(1 + r.IntN(11))
			s1, e1 := month(2026, m)
			s2, e2 := month(2026, m+1)
			open := cents(r, 2000, 15000)
			d, c := debitsEN, creditsEN
			if v.fr() {
				d, c = debitsFR, creditsFR
			}
			t1 := bankTxs(r, 12+r.IntN(8), s1, e1, open, d, c, 500)
			mid := closeOf(open, t1, false)
			t2 := bankTxs(r, 12+r.IntN(8), s2, e2, mid, d, c, 500)
			txs := append(t1, t2...)
			return stmt{Institution: "Bittern Savings", Holder: newHolder(r, false), Start: s1, End: e2, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("%04d-%06d", r.IntN(9999), r.IntN(999999)), Type: "savings", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			var b strings.Builder
			open := a.Open
			for k := range 2 {
				ps, pe := month(s.Start.Year, s.Start.Month+time.Month(k))
				var txs []tx
				for _, t := range a.Txs {
					if t.Date.Month == ps.Month {
						txs = append(txs, t)
					}
				}
				cl := closeOf(open, txs, false)
				in, out := totals(txs)
				if k > 0 {
					b.WriteString(`<div class=brk></div>`)
				}
				b.WriteString(`<div style="height:9.6in;position:relative">`)
				fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-style:italic">Bittern Savings</div><div>%s</div></div>`, tr(v, "High Interest Savings Account", "Compte d'épargne à intérêt élevé"))
				fmt.Fprintf(&b, `<div style="margin:12px 0">%s</div>`, postal(s.Holder))
				fmt.Fprintf(&b, `<p>%s %s<br>%s %s %s %s</p>`, tr(v, "Account", "Compte"), a.Number, tr(v, "Statement period", "Période du relevé :"), ps.ISO(), tr(v, "to", "au"), pe.ISO())
				fmt.Fprintf(&b, `<table style="width:55%%;border:1px solid #999;margin-bottom:12px"><tr><td>%s</td><td class=n>%s</td></tr><tr><td>%s</td><td class=n>+%s</td></tr><tr><td>%s</td><td class=n>-%s</td></tr><tr><td><b>%s</b></td><td class=n><b>%s</b></td></tr></table>`,
					tr(v, "Opening balance", "Solde d'ouverture"), dollars(v, open), tr(v, "Total deposits", "Total des dépôts"), dollars(v, in), tr(v, "Total withdrawals", "Total des retraits"), dollars(v, out), tr(v, "Closing balance", "Solde de clôture"), dollars(v, cl))
				fmt.Fprintf(&b, `<table><thead><tr style="border-bottom:1px solid #000"><th>Date</th><th>Description</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`, tr(v, "Withdrawals", "Retraits"), tr(v, "Deposits", "Dépôts"), tr(v, "Balance", "Solde"))
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td></td><td></td><td class=n>%s</td></tr>`, ps.ISO(), tr(v, "Opening balance", "Solde d'ouverture"), amt(v, open))
				for _, t := range txs {
					w, dp := "", ""
					if t.Debit != 0 {
						w = amt(v, t.Debit)
					} else {
						dp = amt(v, t.Credit)
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, t.Date.ISO(), esc(t.Desc), w, dp, amt(v, t.Bal))
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, pe.ISO(), tr(v, "Closing balance", "Solde de clôture"), amt(v, cl))
				fmt.Fprintf(&b, `<div style="position:absolute;bottom:0;width:100%%;text-align:center;font-size:8px">%s</div></div>`, tr(v, "Page 1 of 1", "Page 1 de 1"))
				open = cl
			}
			return tpage("'Liberation Serif',serif", "10px", "", b.String())
		}}
}
