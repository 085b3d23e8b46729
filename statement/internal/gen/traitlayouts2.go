package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

// multiLine gives about one description in three a second (and sometimes a third) line.
func multiLine(r *rand.Rand, txs []tx, extra []string) {
	for i := range txs {
		switch r.IntN(6) {
		case 0, 1:
			txs[i].Desc += "\n" + pick(r, extra)
		case 2:
			txs[i].Desc += "\n" + pick(r, extra) + "\n" + fmt.Sprintf("REF %06d%04d", r.IntN(999999), r.IntN(9999))
		}
	}
}

// sparrow: explanatory and decoy tables after the last transaction, and (long) a description
// that runs over a page break.
func sparrow() traitLayout {
	return traitLayout{Name: "sparrow", Traits: []int{7}, Look: "Canadian chequing, CAD",
		Desc:     "after the closing row a line 'Transactions stop here' / 'Fin des transactions', then a decoy table of upcoming pre-authorized payments (dates and amounts after the period) and an interest-rate table; descriptions of one to three lines with the amounts on the first; the long variants are paginated by hand so that one description is split by the page break (its first line and amounts at the foot of one page, the rest at the top of the next)",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(11)))
			open := cents(r, 800, 9000)
			n := 16 + r.IntN(6)
			if v.Long {
				n = 55 + r.IntN(10)
			}
			d, c, extra := debitsEN, creditsEN, []string{"INTERAC E-TRANSFER", "MOBILE BANKING", "BRANCH 0412 TORONTO ON", "ONLINE BANKING TRANSFER"}
			if v.fr() {
				d, c, extra = debitsFR, creditsFR, []string{"VIREMENT INTERAC", "SERVICES MOBILES", "SUCCURSALE 0412 MONTRÉAL QC", "VIREMENT EN LIGNE"}
			}
			txs := bankTxs(r, n, s, e, open, d, c, 600)
			multiLine(r, txs, extra)
			return stmt{Institution: "Sparrow Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("%05d-%07d", r.IntN(99999), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return dayMon(v, x) }
			type line struct{ tx, part int } // part 0 carries the date and amounts
			var ls []line
			for i, t := range a.Txs {
				for j := range strings.Split(t.Desc, "\n") {
					ls = append(ls, line{i, j})
				}
			}
			// Lines per page: the first count from 34 to 48 that splits a description.
			per := len(ls) + 10
			if v.Long {
				per = 0
				for c := 34; c <= 48 && per == 0; c++ {
					if c < len(ls) && ls[c].part > 0 {
						per = c
					}
				}
				if per == 0 {
					panic("sparrow: no page break inside a description")
				}
			}
			head := fmt.Sprintf(`<table><colgroup><col style="width:60px"><col><col style="width:85px"><col style="width:85px"><col style="width:90px"></colgroup><thead><tr style="border-bottom:1px solid #246"><th>Date</th><th>Description</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Withdrawals", "Retraits"), tr(v, "Deposits", "Dépôts"), tr(v, "Balance", "Solde"))
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;color:#246;font-weight:bold">Sparrow Bank</div><div style="text-align:right">%s<br>%s %s</div></div>`, tr(v, "Chequing Account Statement", "Relevé de compte chèques"), tr(v, "Account", "Compte"), a.Number)
			fmt.Fprintf(&b, `<div style="margin:10px 0">%s</div><p>%s %s %s %s</p>`, postal(s.Holder), tr(v, "Statement from", "Relevé du"), longDate(v, s.Start), tr(v, "to", "au"), longDate(v, s.End))
			b.WriteString(head)
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td></td><td></td><td class=n>%s</td></tr>`, d(s.Start), tr(v, "Opening balance", "Solde d'ouverture"), amt(v, a.Open))
			for k, l := range ls {
				if k > 0 && k%per == 0 {
					fmt.Fprintf(&b, `</tbody></table><div class=brk></div><div style="font-size:8px;margin-bottom:8px">Sparrow Bank · %s %s · %s</div>%s`, tr(v, "Account", "Compte"), a.Number, tr(v, "continued", "suite"), head)
				}
				t := a.Txs[l.tx]
				text := esc(strings.Split(t.Desc, "\n")[l.part])
				if l.part > 0 {
					fmt.Fprintf(&b, `<tr><td></td><td>%s</td><td></td><td></td><td></td></tr>`, text)
					continue
				}
				w, dp := "", ""
				if t.Debit != 0 {
					w = amt(v, t.Debit)
				} else {
					dp = amt(v, t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), text, w, dp, amt(v, t.Bal))
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #246"><td class=d>%s</td><td>%s</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, d(s.End), tr(v, "Closing balance", "Solde de clôture"), amt(v, a.Close))
			fmt.Fprintf(&b, `<p style="text-align:center;font-weight:bold;margin:10px 0">— %s —</p>`, tr(v, "Transactions stop here", "Fin des transactions"))
			// The decoy: next month's scheduled payments, dated and priced like transactions.
			fmt.Fprintf(&b, `<h4 style="margin:8px 0 2px">%s</h4><table style="width:80%%"><thead><tr style="border-bottom:1px solid #999"><th>Date</th><th>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Upcoming pre-authorized payments", "Prélèvements préautorisés à venir"), tr(v, "Payee", "Bénéficiaire"), tr(v, "Amount", "Montant"))
			for i, p := range []string{tr(v, "MORTGAGE PAYMENT ROYAL TRUST", "PAIEMENT HYPOTHÉCAIRE"), tr(v, "INTACT INSURANCE", "ASSURANCE DESJARDINS"), tr(v, "TORONTO HYDRO", "HYDRO QUÉBEC")} {
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(s.End.AddDays(3+7*i)), p, amt(v, passbook.Money(4520+i*31717)))
			}
			fmt.Fprintf(&b, `</tbody></table><h4 style="margin:8px 0 2px">%s</h4><table style="width:80%%"><thead><tr style="border-bottom:1px solid #999"><th>%s</th><th>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Your interest rates", "Vos taux d'intérêt"), tr(v, "Effective date", "Date d'effet"), tr(v, "Balance tier", "Palier de solde"), tr(v, "Annual rate", "Taux annuel"))
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s – %s</td><td class=n>0.05%%</td></tr><tr><td class=d>%s</td><td>%s %s</td><td class=n>0.25%%</td></tr></tbody></table>`,
				d(s.Start), amt(v, 0), amt(v, 499999), d(s.Start), tr(v, "over", "plus de"), amt(v, 500000))
			return tpage("'DejaVu Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// kiwi: day-end balances with CR/DR and D/MM/YYYY dates.
func kiwi() traitLayout {
	return traitLayout{Name: "kiwi", Traits: []int{8}, Look: "New Zealand cheque account, NZD", A4: true,
		Desc:     "D/MM/YYYY dates ('1/02/2026', '15/02/2026'); balance printed only on the last row of each day, as '1,234.56 CR' or '45.10 DR' (the account goes overdrawn); Debit / Credit columns; OPENING and CLOSING BALANCE rows",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 50, 600)
			n := 24 + r.IntN(8)
			if v.Long {
				n = 85 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsUK, creditsUK, 500)
			cl := overdraw(r, open, txs)
			dayEnd(txs)
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Lambton Quay", "Wellington", "", "6011"
			return stmt{Institution: "Kiwi Coast Bank", Holder: h, Start: s, End: e, Currency: "NZD",
				Accounts: []acct{{Number: fmt.Sprintf("12-3%03d-%07d-00", r.IntN(999), r.IntN(9999999)), Type: "chequing", Open: open, Close: cl, Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%d/%02d/%d", x.Day, x.Month, x.Year) }
			crdr := func(m passbook.Money) string {
				if m < 0 {
					return en(-m) + " DR"
				}
				return en(m) + " CR"
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;align-items:flex-end"><div style="font-size:22px;color:#0a6b4b;font-weight:bold">kiwi coast</div><div>Statement of account<br>Streamline Cheque Account</div></div><hr>`)
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;margin:10px 0"><div>%s</div><div>Account number %s<br>Statement period %s - %s<br>All amounts in New Zealand dollars (NZD)</div></div>`, postal(s.Holder), a.Number, d(s.Start), d(s.End))
			b.WriteString(`<table><colgroup><col style="width:70px"><col><col style="width:80px"><col style="width:80px"><col style="width:95px"></colgroup><thead><tr style="border-bottom:2px solid #0a6b4b"><th>Date</th><th>Transaction details</th><th class=n>Debit</th><th class=n>Credit</th><th class=n>Balance</th></tr></thead><tbody>`)
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>OPENING BALANCE</td><td></td><td></td><td class=n>%s</td></tr>`, d(s.Start), crdr(a.Open))
			for _, t := range a.Txs {
				w, c, bal := "", "", ""
				if t.Debit != 0 {
					w = en(t.Debit)
				} else {
					c = en(t.Credit)
				}
				if t.ShowBal {
					bal = crdr(t.Bal)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), w, c, bal)
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #0a6b4b"><td class=d>%s</td><td>CLOSING BALANCE</td><td></td><td></td><td class=n>%s</td></tr></tbody></table>`, d(s.End), crdr(a.Close))
			return tpage("'DejaVu Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// moa: '1 February' dates without a year, day-end CR/DR balances, and a printed period that
// does not cover the rows.
func moa() traitLayout {
	return traitLayout{Name: "moa", Traits: []int{8}, Look: "Irish current account, EUR (French: Belgian)", A4: true,
		Desc:     "'29 December' / '29 décembre' dates with no year; the printed period ('1 January 2026 to 31 January 2026') disagrees with the rows, which start in late December 2025 and end in early February 2026; balances only on the last row of a day, with CR/DR; opening and closing in a summary line above the table",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2025, 12, 27+r.IntN(3))
			e := passbook.NewDate(2026, 2, 1+r.IntN(3))
			open := cents(r, 100, 900)
			n := 22 + r.IntN(8)
			if v.Long {
				n = 80 + r.IntN(10)
			}
			d, c := debitsUK, creditsUK
			if v.fr() {
				d, c = []string{"PAIEMENT BANCONTACT DELHAIZE", "DOMICILIATION PROXIMUS", "RETRAIT BANCONTACT", "VIREMENT LOYER", "PAIEMENT MAESTRO COLRUYT", "DOMICILIATION ENGIE"}, []string{"VIREMENT SALAIRE ACME SA", "VIREMENT DE M JANSSENS", "INTERETS", "REMBOURSEMENT MUTUALITE"}
			}
			txs := bankTxs(r, n, s, e, open, d, c, 450)
			overdraw(r, open, txs)
			dayEnd(txs)
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Baggot Street", "Dublin 2", "", "D02 X285"
			num := fmt.Sprintf("IE%02d MOAB 9%05d %08d", r.IntN(99), r.IntN(99999), r.IntN(99999999))
			if v.fr() {
				h.Address, h.City, h.PostalCode = fmt.Sprintf("Rue de la Loi %d", 1+r.IntN(200)), "Bruxelles", "1040"
				num = fmt.Sprintf("BE%02d %04d %04d %04d", r.IntN(99), r.IntN(9999), r.IntN(9999), r.IntN(9999))
			}
			// The truth's period is the printed one.
			return stmt{Institution: tr(v, "Moa Bank", "Banque Moa"), Holder: h, Start: passbook.NewDate(2026, 1, 1), End: passbook.NewDate(2026, 1, 31), Currency: "EUR",
				Accounts: []acct{{Number: num, Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string {
				if v.fr() {
					return fmt.Sprintf("%d %s", x.Day, monLongFR[x.Month])
				}
				return fmt.Sprintf("%d %s", x.Day, monLongEN[x.Month])
			}
			crdr := func(m passbook.Money) string {
				if m < 0 {
					return amt(v, -m) + "DR"
				}
				return amt(v, m) + "CR"
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="font-size:20px;font-family:'DejaVu Serif',serif">%s</div><div style="margin:10px 0">%s</div>`, esc(s.Institution), postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s &nbsp; IBAN %s<br>%s</p>`, tr(v, "Current Account", "Compte à vue"), a.Number, tr(v, "Statement period 1 January 2026 to 31 January 2026", "Période du 1er janvier 2026 au 31 janvier 2026"))
			fmt.Fprintf(&b, `<p style="border:1px solid #333;padding:4px">%s €%s &nbsp;&nbsp;&nbsp; %s €%s</p>`, tr(v, "Opening balance", "Solde d'ouverture"), crdr(a.Open), tr(v, "Closing balance", "Solde de clôture"), crdr(a.Close))
			fmt.Fprintf(&b, `<table><colgroup><col style="width:85px"><col><col style="width:80px"><col style="width:80px"><col style="width:90px"></colgroup><thead><tr style="border-bottom:1px solid #333"><th>Date</th><th>%s</th><th class=n>%s €</th><th class=n>%s €</th><th class=n>%s €</th></tr></thead><tbody>`,
				tr(v, "Details", "Détails"), tr(v, "Debit", "Débit"), tr(v, "Credit", "Crédit"), tr(v, "Balance", "Solde"))
			for _, t := range a.Txs {
				w, c, bal := "", "", ""
				if t.Debit != 0 {
					w = amt(v, t.Debit)
				} else {
					c = amt(v, t.Credit)
				}
				if t.ShowBal {
					bal = crdr(t.Bal)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), w, c, bal)
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans',sans-serif", "9px", "", b.String())
		}}
}

// dots fills a heading with a dot leader to roughly width px at the given font size.
func dots(label string, width, size float64) string {
	n := int((width - float64(len([]rune(label)))*size*0.62) / (size * 0.28))
	return label + " " + strings.Repeat(".", max(3, n))
}

// cardinal: a US checking statement in sections with dot-leader headings and a daily balance
// table after them.
func cardinal() traitLayout {
	return traitLayout{Name: "cardinal", Traits: []int{9}, Look: "US checking, USD (French: Canadian, CAD)",
		Desc:     "summary lines and column headings with dot leaders ('DATE ....... DESCRIPTION ........ AMOUNT'); separate 'DEPOSITS AND ADDITIONS' and 'ELECTRONIC WITHDRAWALS' sections of unsigned amounts, each with a total line; a 'DAILY ENDING BALANCE' table of date/amount pairs after them; mm/dd dates (jj/mm in French)",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 1500, 9000)
			n := 20 + r.IntN(8)
			if v.Long {
				n = 70 + r.IntN(10)
			}
			d, c, cur := debitsUS, creditsUS, "USD"
			if v.fr() {
				d, c, cur = debitsFR, creditsFR, "CAD"
			}
			txs := bankTxs(r, n, s, e, open, d, c, 600)
			var dep, wd []tx
			for _, t := range txs {
				t.ShowBal = false
				if t.Credit != 0 {
					dep = append(dep, t)
				} else {
					wd = append(wd, t)
				}
			}
			h := newHolder(r, !v.fr())
			return stmt{Institution: "Cardinal National Bank", Holder: h, Start: s, End: e, Currency: cur,
				Accounts: []acct{{Number: fmt.Sprintf("%09d", r.IntN(999999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: append(dep, wd...)}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string {
				if v.fr() {
					return fmt.Sprintf("%02d/%02d", x.Day, x.Month)
				}
				return fmt.Sprintf("%02d/%02d", x.Month, x.Day)
			}
			in, out := totals(a.Txs)
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:17px;font-weight:bold;color:#8b0000">CARDINAL NATIONAL BANK</div><div style="text-align:right">%s %s %s %s<br>%s %s</div></div>`,
				longDate(v, s.Start), tr(v, "through", "au"), longDate(v, s.End), "", tr(v, "Account Number:", "Numéro de compte :"), a.Number)
			fmt.Fprintf(&b, `<div style="margin:12px 0">%s</div>`, postal(s.Holder))
			sum := func(l string, m string) {
				fmt.Fprintf(&b, `<tr><td style="white-space:nowrap;overflow:hidden">%s</td><td class=n>%s</td></tr>`, dots(l, 260, 9), m)
			}
			fmt.Fprintf(&b, `<div style="font-weight:bold;margin-top:8px">%s</div><table style="width:60%%">`, tr(v, "CHECKING SUMMARY", "SOMMAIRE DU COMPTE"))
			sum(tr(v, "Beginning Balance", "Solde d'ouverture"), dollars(v, a.Open))
			sum(tr(v, "Deposits and Additions", "Dépôts et crédits"), amt(v, in))
			sum(tr(v, "Electronic Withdrawals", "Retraits électroniques"), "-"+amt(v, out))
			sum(tr(v, "Ending Balance", "Solde de fermeture"), dollars(v, a.Close))
			b.WriteString(`</table>`)
			sec := func(title string, credit bool, total passbook.Money) {
				fmt.Fprintf(&b, `<div style="font-weight:bold;margin-top:14px;border-bottom:2px solid #8b0000">%s</div>`, title)
				fmt.Fprintf(&b, `<table><colgroup><col style="width:75px"><col><col style="width:90px"></colgroup><thead><tr><th style="white-space:nowrap;overflow:hidden">%s</th><th style="white-space:nowrap;overflow:hidden">%s</th><th class=n>%s</th></tr></thead><tbody>`,
					dots("DATE", 55, 8), dots(tr(v, "DESCRIPTION", "DESCRIPTION"), 330, 8), tr(v, "AMOUNT", "MONTANT"))
				for _, t := range a.Txs {
					if (t.Credit != 0) != credit {
						continue
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), dollars(v, t.Credit+t.Debit))
				}
				fmt.Fprintf(&b, `<tr style="border-top:1px solid #999"><td></td><td><b>%s %s</b></td><td class=n><b>%s</b></td></tr></tbody></table>`, tr(v, "Total", "Total des"), strings.ToLower(title), dollars(v, total))
			}
			sec(tr(v, "DEPOSITS AND ADDITIONS", "DÉPÔTS ET CRÉDITS"), true, in)
			sec(tr(v, "ELECTRONIC WITHDRAWALS", "RETRAITS ÉLECTRONIQUES"), false, out)
			// Daily ending balances, three date/amount pairs a line.
			days := map[passbook.Date]passbook.Money{}
			var order []passbook.Date
			for _, t := range a.Txs {
				if _, ok := days[t.Date]; !ok {
					order = append(order, t.Date)
				}
				days[t.Date] += t.Credit - t.Debit
			}
			sortDates(order)
			fmt.Fprintf(&b, `<div style="font-weight:bold;margin-top:14px;border-bottom:2px solid #8b0000">%s</div><table style="width:85%%"><thead><tr>`, tr(v, "DAILY ENDING BALANCE", "SOLDE QUOTIDIEN"))
			for range 3 {
				fmt.Fprintf(&b, `<th style="white-space:nowrap">%s</th><th class=n>%s</th>`, dots("DATE", 40, 8), tr(v, "AMOUNT", "MONTANT"))
			}
			b.WriteString(`</tr></thead><tbody>`)
			bal := a.Open
			for i, x := range order {
				bal += days[x]
				if i%3 == 0 {
					b.WriteString("<tr>")
				}
				fmt.Fprintf(&b, `<td class=d>%s</td><td class=n>%s</td>`, d(x), dollars(v, bal))
				if i%3 == 2 || i == len(order)-1 {
					b.WriteString("</tr>")
				}
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans',sans-serif", "9px", "", b.String())
		}}
}

func sortDates(ds []passbook.Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// wholeOrCents writes an amount without cents when it has none ('100') and without a leading
// zero under one dollar ('.15').
func wholeOrCents(m passbook.Money) string {
	s := en(m)
	switch {
	case m%100 == 0:
		return strings.TrimSuffix(s, ".00")
	case m < 100:
		return strings.TrimPrefix(s, "0")
	}
	return s
}

// sequoia: unsigned amounts under section headings, a cheques table, amounts without cents.
func sequoia() traitLayout {
	return traitLayout{Name: "sequoia", Traits: []int{10}, Look: "US checking, USD",
		Desc:     "sign given only by the section heading ('Deposits and Other Credits', 'Withdrawals and Other Debits') over unsigned amounts; a 'Checks Paid' table Date Paid | Check Number | Amount | Reference (the description is the check number); round amounts without cents ('100', '1,250') and interest without a leading zero ('.15'); no running balance",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2025, time.Month(1+r.IntN(12)))
			open := cents(r, 2000, 12000)
			n := 18 + r.IntN(8)
			if v.Long {
				n = 65 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, without(debitsUS, "MONTHLY SERVICE FEE"), without(creditsUS, "INTEREST PAYMENT"), 900)
			var dep, wd, chk []tx
			for _, t := range txs {
				t.ShowBal = false
				if r.IntN(4) == 0 { // a round amount, printed without cents
					round := func(m passbook.Money) passbook.Money { return max(500, m/500*500) }
					if t.Debit != 0 {
						t.Debit = round(t.Debit)
					} else {
						t.Credit = round(t.Credit)
					}
				}
				switch {
				case t.Credit != 0:
					dep = append(dep, t)
				case r.IntN(3) == 0:
					t.Desc = fmt.Sprint(2201 + len(chk) + r.IntN(2))
					chk = append(chk, t)
				default:
					wd = append(wd, t)
				}
			}
			dep = append(dep, tx{Date: e, Desc: "INTEREST PAYMENT", Credit: passbook.Money(3 + r.IntN(90))})
			all := append(append(dep, wd...), chk...)
			h := newHolder(r, true)
			return stmt{Institution: "Sequoia Community Bank", Holder: h, Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("%010d", r.Int64N(9999999999)), Type: "chequing", Open: open, Close: closeOf(open, all, false), Txs: all}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d", x.Month, x.Day) }
			var dep, wd, chk []tx
			for _, t := range a.Txs {
				switch {
				case t.Credit != 0:
					dep = append(dep, t)
				case !strings.ContainsAny(t.Desc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
					chk = append(chk, t)
				default:
					wd = append(wd, t)
				}
			}
			_, td := totals(wd)
			_, tc := totals(chk)
			tdep, _ := totals(dep)
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div><div style="font-size:18px;color:#2e5d34;font-weight:bold">Sequoia Community Bank</div><div>Member FDIC</div></div><div style="text-align:right">Statement Period<br>%s - %s</div></div>`, mdy(s.Start, "/"), mdy(s.End, "/"))
			fmt.Fprintf(&b, `<div style="margin:12px 0">%s</div><p>Essential Checking &nbsp; Account %s</p>`, postal(s.Holder), a.Number)
			fmt.Fprintf(&b, `<table style="width:55%%;border:1px solid #2e5d34;margin-bottom:10px"><tr><td>Beginning Balance</td><td class=n>$%s</td></tr><tr><td>Deposits and Other Credits</td><td class=n>%s</td></tr><tr><td>Withdrawals and Other Debits</td><td class=n>%s</td></tr><tr><td>Checks Paid</td><td class=n>%s</td></tr><tr><td><b>Ending Balance</b></td><td class=n><b>$%s</b></td></tr></table>`,
				en(a.Open), wholeOrCents(tdep), wholeOrCents(td), wholeOrCents(tc), en(a.Close))
			sec := func(title string, rows []tx, total passbook.Money) {
				fmt.Fprintf(&b, `<div style="margin-top:12px;font-weight:bold;background:#e3ede4;padding:2px 4px">%s</div><table><colgroup><col style="width:60px"><col><col style="width:90px"></colgroup><thead><tr><th>Date</th><th>Description</th><th class=n>Amount</th></tr></thead><tbody>`, title)
				for _, t := range rows {
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), wholeOrCents(t.Credit+t.Debit))
				}
				fmt.Fprintf(&b, `<tr style="border-top:1px solid #999"><td></td><td>Total %s</td><td class=n>%s</td></tr></tbody></table>`, strings.ToLower(title), wholeOrCents(total))
			}
			sec("Deposits and Other Credits", dep, tdep)
			sec("Withdrawals and Other Debits", wd, td)
			if len(chk) > 0 {
				b.WriteString(`<div style="margin-top:12px;font-weight:bold;background:#e3ede4;padding:2px 4px">Checks Paid</div><table style="width:75%"><thead><tr><th>Date Paid</th><th>Check Number</th><th class=n>Amount</th><th style="padding-left:20px">Reference</th></tr></thead><tbody>`)
				for i, t := range chk {
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td style="padding-left:20px">%010d</td></tr>`, d(t.Date), t.Desc, wholeOrCents(t.Debit), 8812030040+int64(i)*7919)
				}
				fmt.Fprintf(&b, `</tbody></table><p>Total checks paid %s</p>`, wholeOrCents(tc))
			}
			return tpage("'DejaVu Serif',serif", "8.5px", "", b.String())
		}}
}

// osprey: a US card with a card-number column, two dates and a long reference before the
// description, CR payments, foreign sub-lines and continuation lines that hold a date.
func osprey() traitLayout {
	return traitLayout{Name: "osprey", Traits: []int{1, 11}, Look: "US card, USD",
		Desc:     "rows Card (last four digits, blank on payments) | Trans | Post | Reference (23 digits) | Description | Amount; payments and credits with a 'CR' suffix; no 'credit card' word ('Horizon Rewards'); foreign purchases with an 'EUR 45.00 @ 1.0832' sub-line; travel rows with a continuation line holding a date ('DEPART 03/14/26 RETURN 03/21/26'); a 'NET AMOUNT OF MONTHLY ACTIVITY' line; the reference is not part of the description",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2026, time.Month(1+r.IntN(10)), 3+r.IntN(20))
			e := s.AddDays(30)
			open := cents(r, 300, 5000)
			n := 16 + r.IntN(6)
			if v.Long {
				n = 60 + r.IntN(8)
			}
			us := []string{"AMAZON.COM*2K4 SEATTLE WA", "WHOLE FOODS #10231 AUSTIN TX", "SHELL OIL 5744 DENVER CO", "TARGET 00021 PORTLAND OR", "SPOTIFY USA NEW YORK NY", "HOME DEPOT #6612 SPRINGFIELD IL"}
			txs := cardTxs(r, n, s, e, open, us, "AUTOPAY PAYMENT - THANK YOU")
			for i := range txs {
				if txs[i].Debit == 0 {
					continue
				}
				switch r.IntN(7) {
				case 0:
					cur := pick(r, []string{"EUR", "GBP", "CAD"})
					f := cents(r, 10, 300)
					rate := 9000 + r.IntN(4000)
					txs[i].Debit = passbook.Money((int64(f)*int64(rate) + 5000) / 10000)
					txs[i].Desc = pick(r, []string{"CAFE DE FLORE PARIS", "PRET A MANGER LONDON", "TIM HORTONS #88 TORONTO"}) + "\n" + fmt.Sprintf("%s %s @ %d.%04d", cur, en(f), rate/10000, rate%10000)
				case 1:
					dep := txs[i].Date.AddDays(5 + r.IntN(20))
					ret := dep.AddDays(3 + r.IntN(9))
					txs[i].Desc = pick(r, []string{"UNITED AIRLINES 0162", "DELTA AIR LINES 0067"}) + "\n" + fmt.Sprintf("DEPART %02d/%02d/%02d RETURN %02d/%02d/%02d", dep.Month, dep.Day, dep.Year%100, ret.Month, ret.Day, ret.Year%100)
				}
			}
			withPost(r, txs, e)
			return stmt{Institution: "Osprey Bank", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("4400 12XX XXXX %04d", r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: rebalance(open, txs, true), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			last4 := a.Number[len(a.Number)-4:]
			pay, pur := totals(a.Txs)
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d", x.Month, x.Day) }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:20px;font-weight:bold;color:#003b6f">OSPREY<span style="font-weight:normal"> Horizon Rewards</span></div><div style="text-align:right">Account ending in %s<br>Opening/Closing Date %s - %s</div></div>`, last4, mdy(s.Start, "/"), mdy(s.End, "/"))
			fmt.Fprintf(&b, `<div style="margin:12px 0">%s</div>`, postal(s.Holder))
			fmt.Fprintf(&b, `<p>Account Number: %s</p>`, a.Number)
			fmt.Fprintf(&b, `<table style="width:50%%;border:1px solid #003b6f;margin-bottom:10px"><tr><td>Previous Balance</td><td class=n>$%s</td></tr><tr><td>Payments, Credits</td><td class=n>-$%s</td></tr><tr><td>Purchases</td><td class=n>+$%s</td></tr><tr><td><b>New Balance</b></td><td class=n><b>$%s</b></td></tr><tr><td>Minimum Payment Due</td><td class=n>$%s</td></tr><tr><td>Payment Due Date</td><td class=n>%s</td></tr><tr><td>Credit Limit</td><td class=n>$15,000.00</td></tr></table>`,
				en(a.Open), en(pay), en(pur), en(a.Close), en(max(2500, a.Close/25)), mdy(s.End.AddDays(25), "/"))
			b.WriteString(`<div style="font-weight:bold;background:#003b6f;color:#fff;padding:2px 4px">ACCOUNT ACTIVITY</div><table><colgroup><col style="width:38px"><col style="width:38px"><col style="width:38px"><col style="width:150px"><col><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #003b6f"><th>Card</th><th>Trans</th><th>Post</th><th>Reference Number</th><th>Description</th><th class=n>Amount</th></tr></thead><tbody>`)
			for i, t := range a.Txs {
				card, m := last4, en(t.Debit)
				if t.Credit != 0 {
					card, m = "", en(t.Credit)+" CR"
				}
				ref := fmt.Sprintf("%07d%08d%08d", 2449215+i, 60123456+i*7, (i*7919+int(t.Date.Day)*104729)%99999999)
				fmt.Fprintf(&b, `<tr><td>%s</td><td class=d>%s</td><td class=d>%s</td><td>%s</td><td>%s</td><td class=n style="vertical-align:top">%s</td></tr>`, card, d(t.Date), d(t.Post), ref, lines(t.Desc), m)
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #003b6f"><td></td><td></td><td></td><td></td><td><b>NET AMOUNT OF MONTHLY ACTIVITY</b></td><td class=n><b>$%s</b></td></tr></tbody></table>`, en(pur-pay))
			return tpage("'Liberation Sans',sans-serif", "8.5px", "", b.String())
		}}
}

var (
	krDebits  = []string{"체크카드 이마트 성수점", "자동이체 KT통신요금", "ATM 출금", "인터넷뱅킹 이체 김민준", "체크카드 스타벅스 강남", "관리비 자동납부", "카드대금 결제"}
	krCredits = []string{"급여 주식회사 한빛", "이체입금 박서연", "이자", "환급금 국세청"}
)

// won draws a whole-won amount (a multiple of 10 won; Money counts won as hundredths).
func won(r *rand.Rand, lo, hi int) passbook.Money {
	return passbook.Money((lo + r.IntN(hi-lo)) / 10 * 10 * 100)
}

func wonStr(m passbook.Money) string { return strings.TrimSuffix(en(m), ".00") }

// koreanTxs draws dated rows in whole won with a running balance.
func koreanTxs(r *rand.Rand, n int, start, end passbook.Date, open passbook.Money) []tx {
	txs := bankTxs(r, n, start, end, open, krDebits, krCredits, 100)
	for i := range txs {
		if txs[i].Debit != 0 {
			txs[i].Debit = won(r, 3000, 450000)
		} else {
			txs[i].Credit = won(r, 10000, 900000)
			if txs[i].Desc == "급여 주식회사 한빛" {
				txs[i].Credit = won(r, 2500000, 3800000)
			}
		}
	}
	rebalance(open, txs, false)
	return txs
}

// hanul: a Korean bank's transaction history, no word the engine knows.
func hanul() traitLayout {
	return traitLayout{Name: "hanul", Traits: []int{12}, Look: "Korean bank account, KRW", A4: true,
		Desc:     "every heading in Hangul (거래일자 | 적요 | 출금액 | 입금액 | 잔액 | 거래점); 'YYYY.MM.DD' dates; whole-won amounts ('1,250,000'); opening and closing in a summary line (전월이월 / 기말잔액)",
		Variants: []variant{{"ko", false}, {"ko", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := won(r, 300000, 5000000)
			n := 22 + r.IntN(8)
			if v.Long {
				n = 85 + r.IntN(10)
			}
			txs := koreanTxs(r, n, s, e, open)
			h := holder{Name: pick(r, []string{"김지훈", "이수빈", "박서준", "최유나"}), Address: "테헤란로 " + fmt.Sprint(100+r.IntN(400)), City: "서울특별시 강남구", PostalCode: fmt.Sprintf("06%03d", r.IntN(999))}
			return stmt{Institution: "한울은행", Holder: h, Start: s, End: e, Currency: "KRW",
				Accounts: []acct{{Number: fmt.Sprintf("110-%03d-%06d", r.IntN(999), r.IntN(999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%04d.%02d.%02d", x.Year, x.Month, x.Day) }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="text-align:center;font-size:20px;font-weight:bold;margin-bottom:8px">거래내역확인서</div><div style="display:flex;justify-content:space-between"><div>%s 님<br>%s %s</div><div style="font-size:15px;color:#1a4d8f;font-weight:bold">%s</div></div>`, esc(s.Holder.Name), esc(s.Holder.City), esc(s.Holder.Address), s.Institution)
			fmt.Fprintf(&b, `<table style="margin:10px 0;border:1px solid #999"><tr><td>계좌번호</td><td>%s</td><td>조회기간</td><td>%s ~ %s</td></tr><tr><td>전월이월</td><td>%s</td><td>기말잔액</td><td>%s</td></tr><tr><td>통화</td><td>KRW</td><td>예금종류</td><td>보통예금</td></tr></table>`, a.Number, d(s.Start), d(s.End), wonStr(a.Open), wonStr(a.Close))
			b.WriteString(`<table style="border-top:2px solid #1a4d8f"><colgroup><col style="width:75px"><col><col style="width:85px"><col style="width:85px"><col style="width:95px"><col style="width:60px"></colgroup><thead><tr style="background:#e8eef7"><th>거래일자</th><th>적요</th><th class=n>출금액</th><th class=n>입금액</th><th class=n>잔액</th><th>거래점</th></tr></thead><tbody>`)
			for i, t := range a.Txs {
				w, c := "", ""
				if t.Debit != 0 {
					w = wonStr(t.Debit)
				} else {
					c = wonStr(t.Credit)
				}
				fmt.Fprintf(&b, `<tr style="border-bottom:1px solid #ddd"><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td><td>%s</td></tr>`, d(t.Date), esc(t.Desc), w, c, wonStr(t.Bal), []string{"강남", "인터넷", "모바일", "역삼"}[i%4])
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'NanumGothic',sans-serif", "9px", "", b.String())
		}}
}

// stoat: a current account with type-coded multi-line rows, day-end balances with a D suffix
// when overdrawn, balances brought and carried forward on every page and letter-spaced labels;
// in English a British account, in French a French one with French type codes.
func stoat() traitLayout {
	return traitLayout{Name: "stoat", Traits: []int{13}, Look: "UK current account, GBP (French: French account, EUR)", A4: true,
		Desc:     "type-coded rows (DD, VIS, ')))', SO, BP, CR, ATM; in French CB, PRLV, VIR, RET, CHQ) of two to five lines with the amount on the last line; date printed once a day; balance only at the end of a day, overdrawn balances as '916.42 D'; BALANCE BROUGHT FORWARD / BALANCE CARRIED FORWARD (SOLDE REPORTÉ / SOLDE À REPORTER) rows on every page (paginated by hand); letter-spaced summary labels and currency-prefixed headings ('£ Out', '€ Débit'); the truth's description is the type code and the lines joined",
		Variants: []variant{{"en", false}, {"fr", false}, {"en", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2025, time.Month(1+r.IntN(11)), 5+r.IntN(20))
			e := s.AddDays(30)
			open := cents(r, 50, 700)
			n := 22 + r.IntN(6)
			if v.Long {
				n = 60 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsUK, creditsUK, 300)
			places := []string{"LEEDS", "YORK", "MANCHESTER", "LONDON SE1", "HARROGATE"}
			if v.fr() {
				places = []string{"LYON 3E", "VILLEURBANNE", "PARIS 11E", "GRENOBLE"}
			}
			for i := range txs {
				t := &txs[i]
				var code string
				var body []string
				switch {
				case v.fr() && t.Credit != 0:
					code = "VIR"
					body = []string{pick(r, []string{"SALAIRE ACME SAS", "M DUPONT", "CAF DU RHONE", "REMBT MUTUELLE"}), fmt.Sprintf("REF %08d", r.IntN(99999999))}
				case v.fr():
					code = pick(r, []string{"CB", "CB", "PRLV", "RET", "CHQ"})
					switch code {
					case "PRLV":
						body = []string{pick(r, []string{"EDF CLIENTS", "FREE MOBILE", "ASSURANCE HABITATION"}), fmt.Sprintf("ICS FR%02dZZZ%06d", r.IntN(99), r.IntN(999999))}
					case "RET":
						body = []string{"DAB " + pick(r, places), fmt.Sprintf("LE %02d/%02d A %02dH%02d", t.Date.Day, t.Date.Month, 8+r.IntN(12), r.IntN(60))}
					case "CHQ":
						body = []string{fmt.Sprintf("CHEQUE N %07d", r.IntN(9999999)), "REMIS LE " + fmt.Sprintf("%02d/%02d", t.Date.Day, t.Date.Month)}
					default:
						body = []string{pick(r, []string{"CARREFOUR CITY", "MONOPRIX", "PHARMACIE DU PARC", "BOULANGERIE MARIE"}), pick(r, places)}
						if r.IntN(3) == 0 {
							f := cents(r, 5, 80)
							body = append(body, fmt.Sprintf("USD %s 1 EUR = 1,0%03d USD", fr(f), r.IntN(999)), "COMMISSION 0,00")
						}
					}
				case t.Credit != 0:
					code = pick(r, []string{"CR", "BP", "TFR"})
					body = []string{pick(r, []string{"ACME LOGISTICS LTD", "J PATEL", "HMRC TAX REFUND", "SAVINGS 20-44-18"}), fmt.Sprintf("REF %08d", r.IntN(99999999))}
				default:
					code = pick(r, []string{"DD", "VIS", ")))", "SO", "BP", "ATM", "VIS", ")))"})
					switch code {
					case "DD", "SO":
						body = []string{pick(r, []string{"COUNCIL TAX", "THAMES WATER", "BRITISH GAS", "RENT FLAT 2"}), fmt.Sprintf("%08d", r.IntN(99999999))}
					case "ATM":
						body = []string{"CASH " + pick(r, places), fmt.Sprintf("%02d%s @%02d:%02d", t.Date.Day, strings.ToUpper(monEN[t.Date.Month]), 8+r.IntN(12), r.IntN(60))}
					default:
						body = []string{pick(r, []string{"TESCO STORES 2217", "SAINSBURYS S/MKT", "PRET A MANGER", "BOOTS 1104", "TFL TRAVEL CH"}), pick(r, places)}
						if r.IntN(3) == 0 {
							f := cents(r, 5, 80)
							body = append(body, fmt.Sprintf("EUR %s @ 1.1%03d", en(f), r.IntN(999)), "VISA RATE")
						}
					}
				}
				t.Desc = code + "\n" + strings.Join(body, "\n")
			}
			overdraw(r, open, txs)
			dayEnd(txs)
			h, cur, num := newHolder(r, false), "GBP", fmt.Sprintf("%08d", 10000000+r.IntN(89999999))
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Park Row", "Leeds", "", "LS2 7HY"
			if v.fr() {
				h.Address, h.City, h.PostalCode = fmt.Sprintf("%d rue Garibaldi", 1+r.IntN(200)), "Lyon", "69006"
				cur, num = "EUR", fmt.Sprintf("%05d %05d %011d", 10000+r.IntN(89999), r.IntN(99999), r.Int64N(99999999999))
			}
			return stmt{Institution: tr(v, "Stoat & Co Bank", "Banque Hermine"), Holder: h, Start: s, End: e, Currency: cur,
				Accounts: []acct{{Number: num, Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			in, out := totals(a.Txs)
			bal := func(m passbook.Money) string {
				if m < 0 {
					return amt(v, -m) + " D"
				}
				return amt(v, m)
			}
			d := func(x passbook.Date) string {
				if v.fr() {
					return dmy(x, ".")
				}
				return fmt.Sprintf("%02d %s %02d", x.Day, monEN[x.Month], x.Year%100)
			}
			cur := tr(v, "£", "€")
			spaced := `style="letter-spacing:0.22em"`
			header := func(page int) string {
				return fmt.Sprintf(`<div style="display:flex;justify-content:space-between;border-bottom:1px solid #555;padding-bottom:4px"><div style="font-size:20px;font-family:'DejaVu Serif',serif">%s</div><div style="text-align:right">%s %d<br>%s %s %s %s</div></div><div style="margin:6px 0">%s %s</div>`,
					esc(s.Institution), tr(v, "Statement no.", "Relevé n°"), 40+int(s.Start.Month), longDate(v, s.Start), tr(v, "to", "au"), longDate(v, s.End), "",
					tr(v, "Account number", "Compte n°"), a.Number) + fmt.Sprintf(`<div style="font-size:7px;text-align:right">%s %d</div>`, tr(v, "Page", "Page"), page)
			}
			thead := fmt.Sprintf(`<table><colgroup><col style="width:62px"><col style="width:32px"><col><col style="width:75px"><col style="width:75px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #000"><th>Date</th><th>Type</th><th>%s</th><th class=n %s>%s %s</th><th class=n %s>%s %s</th><th class=n %s>%s %s</th></tr></thead><tbody>`,
				tr(v, "Details", "Libellé"), spaced, cur, tr(v, "Out", "Débit"), spaced, cur, tr(v, "In", "Crédit"), spaced, cur, tr(v, "Balance", "Solde"))
			fwd := func(label string, m passbook.Money) string {
				return fmt.Sprintf(`<tr><td></td><td></td><td><b>%s</b></td><td></td><td></td><td class=n><b>%s</b></td></tr>`, label, bal(m))
			}
			brought, carried := tr(v, "BALANCE BROUGHT FORWARD", "SOLDE REPORTÉ"), tr(v, "BALANCE CARRIED FORWARD", "SOLDE À REPORTER")
			// Pages of at most `per` printed lines, rows kept whole.
			per := 46
			if !v.Long {
				per = 60
			}
			var b strings.Builder
			b.WriteString(header(1))
			fmt.Fprintf(&b, `<div style="display:flex;gap:40px;margin:10px 0"><div>%s</div><table style="width:45%%;border:1px solid #999"><tr><td colspan=2 %s><b>%s</b></td></tr><tr><td %s>%s</td><td class=n>%s</td></tr><tr><td %s>%s</td><td class=n>%s</td></tr><tr><td %s>%s</td><td class=n>%s</td></tr><tr><td %s>%s</td><td class=n>%s</td></tr></table></div>`,
				postal(s.Holder), spaced, tr(v, "Your account at a glance", "Votre compte en bref"), spaced, tr(v, "Opening Balance", "Solde initial"), bal(a.Open), spaced, tr(v, "Money In", "Total crédits"), amt(v, in), spaced, tr(v, "Money Out", "Total débits"), amt(v, out), spaced, tr(v, "Closing Balance", "Solde final"), bal(a.Close))
			b.WriteString(`<div style="font-weight:bold;border-top:2px solid #000;padding:3px 0">` + tr(v, "Transactions", "Opérations") + `</div>` + thead + fwd(brought, a.Open))
			used, page := 12, 1 // the summary takes room on the first page
			running := a.Open
			for i, t := range a.Txs {
				ls := strings.Split(t.Desc, "\n")
				code, body := ls[0], ls[1:]
				if used+len(body) > per {
					page++
					fmt.Fprintf(&b, `%s</tbody></table><div class=brk></div>%s%s%s`, fwd(carried, running), header(page), thead, fwd(brought, running))
					used = 0
				}
				running = t.Bal
				date := ""
				if i == 0 || a.Txs[i-1].Date != t.Date || used == 0 {
					date = d(t.Date)
				}
				for j, l := range body {
					o, in, bl := "", "", ""
					if j == len(body)-1 {
						if t.Debit != 0 {
							o = amt(v, t.Debit)
						} else {
							in = amt(v, t.Credit)
						}
						if t.ShowBal {
							bl = bal(t.Bal)
						}
					}
					c, dt := "", ""
					if j == 0 {
						c, dt = code, date
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, dt, esc(c), esc(l), o, in, bl)
				}
				used += len(body)
			}
			b.WriteString(fwd(carried, a.Close) + `</tbody></table>`)
			return tpage("'Liberation Serif',serif", "9px", "", b.String())
		}}
}
