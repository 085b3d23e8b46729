package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

var (
	debitsAU  = []string{"EFTPOS WOOLWORTHS 1234 SYDNEY", "BPAY ORIGIN ENERGY", "ATM WITHDRAWAL CBD", "DIRECT DEBIT MEDIBANK", "VISA PURCHASE COLES 0381", "OSKO PAYMENT TO T NGUYEN", "ACCOUNT FEE"}
	creditsAU = []string{"SALARY ACME PTY LTD", "OSKO PAYMENT FROM L SMITH", "INTEREST CREDIT", "ATO TAX REFUND", "TRANSFER FROM SAVER"}
	debitsIN  = []string{"UPI/SWIGGY/4021/PAYMENT", "ATM WDL SBI MUMBAI", "NEFT DR-HDFC0000123-RENT", "POS 4532XXXX1234 BIGBAZAAR", "ACH D- LIC OF INDIA", "UPI/ZOMATO/8812/FOOD", "IMPS P2A TO R SHARMA"}
	creditsIN = []string{"NEFT CR-ACME TECHNOLOGIES PVT LTD-SALARY", "UPI/P2P/A KUMAR", "INTEREST CREDIT", "IMPS CR FROM P MEHTA", "CASH DEPOSIT BRANCH"}
)

// wren: Date | Amount | Description, signed amounts left of the text.
func wren() traitLayout {
	return traitLayout{Name: "wren", Traits: []int{2}, Look: "Australian everyday account, AUD", A4: true,
		Desc:     "columns Date | Amount | Description: one signed amount ('-45.10', '+1,200.00') printed before the description; no running balance; opening and closing balance in a summary above; DD/MM/YYYY dates",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 500, 8000)
			n := 20 + r.IntN(8)
			if v.Long {
				n = 90 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsAU, creditsAU, 500)
			for i := range txs {
				txs[i].ShowBal = false
			}
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Queen Street", "Brisbane", "QLD", "4000"
			return stmt{Institution: "Wren Bank", Holder: h, Start: s, End: e, Currency: "AUD",
				Accounts: []acct{{Number: fmt.Sprintf("%03d-%03d %08d", 60+r.IntN(900), r.IntN(999), r.IntN(99999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			in, out := totals(a.Txs)
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="font-size:20px;font-weight:bold;color:#c05a00">wren<span style="color:#333;font-weight:normal"> bank</span></div><div>Everyday Account statement · all amounts in AUD</div><div style="margin:10px 0">%s</div>`, postal(s.Holder))
			fmt.Fprintf(&b, `<p>BSB and account number %s<br>Statement period %s to %s</p>`, a.Number, dmy(s.Start, "/"), dmy(s.End, "/"))
			fmt.Fprintf(&b, `<table style="width:50%%;margin-bottom:12px;background:#fbf1e8"><tr><td>Opening balance</td><td class=n>$%s</td></tr><tr><td>Total credits</td><td class=n>+$%s</td></tr><tr><td>Total debits</td><td class=n>-$%s</td></tr><tr><td><b>Closing balance</b></td><td class=n><b>$%s</b></td></tr></table>`, en(a.Open), en(in), en(out), en(a.Close))
			b.WriteString(`<table><colgroup><col style="width:75px"><col style="width:85px"><col></colgroup><thead><tr style="border-bottom:2px solid #c05a00"><th>Date</th><th class=n>Amount</th><th style="padding-left:20px">Description</th></tr></thead><tbody>`)
			for _, t := range a.Txs {
				m := "-" + en(t.Debit)
				if t.Credit != 0 {
					m = "+" + en(t.Credit)
				}
				fmt.Fprintf(&b, `<tr style="border-bottom:1px solid #eee"><td class=d>%s</td><td class=n>%s</td><td style="padding-left:20px">%s</td></tr>`, dmy(t.Date, "/"), m, esc(t.Desc))
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'DejaVu Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// larch: a euro account with two dates and money headings on two lines, out before in.
func larch() traitLayout {
	return traitLayout{Name: "larch", Traits: []int{3}, Look: "French / European current account, EUR", A4: true,
		Desc:     "operation and value dates, then Libellé / Details, then headings on two lines 'Argent / sorti (€)', 'Argent / entré (€)' ('Money / out (€)', 'Money / in (€)'), out before in, and a Solde / Balance column; 'Ancien solde' / 'Nouveau solde' rows; dd/mm/yyyy (French) or dd.mm.yyyy (English) dates",
		Variants: []variant{{"fr", false}, {"en", false}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 300, 5000)
			n := 18 + r.IntN(8)
			if v.Long {
				n = 80 + r.IntN(10)
			}
			d, c := []string{"CARTE 12/03 MONOPRIX PARIS", "PRLV SEPA EDF CLIENTS", "RETRAIT DAB 0412", "VIR SEPA LOYER", "CARTE SNCF INTERNET", "PRLV SEPA FREE MOBILE", "COTISATION CARTE"}, []string{"VIR SEPA SALAIRE ACME SAS", "VIR SEPA CAF", "REMISE CHEQUE 0012345", "VIR INST M DUPONT"}
			if !v.fr() {
				d, c = []string{"CARD 12/03 SUPERMARKET BERLIN", "SEPA DD ENERGY SUPPLIER", "ATM WITHDRAWAL 0412", "SEPA TRANSFER RENT", "CARD RAIL TICKETS ONLINE", "SEPA DD MOBILE PHONE"}, []string{"SEPA CT SALARY ACME GMBH", "SEPA CT FAMILY BENEFIT", "INSTANT TRANSFER M MUELLER"}
			}
			txs := bankTxs(r, n, s, e, open, d, c, 500)
			withPost(r, txs, e.AddDays(2))
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = fmt.Sprintf("%d rue des Lilas", 1+r.IntN(90)), "Lyon", "", "69003"
			return stmt{Institution: "Banque du Mélèze", Holder: h, Start: s, End: e, Currency: "EUR",
				Accounts: []acct{{Number: fmt.Sprintf("FR76 3000 4%03d %04d %04d %04d %03d", r.IntN(999), r.IntN(9999), r.IntN(9999), r.IntN(9999), r.IntN(999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string {
				if v.fr() {
					return dmy(x, "/")
				}
				return dmy(x, ".")
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:19px;color:#2f5f2f">%s</div><div>%s</div></div>`, tr(v, "Larch Bank", "Banque du Mélèze"), postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s<br>%s %s %s %s</p>`, tr(v, "IBAN", "IBAN"), a.Number, tr(v, "Statement from", "Relevé du"), d(s.Start), tr(v, "to", "au"), d(s.End))
			fmt.Fprintf(&b, `<table><colgroup><col style="width:70px"><col style="width:70px"><col><col style="width:75px"><col style="width:75px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #2f5f2f;background:#eef4ee"><th>%s</th><th>%s</th><th>%s</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Date", "Date opé."), tr(v, "Value", "Valeur"), tr(v, "Details", "Libellé"), tr(v, "Money<br>out (€)", "Argent<br>sorti (€)"), tr(v, "Money<br>in (€)", "Argent<br>entré (€)"), tr(v, "Balance (€)", "Solde (€)"))
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td></td><td><b>%s</b></td><td></td><td></td><td class=n><b>%s</b></td></tr>`, d(s.Start), tr(v, "Previous balance", "Ancien solde"), amt(v, a.Open))
			for _, t := range a.Txs {
				o, i := "", ""
				if t.Debit != 0 {
					o = amt(v, t.Debit)
				} else {
					i = amt(v, t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), d(t.Post), esc(t.Desc), o, i, amt(v, t.Bal))
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #2f5f2f"><td class=d>%s</td><td></td><td><b>%s</b></td><td></td><td></td><td class=n><b>%s</b></td></tr></tbody></table>`, d(s.End), tr(v, "New balance", "Nouveau solde"), amt(v, a.Close))
			return tpage("'Liberation Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// ledgerly: a spreadsheet printed to PDF, the date right-aligned in its cell a hair from the
// description.
func ledgerly() traitLayout {
	return traitLayout{Name: "ledgerly", Traits: []int{4}, Look: "US checking exported to a spreadsheet, USD",
		Desc:     "a spreadsheet printout with grid lines: the date ('3/5/2026', right-aligned as a spreadsheet aligns numbers) ends a few points before the description starts; Debit / Credit / Balance; an Opening Balance row and a closing row",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 800, 7000)
			n := 24 + r.IntN(8)
			if v.Long {
				n = 95 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsUS, creditsUS, 500)
			return stmt{Institution: "Ledgerly Federal Credit Union", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("%08d", r.IntN(99999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%d/%d/%d", x.Month, x.Day, x.Year) }
			var b strings.Builder
			fmt.Fprintf(&b, `<table class=x style="width:auto"><tr><td colspan=5><b>Ledgerly Federal Credit Union - Account Activity (USD)</b></td></tr><tr><td colspan=5>%s - Checking %s - %s to %s</td></tr></table><br>`, esc(s.Holder.Name), a.Number, d(s.Start), d(s.End))
			b.WriteString(`<table class=x><colgroup><col style="width:1%"><col><col style="width:70px"><col style="width:70px"><col style="width:75px"></colgroup><tr style="background:#d9e1f2"><td><b>Date</b></td><td><b>Description</b></td><td><b>Debit</b></td><td><b>Credit</b></td><td><b>Balance</b></td></tr>`)
			fmt.Fprintf(&b, `<tr><td class=n>%s</td><td>Opening Balance</td><td></td><td></td><td class=n>%s</td></tr>`, d(s.Start), en(a.Open))
			for _, t := range a.Txs {
				w, c := "", ""
				if t.Debit != 0 {
					w = en(t.Debit)
				} else {
					c = en(t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=n>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), w, c, en(t.Bal))
			}
			fmt.Fprintf(&b, `<tr><td class=n>%s</td><td>Closing Balance</td><td></td><td></td><td class=n>%s</td></tr></table>`, d(s.End), en(a.Close))
			return tpage("'Liberation Sans',sans-serif", "9px", ".x td{border:1px solid #bbb;padding:1px 1px}", b.String())
		}}
}

// indian writes an amount with Indian digit grouping: 1,23,456.78.
func indian(m passbook.Money) string {
	s := m.String()
	whole, frac := s[:len(s)-3], s[len(s)-2:]
	if len(whole) <= 3 {
		return whole + "." + frac
	}
	head, tail := whole[:len(whole)-3], whole[len(whole)-3:]
	var parts []string
	for len(head) > 2 {
		parts = append([]string{head[len(head)-2:]}, parts...)
		head = head[:len(head)-2]
	}
	parts = append([]string{head}, parts...)
	return strings.Join(parts, ",") + "," + tail + "." + frac
}

// puffin: an Indian savings statement whose summary grid comes after the table.
func puffin() traitLayout {
	return traitLayout{Name: "puffin", Traits: []int{5}, Look: "Indian savings account, INR", A4: true,
		Desc:     "statement summary printed after the table as a grid: labels Opening Balance | Dr Count | Cr Count | Debits | Credits | Closing Bal in one row, values in the row under them; Indian digit grouping ('1,23,456.78'); Date | Narration | Value Dt | Withdrawal Amt. | Deposit Amt. | Closing Balance with dd/mm/yy dates",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 20000, 400000)
			n := 22 + r.IntN(8)
			if v.Long {
				n = 90 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, debitsIN, creditsIN, 30000)
			h := newHolder(r, false)
			h.Name = pick(r, []string{"Priya Sharma", "Rahul Verma", "Ananya Iyer", "Vikram Nair"})
			h.Address, h.City, h.Province, h.PostalCode = fmt.Sprintf("Flat %d, Lotus Residency, MG Road", 101+r.IntN(800)), "Pune", "MH", "411001"
			return stmt{Institution: "Puffin Bank", Holder: h, Start: s, End: e, Currency: "INR",
				Accounts: []acct{{Number: fmt.Sprintf("5010%010d", r.Int64N(9999999999)), Type: "savings", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d/%02d", x.Day, x.Month, x.Year%100) }
			in, out := totals(a.Txs)
			var nd, nc int
			for _, t := range a.Txs {
				if t.Debit != 0 {
					nd++
				} else {
					nc++
				}
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-weight:bold;color:#004c8c">PUFFIN BANK</div><div style="text-align:right">Page No .: 1<br>Statement From : %s To : %s</div></div>`, dmy(s.Start, "/"), dmy(s.End, "/"))
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;margin:10px 0;border:1px solid #999;padding:6px"><div>%s</div><div>Account Branch : PUNE CAMP<br>Currency : INR<br>Account No : %s SAVINGS<br>IFSC : PUFB0000412</div></div>`, postal(s.Holder), a.Number)
			b.WriteString(`<table style="border:1px solid #999"><colgroup><col style="width:55px"><col><col style="width:55px"><col style="width:80px"><col style="width:80px"><col style="width:90px"></colgroup><thead><tr style="border-bottom:1px solid #999;background:#e5eef7"><th>Date</th><th>Narration</th><th>Value Dt</th><th class=n>Withdrawal Amt.</th><th class=n>Deposit Amt.</th><th class=n>Closing Balance</th></tr></thead><tbody>`)
			for _, t := range a.Txs {
				w, c := "", ""
				if t.Debit != 0 {
					w = indian(t.Debit)
				} else {
					c = indian(t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=d>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), d(t.Date), w, c, indian(t.Bal))
			}
			b.WriteString(`</tbody></table><div style="margin-top:14px;font-weight:bold">STATEMENT SUMMARY :-</div><table style="width:90%;margin-top:4px"><tr style="border-bottom:1px solid #999">`)
			for _, l := range []string{"Opening Balance", "Dr Count", "Cr Count", "Debits", "Credits", "Closing Bal"} {
				fmt.Fprintf(&b, `<th class=n>%s</th>`, l)
			}
			fmt.Fprintf(&b, `</tr><tr><td class=n>%s</td><td class=n>%d</td><td class=n>%d</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr></table>`, indian(a.Open), nd, nc, indian(out), indian(in), indian(a.Close))
			b.WriteString(`<p style="font-size:7px">Generated On: ` + dmy(s.End.AddDays(1), "/") + ` · This is a computer generated statement and does not require a signature.</p>`)
			return tpage("'Liberation Sans',sans-serif", "8px", "", b.String())
		}}
}

// plover: one account's months in sections of one flowing document, each with its own opening
// and closing line, and a Type column holding the words Credit / Debit over unsigned amounts.
func plover() traitLayout {
	return traitLayout{Name: "plover", Traits: []int{6, 10}, Look: "US business account, USD (French: CAD)",
		Desc:     "three monthly statements of one account in one flowing document, each under a banner 'Statement for January 2026' / 'Relevé de janvier 2026' carrying its own opening and closing balance on the banner's line; tables Date | Type | Description | Amount whose Type column says Credit / Debit (Crédit / Débit) over unsigned amounts; no running balance; '04 Jan 2026' dates",
		Variants: enFr,
		Make: func(r *rand.Rand, v variant) stmt {
			m := time.Month(1 + r.IntN(10))
			s, _ := month(2026, m)
			_, e := month(2026, m+2)
			open := cents(r, 1500, 6000)
			d, c, cur := bizDebits, bizCreds, "USD"
			if v.fr() {
				d, c, cur = debitsFR, creditsFR, "CAD"
			}
			var txs []tx
			for k := range 3 {
				ms, me := month(2026, m+time.Month(k))
				txs = append(txs, bankTxs(r, 8+r.IntN(6), ms, me, 0, d, c, 900)...)
			}
			for i := range txs {
				txs[i].ShowBal = false
			}
			h := newHolder(r, !v.fr())
			h.Name = pick(r, []string{"Plover Landscaping LLC", "Harbor Lights Studio Inc", "Blue Heron Catering LLC"})
			return stmt{Institution: "Plover Bank", Holder: h, Start: s, End: e, Currency: cur,
				Accounts: []acct{{Number: fmt.Sprintf("%02d %04d %04d", r.IntN(99), r.IntN(9999), r.IntN(9999)), Type: "chequing", Open: open, Close: rebalance(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string {
				if v.fr() {
					return fmt.Sprintf("%02d %s %d", x.Day, monFR[x.Month], x.Year)
				}
				return fmt.Sprintf("%02d %s %d", x.Day, monEN[x.Month], x.Year)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-weight:bold;color:#5b3a8c">Plover Bank</div><div style="text-align:right">%s<br>%s %s</div></div><div style="margin:10px 0">%s</div>`,
				tr(v, "Business Account Statement", "Relevé de compte d'entreprise"), tr(v, "Account Number:", "Numéro de compte :"), a.Number, postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s – %s</p>`, tr(v, "Period:", "Période :"), d(s.Start), d(s.End))
			bal := a.Open
			for k := range 3 {
				ms := passbook.NewDate(s.Start.Year, s.Start.Month+time.Month(k), 1)
				title := monLongEN[ms.Month]
				if v.fr() {
					title = monLongFR[ms.Month]
				}
				var rows []tx
				for _, t := range a.Txs {
					if t.Date.Month == ms.Month {
						rows = append(rows, t)
					}
				}
				cl := closeOf(bal, rows, false)
				fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;align-items:flex-end;margin-top:14px;border-bottom:2px solid #5b3a8c"><div style="font-size:12px;font-weight:bold">%s %s %d</div><table style="width:auto"><tr><td>%s</td><td class=n>%s</td><td style="padding-left:16px">%s</td><td class=n>%s</td></tr></table></div>`,
					tr(v, "Statement for", "Relevé de"), title, ms.Year, tr(v, "Opening balance", "Solde d'ouverture"), dollars(v, bal), tr(v, "Closing balance", "Solde de clôture"), dollars(v, cl))
				fmt.Fprintf(&b, `<table><colgroup><col style="width:85px"><col style="width:55px"><col><col style="width:90px"></colgroup><thead><tr><th>Date</th><th>Type</th><th>Description</th><th class=n>%s</th></tr></thead><tbody>`, tr(v, "Amount", "Montant"))
				for _, t := range rows {
					typ, m := tr(v, "Credit", "Crédit"), t.Credit
					if t.Debit != 0 {
						typ, m = tr(v, "Debit", "Débit"), t.Debit
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(t.Date), typ, esc(t.Desc), dollars(v, m))
				}
				b.WriteString(`</tbody></table>`)
				bal = cl
			}
			return tpage("'DejaVu Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// thrush: a US statement whose transactions end with a marker, followed by a balancing
// worksheet and a fee summary; the long variant splits a description over the page break.
func thrush() traitLayout {
	return traitLayout{Name: "thrush", Traits: []int{7}, Look: "US checking, USD",
		Desc:     "the table ends with 'Ending balance' and an 'END OF TRANSACTION DETAILS' line, then a 'Balance your account' worksheet and a fees table with This period / Year-to-date amounts; descriptions of one or two lines; the long variant is paginated by hand so that a description is split by the page break",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2025, time.Month(1+r.IntN(12)))
			open := cents(r, 600, 6000)
			n := 18 + r.IntN(6)
			if v.Long {
				n = 60 + r.IntN(8)
			}
			txs := bankTxs(r, n, s, e, open, debitsUS, creditsUS, 500)
			multiLine(r, txs, []string{"WEB ID 9000123456", "PPD ID 1234567890", "CONF# 88AB12"})
			return stmt{Institution: "Thrush Savings Bank", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("%04d %04d %04d", r.IntN(9999), r.IntN(9999), r.IntN(9999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d", x.Month, x.Day) }
			type line struct{ tx, part int }
			var ls []line
			for i, t := range a.Txs {
				for j := range strings.Split(t.Desc, "\n") {
					ls = append(ls, line{i, j})
				}
			}
			per := len(ls) + 10
			if v.Long {
				per = 0
				for c := 38; c <= 52 && per == 0; c++ {
					if c < len(ls) && ls[c].part > 0 {
						per = c
					}
				}
				if per == 0 {
					panic("thrush: no page break inside a description")
				}
			}
			head := `<table><colgroup><col style="width:50px"><col><col style="width:90px"><col style="width:90px"></colgroup><thead><tr style="border-bottom:1px solid #555"><th>Date</th><th>Description</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px">Thrush Savings Bank</div><div style="text-align:right">Statement period<br>%s - %s</div></div><div style="margin:10px 0">%s</div>`, longEN(s.Start), longEN(s.End), postal(s.Holder))
			fmt.Fprintf(&b, `<p>Free Checking &nbsp; Account number %s</p><div style="font-weight:bold;border-bottom:2px solid #555">Transaction details</div>%s`, a.Number, head)
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>Beginning balance</td><td></td><td class=n>%s</td></tr>`, d(s.Start), en(a.Open))
			for k, l := range ls {
				if k > 0 && k%per == 0 {
					fmt.Fprintf(&b, `</tbody></table><div class=brk></div><div style="font-size:8px;margin-bottom:8px">Account number %s (continued)</div>%s`, a.Number, head)
				}
				t := a.Txs[l.tx]
				text := esc(strings.Split(t.Desc, "\n")[l.part])
				if l.part > 0 {
					fmt.Fprintf(&b, `<tr><td></td><td>%s</td><td></td><td></td></tr>`, text)
					continue
				}
				m := en(t.Credit)
				if t.Debit != 0 {
					m = "-" + en(t.Debit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), text, m, en(t.Bal))
			}
			fmt.Fprintf(&b, `<tr style="border-top:1px solid #555"><td class=d>%s</td><td>Ending balance</td><td></td><td class=n>%s</td></tr></tbody></table>`, d(s.End), en(a.Close))
			b.WriteString(`<p style="text-align:center;letter-spacing:1px;margin:8px 0">END OF TRANSACTION DETAILS</p>`)
			in, out := totals(a.Txs)
			fmt.Fprintf(&b, `<div style="font-weight:bold;border-bottom:2px solid #555;margin-top:10px">Balance your account</div><table style="width:70%%"><tr><td>%s</td><td>Ending balance on this statement</td><td class=n>%s</td></tr><tr><td>%s</td><td>Add deposits not shown on this statement</td><td class=n>%s</td></tr><tr><td>%s</td><td>Subtract checks and withdrawals not shown</td><td class=n>-%s</td></tr><tr><td></td><td>Your balance</td><td class=n>________</td></tr></table>`,
				d(s.End), en(a.Close), d(s.End.AddDays(2)), en(cents(rand.New(rand.NewPCG(uint64(in), 1)), 100, 900)), d(s.End.AddDays(3)), en(cents(rand.New(rand.NewPCG(uint64(out), 2)), 20, 300)))
			fmt.Fprintf(&b, `<div style="font-weight:bold;border-bottom:2px solid #555;margin-top:10px">Fees</div><table style="width:70%%"><thead><tr><th></th><th class=n>Total for this period</th><th class=n>Total year-to-date</th></tr></thead><tbody><tr><td>Total overdraft fees</td><td class=n>$0.00</td><td class=n>$35.00</td></tr><tr><td>Total returned item fees</td><td class=n>$0.00</td><td class=n>$0.00</td></tr></tbody></table>`)
			return tpage("'Liberation Serif',serif", "9.5px", "", b.String())
		}}
}

// magnolia: dot leaders run into the words, debits before credits, a daily balance summary.
func magnolia() traitLayout {
	return traitLayout{Name: "magnolia", Traits: []int{9}, Look: "US checking, USD",
		Desc:     "dot leaders set solid against the words ('Date.........', 'Beginning balance on March 1.........$') in the summary and the column headings; 'Withdrawals and Debits' section before 'Deposits and Credits', unsigned amounts; a 'Daily Balance Summary' of date/balance pairs; 'Mar 05' dates; serif font",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 1500, 9000)
			n := 20 + r.IntN(6)
			if v.Long {
				n = 70 + r.IntN(8)
			}
			txs := bankTxs(r, n, s, e, open, debitsUS, creditsUS, 600)
			var dep, wd []tx
			for _, t := range txs {
				t.ShowBal = false
				if t.Credit != 0 {
					dep = append(dep, t)
				} else {
					wd = append(wd, t)
				}
			}
			return stmt{Institution: "Magnolia Bank & Trust", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("%03d-%07d", r.IntN(999), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: append(wd, dep...)}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%s %02d", monEN[x.Month], x.Day) }
			lead := func(l string, n int) string { return l + strings.Repeat(".", n) }
			in, out := totals(a.Txs)
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="text-align:center;font-size:20px;font-variant:small-caps">Magnolia Bank &amp; Trust</div><div style="display:flex;justify-content:space-between;margin:12px 0"><div>%s</div><div>Account %s<br>%s through %s</div></div>`, postal(s.Holder), a.Number, longEN(s.Start), longEN(s.End))
			fmt.Fprintf(&b, `<table style="width:70%%"><tr><td style="white-space:nowrap">%s</td><td class=n>$%s</td></tr><tr><td style="white-space:nowrap">%s</td><td class=n>%s</td></tr><tr><td style="white-space:nowrap">%s</td><td class=n>%s</td></tr><tr><td style="white-space:nowrap">%s</td><td class=n>$%s</td></tr></table>`,
				lead("Beginning balance on "+longEN(s.Start), 40), en(a.Open), lead("Withdrawals and debits", 56), en(out), lead("Deposits and credits", 58), en(in), lead("Ending balance on "+longEN(s.End), 42), en(a.Close))
			sec := func(title string, credit bool, total passbook.Money) {
				fmt.Fprintf(&b, `<div style="margin-top:12px;font-weight:bold;font-size:11px">%s</div><table><colgroup><col style="width:60px"><col><col style="width:90px"></colgroup><thead><tr><th style="white-space:nowrap">%s</th><th style="white-space:nowrap">%s</th><th class=n>Amount</th></tr></thead><tbody>`, title, lead("Date", 14), lead("Description", 120))
				for _, t := range a.Txs {
					if (t.Credit != 0) != credit {
						continue
					}
					fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), en(t.Credit+t.Debit))
				}
				fmt.Fprintf(&b, `<tr><td></td><td style="text-align:right">%s total</td><td class=n style="border-top:1px solid #000">%s</td></tr></tbody></table>`, title, en(total))
			}
			sec("Withdrawals and Debits", false, out)
			sec("Deposits and Credits", true, in)
			days := map[passbook.Date]passbook.Money{}
			var order []passbook.Date
			for _, t := range a.Txs {
				if _, ok := days[t.Date]; !ok {
					order = append(order, t.Date)
				}
				days[t.Date] += t.Credit - t.Debit
			}
			sortDates(order)
			fmt.Fprintf(&b, `<div style="margin-top:12px;font-weight:bold;font-size:11px">Daily Balance Summary</div><table style="width:70%%"><thead><tr><th>%s</th><th class=n>Balance</th><th>%s</th><th class=n>Balance</th></tr></thead><tbody>`, lead("Date", 10), lead("Date", 10))
			bal := a.Open
			for i, x := range order {
				bal += days[x]
				if i%2 == 0 {
					b.WriteString("<tr>")
				}
				fmt.Fprintf(&b, `<td class=d>%s</td><td class=n>%s</td>`, d(x), en(bal))
				if i%2 == 1 || i == len(order)-1 {
					b.WriteString("</tr>")
				}
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'DejaVu Serif',serif", "8.5px", "", b.String())
		}}
}

// ibis: newest first, trailing minus signs and a placeholder in the empty money column.
func ibis() traitLayout {
	return traitLayout{Name: "ibis", Traits: []int{10}, Look: "Canadian chequing, CAD",
		Desc:     "rows newest first; withdrawals printed with a trailing minus ('150.00-'); the empty money column holds '-' (English) or '0' (French); overdrawn balances with a trailing minus; Date | Description | Withdrawals | Deposits | Balance; Closing balance row first, Opening balance row last",
		Variants: []variant{{"en", false}, {"fr", false}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 100, 900)
			d, c := debitsEN, creditsEN
			if v.fr() {
				d, c = debitsFR, creditsFR
			}
			n := 20 + r.IntN(8)
			if v.Long {
				n = 85 + r.IntN(10)
			}
			txs := bankTxs(r, n, s, e, open, d, c, 500)
			cl := overdraw(r, open, txs)
			slices.Reverse(txs) // the truth keeps the printed order
			return stmt{Institution: "Ibis Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("%03d-%04d-%03d", r.IntN(999), r.IntN(9999), r.IntN(999)), Type: "chequing", Open: open, Close: cl, Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			empty := tr(v, "-", "0")
			tm := func(m passbook.Money) string {
				if m < 0 {
					return amt(v, -m) + "-"
				}
				return amt(v, m)
			}
			d := func(x passbook.Date) string { return dmy(x, "-") }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-weight:bold;color:#a33">IBIS BANK</div><div>%s</div></div><div style="margin:10px 0">%s</div>`, tr(v, "Account Statement", "Relevé de compte"), postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s<br>%s %s %s %s<br>%s</p>`, tr(v, "Account", "Compte"), a.Number, tr(v, "From", "Du"), d(s.Start), tr(v, "to", "au"), d(s.End), tr(v, "Most recent transactions first", "Opérations les plus récentes en premier"))
			fmt.Fprintf(&b, `<table><colgroup><col style="width:70px"><col><col style="width:85px"><col style="width:85px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #a33"><th>Date</th><th>Description</th><th class=n>%s</th><th class=n>%s</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Withdrawals", "Retraits"), tr(v, "Deposits", "Dépôts"), tr(v, "Balance", "Solde"))
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(s.End), tr(v, "Closing balance", "Solde de clôture"), empty, empty, tm(a.Close))
			for _, t := range a.Txs {
				w, dp := empty, empty
				if t.Debit != 0 {
					w = amt(v, t.Debit) + "-"
				} else {
					dp = amt(v, t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr>`, d(t.Date), esc(t.Desc), w, dp, tm(t.Bal))
			}
			fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td></tr></tbody></table>`, d(s.Start), tr(v, "Opening balance", "Solde d'ouverture"), empty, empty, tm(a.Open))
			return tpage("'Liberation Mono',monospace", "8.5px", "", b.String())
		}}
}

// condor: a Canadian card whose rows start with the full masked card number, two dates and a
// long reference; travel rows have a continuation line holding a date.
func condor() traitLayout {
	return traitLayout{Name: "condor", Traits: []int{11}, Look: "Canadian card, CAD",
		Desc:     "rows Card number ('4530********7781') | transaction date | posting date (dd/mm) | 23-digit reference | description | signed amount (payments '-500.00'); travel and hotel rows with a continuation line holding a date ('TRAVEL DATE 2026-03-14' / 'DATE DU VOYAGE 2026-03-14'); the truth's description leaves out the card number and the reference",
		Variants: []variant{{"en", false}, {"fr", false}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2026, time.Month(1+r.IntN(10)), 2+r.IntN(25))
			e := s.AddDays(29)
			open := cents(r, 300, 4000)
			merch, pay := merchants, "PAYMENT RECEIVED - THANK YOU"
			if v.fr() {
				merch, pay = merchFR, "PAIEMENT REÇU - MERCI"
			}
			n := 16 + r.IntN(6)
			if v.Long {
				n = 64 + r.IntN(8)
			}
			txs := cardTxs(r, n, s, e, open, merch, pay)
			for i := range txs {
				if txs[i].Debit != 0 && r.IntN(5) == 0 {
					when := txs[i].Date.AddDays(4 + r.IntN(30))
					txs[i].Desc = pick(r, []string{"AIR CANADA 0142 MONTREAL QC", "VIA RAIL CANADA 0042", "FAIRMONT HOTELS 2231"}) + "\n" + tr(v, "TRAVEL DATE ", "DATE DU VOYAGE ") + when.ISO()
				}
			}
			withPost(r, txs, e)
			return stmt{Institution: "Condor Bank", Holder: newHolder(r, false), Start: s, End: e, Currency: "CAD",
				Accounts: []acct{{Number: fmt.Sprintf("4530********%04d", r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: rebalance(open, txs, true), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			pay, pur := totals(a.Txs)
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d", x.Day, x.Month) }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-weight:bold">CONDOR <span style="font-weight:normal">Visa %s</span></div><div>%s</div></div>`, tr(v, "Classic", "Classique"), postal(s.Holder))
			fmt.Fprintf(&b, `<p>%s %s<br>%s %s %s %s</p>`, tr(v, "Card number", "Numéro de carte"), a.Number, tr(v, "Statement period", "Période du relevé"), longDate(v, s.Start), tr(v, "to", "au"), longDate(v, s.End))
			fmt.Fprintf(&b, `<table style="width:50%%;border:1px solid #777;margin-bottom:10px"><tr><td>%s</td><td class=n>%s</td></tr><tr><td>%s</td><td class=n>-%s</td></tr><tr><td>%s</td><td class=n>%s</td></tr><tr><td><b>%s</b></td><td class=n><b>%s</b></td></tr><tr><td>%s</td><td class=n>%s</td></tr></table>`,
				tr(v, "Previous balance", "Solde précédent"), dollars(v, a.Open), tr(v, "Payments and credits", "Paiements et crédits"), dollars(v, pay), tr(v, "Purchases and charges", "Achats et frais"), dollars(v, pur), tr(v, "New balance", "Nouveau solde"), dollars(v, a.Close), tr(v, "Minimum payment", "Paiement minimum"), dollars(v, max(1000, a.Close/20)))
			fmt.Fprintf(&b, `<table><colgroup><col style="width:95px"><col style="width:38px"><col style="width:38px"><col style="width:140px"><col><col style="width:75px"></colgroup><thead><tr style="border-bottom:1px solid #000"><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>Description</th><th class=n>%s</th></tr></thead><tbody>`,
				tr(v, "Card", "Carte"), tr(v, "Trans.", "Trans."), tr(v, "Posted", "Inscr."), tr(v, "Reference", "Référence"), tr(v, "Amount ($)", "Montant ($)"))
			for i, t := range a.Txs {
				m := amt(v, t.Debit)
				if t.Credit != 0 {
					m = "-" + amt(v, t.Credit)
				}
				ref := fmt.Sprintf("7452%04d%015d", 9000+i, int64(i+1)*7340033+int64(t.Date.Day))
				fmt.Fprintf(&b, `<tr><td>%s</td><td class=d>%s</td><td class=d>%s</td><td>%s</td><td>%s</td><td class=n>%s</td></tr>`, a.Number, d(t.Date), d(t.Post), ref, lines(t.Desc), m)
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'DejaVu Sans Condensed','DejaVu Sans',sans-serif", "8px", "", b.String())
		}}
}

// dasom: a Korean transaction list with date and time, and no word the engine knows.
func dasom() traitLayout {
	return traitLayout{Name: "dasom", Traits: []int{12}, Look: "Korean bank account, KRW", A4: true,
		Desc:     "Hangul headings 번호 | 거래일시 | 적요 | 찾으신금액 | 맡기신금액 | 잔액 | 취급점; 'YYYY.MM.DD HH:MM:SS' date and time; whole won; a numbered first column; opening and closing only through the arithmetic of a summary (이월잔액 / 현재잔액)",
		Variants: []variant{{"ko", false}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := won(r, 500000, 3000000)
			txs := koreanTxs(r, 24+r.IntN(8), s, e, open)
			h := holder{Name: pick(r, []string{"정하은", "윤도현", "강민서"}), Address: "해운대로 " + fmt.Sprint(100+r.IntN(500)), City: "부산광역시 해운대구", PostalCode: fmt.Sprintf("48%03d", r.IntN(999))}
			return stmt{Institution: "다솜은행", Holder: h, Start: s, End: e, Currency: "KRW",
				Accounts: []acct{{Number: fmt.Sprintf("3333-%02d-%07d", r.IntN(99), r.IntN(9999999)), Type: "chequing", Open: open, Close: closeOf(open, txs, false), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="font-size:18px;font-weight:bold;color:#0a7a5a">%s</div><div style="font-size:15px;text-align:center;margin:6px 0">입출금 거래내역</div>`, s.Institution)
			fmt.Fprintf(&b, `<table style="border:1px solid #999;margin-bottom:10px"><tr><td>예금주</td><td>%s</td><td>계좌번호</td><td>%s</td></tr><tr><td>조회기간</td><td>%04d.%02d.%02d ~ %04d.%02d.%02d</td><td>통화</td><td>KRW (원)</td></tr><tr><td>이월잔액</td><td>%s원</td><td>현재잔액</td><td>%s원</td></tr></table>`,
				esc(s.Holder.Name), a.Number, s.Start.Year, s.Start.Month, s.Start.Day, s.End.Year, s.End.Month, s.End.Day, wonStr(a.Open), wonStr(a.Close))
			b.WriteString(`<table><colgroup><col style="width:28px"><col style="width:110px"><col><col style="width:80px"><col style="width:80px"><col style="width:90px"><col style="width:55px"></colgroup><thead><tr style="background:#e6f4ef;border-top:2px solid #0a7a5a"><th>번호</th><th>거래일시</th><th>적요</th><th class=n>찾으신금액</th><th class=n>맡기신금액</th><th class=n>잔액</th><th>취급점</th></tr></thead><tbody>`)
			for i, t := range a.Txs {
				w, c := "0", "0"
				if t.Debit != 0 {
					w = wonStr(t.Debit)
				} else {
					c = wonStr(t.Credit)
				}
				sec := (i*7919 + 3600*9) % 86400
				fmt.Fprintf(&b, `<tr style="border-bottom:1px solid #ddd"><td>%d</td><td class=d>%04d.%02d.%02d %02d:%02d:%02d</td><td>%s</td><td class=n>%s</td><td class=n>%s</td><td class=n>%s</td><td>%s</td></tr>`,
					i+1, t.Date.Year, t.Date.Month, t.Date.Day, sec/3600, sec/60%60, sec%60, esc(t.Desc), w, c, wonStr(t.Bal), []string{"해운대", "스마트폰", "인터넷", "ATM"}[i%4])
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'NanumMyeongjo','NanumGothic',serif", "8.5px", "", b.String())
		}}
}

// ermine: a British card with received and transaction dates across the year end, credits with
// a glued CR and a letter-spaced summary.
func ermine() traitLayout {
	return traitLayout{Name: "ermine", Traits: []int{13}, Look: "UK card, GBP", A4: true,
		Desc:     "Posted | Trans. date | Description | £, dates '30 Dec' / '02 Jan' with no year across the year end (December rows keep the earlier year; the truth uses the transaction date); credits with a glued 'CR' ('250.00CR'); contactless rows typed ')))'; summary labels letter-spaced and the summary values' text layer spaced between digits ('5 6 7.56') though they print closed up; the word 'credit card' absent",
		Variants: en1,
		Make: func(r *rand.Rand, v variant) stmt {
			s := passbook.NewDate(2025, 12, 8+r.IntN(8))
			e := s.AddDays(30)
			open := cents(r, 300, 2500)
			uk := []string{"TESCO STORES 2217 LEEDS", "AMAZON.CO.UK*AB12C LONDON", "TRAINLINE.COM LONDON", "COSTA COFFEE 4412 YORK", "ARGOS LTD MILTON KEYNES"}
			txs := cardTxs(r, 22+r.IntN(8), s.AddDays(-3), e.AddDays(-2), open, uk, "PAYMENT RECEIVED - THANK YOU")
			for i := range txs {
				if txs[i].Debit != 0 && r.IntN(4) == 0 {
					txs[i].Desc = "))) " + txs[i].Desc
				}
				p := txs[i].Date.AddDays(1 + r.IntN(2))
				txs[i].Post = p
			}
			h := newHolder(r, false)
			h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Micklegate", "York", "", "YO1 6JX"
			return stmt{Institution: "Ermine Bank", Holder: h, Start: s, End: e, Currency: "GBP",
				Accounts: []acct{{Number: fmt.Sprintf("5500 %04d %04d %04d", r.IntN(9999), r.IntN(9999), r.IntN(9999)), Type: "credit_card", Card: true, Open: open, Close: rebalance(open, txs, true), Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			pay, pur := totals(a.Txs)
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d %s", x.Day, monEN[x.Month]) }
			sp := `style="letter-spacing:0.3em"`
			// The values' text layer is letter-spaced ('5 6 7.56', '6,4 1 6.90'): spaces between the
			// digits of the whole part, closed up on the page by a negative word spacing.
			spaced := func(m passbook.Money) string {
				s := en(m)
				dot := strings.LastIndex(s, ".")
				var b strings.Builder
				for i, c := range s[:dot] {
					if i > 0 && c >= '0' && c <= '9' && s[i-1] >= '0' && s[i-1] <= '9' {
						b.WriteByte(' ')
					}
					b.WriteRune(c)
				}
				return `<span style="word-spacing:-0.28em">£` + b.String() + s[dot:] + `</span>`
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:20px;font-family:'DejaVu Serif',serif">Ermine</div><div style="text-align:right">Rewards Card Statement<br>Statement date %s</div></div><div style="margin:10px 0">%s</div>`, longEN(s.End), postal(s.Holder))
			fmt.Fprintf(&b, `<p>Card number %s</p><table style="width:55%%;border:1px solid #999;margin-bottom:10px"><tr><td %s>Previous Balance</td><td class=n>%s</td></tr><tr><td %s>Payments &amp; Credits</td><td class=n>%s</td></tr><tr><td %s>Purchases</td><td class=n>%s</td></tr><tr><td %s><b>New Balance</b></td><td class=n><b>%s</b></td></tr><tr><td>Minimum Payment</td><td class=n>£%s</td></tr><tr><td>Credit Limit</td><td class=n>£12,000.00</td></tr></table>`,
				a.Number, sp, spaced(a.Open), sp, spaced(pay), sp, spaced(pur), sp, spaced(a.Close), en(max(2500, a.Close/40)))
			b.WriteString(`<div style="font-weight:bold;margin:6px 0">Card activity</div><table><colgroup><col style="width:65px"><col style="width:70px"><col><col style="width:85px"></colgroup><thead><tr style="border-bottom:1px solid #000"><th>Posted</th><th>Trans. date</th><th>Description</th><th class=n>£</th></tr></thead><tbody>`)
			for _, t := range a.Txs {
				m := en(t.Debit)
				if t.Credit != 0 {
					m = en(t.Credit) + "CR"
				}
				fmt.Fprintf(&b, `<tr><td class=d>%s</td><td class=d>%s</td><td>%s</td><td class=n>%s</td></tr>`, d(t.Post), d(t.Date), esc(t.Desc), m)
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans',sans-serif", "9px", "", b.String())
		}}
}

// impala: rand amounts with the currency after the sign ('-R 599.00') and, in the narrow Amount
// column, big debits whose minus sign wraps onto a line of its own.
func impala() traitLayout {
	return traitLayout{Name: "impala", Traits: []int{13}, Look: "South African business account, ZAR", A4: true,
		Desc:     "one Amount column with the currency symbol after the sign ('R 12,000.00', '-R 599.00'); in the narrow column the minus sign of large debits wraps onto its own line above the amount; balances 'R 3,456.00' / '-R 50.00'; '05 Mar 2026' dates",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2026, time.Month(1+r.IntN(12)))
			open := cents(r, 2000, 15000)
			n := 18 + r.IntN(6)
			if v.Long {
				n = 70 + r.IntN(8)
			}
			d := []string{"DEBIT ORDER TELKOM MOBILE", "CARD PURCHASE PICK N PAY ROSEBANK", "STAFF WAGES", "OFFICE RENT ROSEBANK", "PREPAID ELECTRICITY CITY POWER", "FUEL SHELL GARAGE RIVONIA"}
			c := []string{"EFT CREDIT INVOICE ", "CASH DEPOSIT", "EFT CREDIT DLAMINI SUPPLIES", "CREDIT INTEREST"}
			txs := bankTxs(r, n, s, e, open, d, c, 4000)
			for i := range txs {
				if strings.HasSuffix(txs[i].Desc, "INVOICE ") {
					txs[i].Desc += fmt.Sprint(2040 + i)
				}
			}
			cl := overdraw(r, open, txs)
			h := newHolder(r, false)
			h.Name, h.Address, h.City, h.Province, h.PostalCode = pick(r, []string{"Impala Trading (Pty) Ltd", "Khumalo Logistics CC"}), fmt.Sprintf("%d Rivonia Road", 10+r.IntN(300)), "Sandton", "GP", "2196"
			return stmt{Institution: "Impala Bank", Holder: h, Start: s, End: e, Currency: "ZAR",
				Accounts: []acct{{Number: fmt.Sprintf("62 %04d %04d", r.IntN(9999), r.IntN(9999)), Type: "chequing", Open: open, Close: cl, Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			zar := func(m passbook.Money) string {
				if m < 0 {
					return "-R " + en(-m)
				}
				return "R " + en(m)
			}
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d %s %d", x.Day, monEN[x.Month], x.Year) }
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between;background:#13405e;color:#fff;padding:8px"><div style="font-size:18px;font-weight:bold">IMPALA BANK</div><div>Business Cheque Account</div></div><div style="display:flex;justify-content:space-between;margin:10px 0"><div>%s</div><div>Account number %s<br>Branch code 250655<br>Statement period %s to %s</div></div>`, postal(s.Holder), a.Number, d(s.Start), d(s.End))
			fmt.Fprintf(&b, `<p>Opening balance: %s &nbsp;&nbsp; Closing balance: %s</p>`, zar(a.Open), zar(a.Close))
			b.WriteString(`<table style="width:80%"><colgroup><col style="width:85px"><col><col style="width:62px"><col style="width:85px"></colgroup><thead><tr style="border-bottom:2px solid #13405e"><th>Date</th><th>Description</th><th class=n>Amount</th><th class=n>Balance</th></tr></thead><tbody>`)
			for _, t := range a.Txs {
				m := zar(t.Credit)
				if t.Debit != 0 {
					m = zar(-t.Debit)
					if t.Debit >= 100000 {
						m = "-<br>R " + en(t.Debit) // the sign wrapped onto its own line
					}
				}
				fmt.Fprintf(&b, `<tr><td class=d style="vertical-align:bottom">%s</td><td style="vertical-align:bottom">%s</td><td class=n style="vertical-align:bottom">%s</td><td class=n style="vertical-align:bottom">%s</td></tr>`, d(t.Date), esc(t.Desc), m, zar(t.Bal))
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans',sans-serif", "9px", "", b.String())
		}}
}

// bluejay: a US checking statement in five sections under dot-leader headings set as one line
// ('DATE........DESCRIPTION........AMOUNT'), a summary with instance counts beside the amounts,
// a checks table with the number first, and a daily ending balance table after.
func bluejay() traitLayout {
	return traitLayout{Name: "bluejay", Traits: []int{9, 10}, Look: "US checking, USD",
		Desc:     "CHECKING SUMMARY with an INSTANCES column of counts beside the AMOUNT column; five sections (DEPOSITS AND ADDITIONS, CHECKS PAID, ATM & DEBIT CARD WITHDRAWALS, ELECTRONIC WITHDRAWALS, FEES) whose column headings are one dot-leader line, unsigned amounts whose sign only the section gives, each closed by a Total line; the checks table CHECK NO. | DATE PAID | AMOUNT with the number first (the description is the number); a DAILY ENDING BALANCE table after",
		Variants: enLong,
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2025, time.Month(1+r.IntN(12)))
			open := cents(r, 3000, 15000)
			n := 22 + r.IntN(8)
			if v.Long {
				n = 75 + r.IntN(10)
			}
			card := []string{"CARD PURCHASE TRADER JOE'S #552 PORTLAND OR", "CARD PURCHASE SAFEWAY #1883 PORTLAND OR", "ATM WITHDRAWAL 000412 SE HAWTHORNE", "CARD PURCHASE CHEVRON 0091 BEAVERTON OR"}
			elec := []string{"PGE ONLINE PAYMENT", "COMCAST XFINITY AUTOPAY", "STATE FARM INSURANCE PPD", "ZELLE PAYMENT TO A GARCIA", "VENMO PAYMENT"}
			txs := bankTxs(r, n, s, e, open, append(card, elec...), creditsUS, 700)
			var dep, chk, atm, ele []tx
			for _, t := range txs {
				t.ShowBal = false
				switch {
				case t.Credit != 0:
					dep = append(dep, t)
				case r.IntN(5) == 0:
					t.Desc = fmt.Sprint(3101 + len(chk)*2 + r.IntN(2))
					chk = append(chk, t)
				case slices.Contains(card, t.Desc):
					atm = append(atm, t)
				default:
					ele = append(ele, t)
				}
			}
			fee := []tx{{Date: e, Desc: "MONTHLY SERVICE FEE", Debit: 1200}}
			all := slices.Concat(dep, chk, atm, ele, fee)
			return stmt{Institution: "Bluejay Bank, N.A.", Holder: newHolder(r, true), Start: s, End: e, Currency: "USD",
				Accounts: []acct{{Number: fmt.Sprintf("%012d", r.Int64N(999999999999)), Type: "chequing", Open: open, Close: closeOf(open, all, false), Txs: all}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			d := func(x passbook.Date) string { return fmt.Sprintf("%02d/%02d", x.Month, x.Day) }
			type section struct {
				title string
				rows  []tx
			}
			secs := []section{{title: "DEPOSITS AND ADDITIONS"}, {title: "CHECKS PAID"}, {title: "ATM &amp; DEBIT CARD WITHDRAWALS"}, {title: "ELECTRONIC WITHDRAWALS"}, {title: "FEES"}}
			for _, t := range a.Txs {
				k := 3
				switch {
				case t.Credit != 0:
					k = 0
				case !strings.ContainsAny(t.Desc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
					k = 1
				case strings.HasPrefix(t.Desc, "CARD ") || strings.HasPrefix(t.Desc, "ATM "):
					k = 2
				case t.Desc == "MONTHLY SERVICE FEE":
					k = 4
				}
				secs[k].rows = append(secs[k].rows, t)
			}
			var b strings.Builder
			fmt.Fprintf(&b, `<div style="display:flex;justify-content:space-between"><div style="font-size:18px;font-weight:bold;color:#1f4e9c">Bluejay Bank</div><div style="text-align:right">%s through %s<br>Primary Account: %s</div></div><div style="margin:12px 0">%s</div>`, longEN(s.Start), longEN(s.End), a.Number, postal(s.Holder))
			b.WriteString(`<div style="font-weight:bold;border-bottom:2px solid #1f4e9c">CHECKING SUMMARY</div><table style="width:70%"><thead><tr><th></th><th class=n>INSTANCES</th><th class=n>AMOUNT</th></tr></thead><tbody>`)
			fmt.Fprintf(&b, `<tr><td>Beginning Balance</td><td></td><td class=n>$%s</td></tr>`, en(a.Open))
			count := 0
			for i, sc := range secs {
				in, out := totals(sc.rows)
				sign := "-"
				if i == 0 {
					sign = ""
				}
				count += len(sc.rows)
				label := []string{"Deposits and Additions", "Checks Paid", "ATM &amp; Debit Card Withdrawals", "Electronic Withdrawals", "Fees"}[i]
				fmt.Fprintf(&b, `<tr><td>%s</td><td class=n>%d</td><td class=n>%s%s</td></tr>`, label, len(sc.rows), sign, en(in+out))
			}
			fmt.Fprintf(&b, `<tr><td><b>Ending Balance</b></td><td class=n>%d</td><td class=n><b>$%s</b></td></tr></tbody></table>`, count, en(a.Close))
			for i, sc := range secs {
				if len(sc.rows) == 0 {
					continue
				}
				in, out := totals(sc.rows)
				fmt.Fprintf(&b, `<div style="font-weight:bold;margin-top:12px;border-bottom:2px solid #1f4e9c">%s</div>`, sc.title)
				if i == 1 {
					fmt.Fprintf(&b, `<div style="white-space:nowrap">%s%s%s</div><table style="width:60%%"><colgroup><col style="width:80px"><col style="width:80px"><col></colgroup><tbody>`, dots("CHECK NO.", 110, 8), dots("DATE PAID", 90, 8), "AMOUNT")
					for _, t := range sc.rows {
						fmt.Fprintf(&b, `<tr><td>%s</td><td class=d>%s</td><td class=n>$%s</td></tr>`, t.Desc, d(t.Date), en(t.Debit))
					}
				} else {
					fmt.Fprintf(&b, `<div style="white-space:nowrap">%s%s%s</div><table><colgroup><col style="width:50px"><col><col style="width:90px"></colgroup><tbody>`, dots("DATE", 55, 8), dots("DESCRIPTION", 560, 8), "AMOUNT")
					for _, t := range sc.rows {
						fmt.Fprintf(&b, `<tr><td class=d>%s</td><td>%s</td><td class=n>$%s</td></tr>`, d(t.Date), esc(t.Desc), en(t.Debit+t.Credit))
					}
				}
				fmt.Fprintf(&b, `<tr style="border-top:1px solid #999"><td></td><td><b>Total %s</b></td><td class=n><b>$%s</b></td></tr></tbody></table>`, strings.ReplaceAll(strings.ToLower(sc.title), "atm", "ATM"), en(in+out))
			}
			days := map[passbook.Date]passbook.Money{}
			var order []passbook.Date
			for _, t := range a.Txs {
				if _, ok := days[t.Date]; !ok {
					order = append(order, t.Date)
				}
				days[t.Date] += t.Credit - t.Debit
			}
			sortDates(order)
			fmt.Fprintf(&b, `<div style="font-weight:bold;margin-top:12px;border-bottom:2px solid #1f4e9c">DAILY ENDING BALANCE</div><table style="width:80%%"><tbody>`)
			bal := a.Open
			for i, x := range order {
				bal += days[x]
				if i%4 == 0 {
					b.WriteString("<tr>")
				}
				fmt.Fprintf(&b, `<td class=d>%s</td><td class=n style="padding-right:18px">$%s</td>`, d(x), en(bal))
				if i%4 == 3 || i == len(order)-1 {
					b.WriteString("</tr>")
				}
			}
			b.WriteString(`</tbody></table>`)
			return tpage("'Liberation Sans',sans-serif", "8.5px", "", b.String())
		}}
}

// gannet: a building-society account over several pages, each opened by the balance brought
// forward and closed by the balance carried forward, overdrawn balances with a D suffix, and in
// the narrow money columns large amounts whose minus sign wraps onto a line of its own.
func gannet() traitLayout {
	return traitLayout{Name: "gannet", Traits: []int{13}, Look: "UK building society account, GBP (French: EUR)", A4: true,
		Desc:     "every page opens with 'Balance brought forward' and ends with 'Balance carried forward' (paginated by hand); overdrawn balances with a 'D' suffix; Paid out / Paid in columns so narrow that amounts of a thousand or more print their minus sign on a line of its own above them ('-' / '1,250.00'); 'Mon 05 Mar' dates with the weekday",
		Variants: []variant{{"en", true}, {"fr", true}},
		Make: func(r *rand.Rand, v variant) stmt {
			s, e := month(2025, time.Month(1+r.IntN(12)))
			open := cents(r, 100, 1500)
			d, c := debitsUK, creditsUK
			if v.fr() {
				d, c = debitsFR, creditsFR
			}
			txs := bankTxs(r, 60+r.IntN(10), s, e, open, d, c, 1600)
			cl := overdraw(r, open, txs)
			h := newHolder(r, false)
			cur := "GBP"
			if v.fr() {
				h.Address, h.City, h.PostalCode, cur = fmt.Sprintf("%d avenue Jean Jaurès", 1+r.IntN(200)), "Nantes", "44000", "EUR"
			} else {
				h.Address, h.City, h.Province, h.PostalCode = houseNo(h)+" Grey Street", "Newcastle upon Tyne", "", "NE1 6EE"
			}
			return stmt{Institution: tr(v, "Gannet Building Society", "Caisse Fou de Bassan"), Holder: h, Start: s, End: e, Currency: cur,
				Accounts: []acct{{Number: fmt.Sprintf("%04d-%06d", r.IntN(9999), r.IntN(999999)), Type: "savings", Open: open, Close: cl, Txs: txs}}}
		},
		Render: func(s stmt, v variant) string {
			a := s.Accounts[0]
			days := []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
			if v.fr() {
				days = []string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}
			}
			d := func(x passbook.Date) string {
				return days[x.Time().Weekday()] + " " + dayMon(v, x)
			}
			bal := func(m passbook.Money) string {
				if m < 0 {
					return amt(v, -m) + " D"
				}
				return amt(v, m)
			}
			money := func(m passbook.Money) string { // a debit, signed
				if m >= 100000 {
					return "-<br>" + amt(v, m)
				}
				return "-" + amt(v, m)
			}
			cur := tr(v, "£", "€")
			head := func(page int) string {
				return fmt.Sprintf(`<div style="display:flex;justify-content:space-between;border-bottom:3px solid #234"><div style="font-size:18px;font-weight:bold;color:#234">%s</div><div style="text-align:right">%s %s<br>%s %d</div></div>`, esc(s.Institution), tr(v, "Account", "Compte"), a.Number, tr(v, "Page", "Page"), page) +
					fmt.Sprintf(`<table style="margin-top:8px"><colgroup><col style="width:90px"><col><col style="width:48px"><col style="width:48px"><col style="width:80px"></colgroup><thead><tr style="border-bottom:1px solid #234"><th>Date</th><th>%s</th><th class=n>%s<br>%s</th><th class=n>%s<br>%s</th><th class=n>%s %s</th></tr></thead><tbody>`,
						tr(v, "Transaction", "Opération"), tr(v, "Paid out", "Débit"), cur, tr(v, "Paid in", "Crédit"), cur, tr(v, "Balance", "Solde"), cur)
			}
			fwd := func(label string, m passbook.Money) string {
				return fmt.Sprintf(`<tr style="background:#eef"><td></td><td><b>%s</b></td><td></td><td></td><td class=n><b>%s</b></td></tr>`, label, bal(m))
			}
			brought, carried := tr(v, "Balance brought forward", "Solde reporté"), tr(v, "Balance carried forward", "Solde à reporter")
			var b strings.Builder
			b.WriteString(head(1))
			fmt.Fprintf(&b, `<tr><td colspan=5 style="padding:6px 4px">%s<br><b>%s</b><br>%s %s – %s</td></tr>`, postal(s.Holder), tr(v, "Instant Access Savings", "Compte d'épargne à vue"), tr(v, "Statement", "Relevé"), longDate(v, s.Start), longDate(v, s.End))
			b.WriteString(fwd(brought, a.Open))
			per, page, used, running := 30, 1, 0, a.Open
			for _, t := range a.Txs {
				lines := 1
				if t.Debit >= 100000 {
					lines = 2
				}
				if used+lines > per {
					page++
					fmt.Fprintf(&b, `%s</tbody></table><div class=brk></div>%s%s`, fwd(carried, running), head(page), fwd(brought, running))
					used = 0
				}
				running = t.Bal
				o, i := "", ""
				if t.Debit != 0 {
					o = money(t.Debit)
				} else {
					i = amt(v, t.Credit)
				}
				fmt.Fprintf(&b, `<tr><td class=d style="vertical-align:bottom">%s</td><td style="vertical-align:bottom">%s</td><td class=n>%s</td><td class=n style="vertical-align:bottom">%s</td><td class=n style="vertical-align:bottom">%s</td></tr>`, d(t.Date), esc(t.Desc), o, i, bal(t.Bal))
				used += lines
			}
			b.WriteString(fwd(carried, a.Close) + `</tbody></table>`)
			return tpage("'DejaVu Sans',sans-serif", "8.5px", "", b.String())
		}}
}
