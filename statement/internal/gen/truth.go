package main

import (
	"math/rand/v2"
	"sort"
	"time"

	"github.com/passbookhq/passbook"
)

// stmt is the truth of one generated statement.
type stmt struct {
	Institution string
	Holder      holder
	Start, End  passbook.Date
	Currency    string
	Accounts    []acct
}

type holder struct {
	Name, Address, City, Province, PostalCode string
}

type acct struct {
	Number, Type, Title string
	Open, Close         passbook.Money
	Txs                 []tx
	Card                bool
}

type tx struct {
	Date          passbook.Date
	Desc          string         // lines of a description printed on several lines are separated by '\n'
	Post          passbook.Date  // posting date, where a layout prints one (the truth keeps Date)
	Debit, Credit passbook.Money // one is non-zero
	Bal           passbook.Money // running balance after the row (amount owed on a card)
	ShowBal       bool
}

var (
	firstNames = []string{"Amelia", "Arjun", "Chloé", "Félix", "Liam", "Mei", "Olivia", "Omar", "Sofia", "Zoé", "Gabriel", "Noah"}
	lastNames  = []string{"Tremblay", "Singh", "Nguyen", "Roy", "Gagnon", "Patel", "Martin", "Wong", "Côté", "Brown"}
	streets    = []string{"King St W", "Jasper Ave", "rue Saint-Denis", "Portage Ave", "Granville St", "boul. René-Lévesque"}
	citiesCA   = [][3]string{{"Montréal", "QC", "H2X 1Y4"}, {"Toronto", "ON", "M5V 2T6"}, {"Winnipeg", "MB", "R3C 0V8"}, {"Halifax", "NS", "B3J 1S9"}, {"Québec", "QC", "G1R 4P5"}}
	citiesUS   = [][3]string{{"Springfield", "IL", "62701"}, {"Portland", "OR", "97204"}, {"Austin", "TX", "78701"}, {"Denver", "CO", "80202"}}

	debitsEN  = []string{"POS PURCHASE METRO 342", "ATM WITHDRAWAL 4715", "ONLINE BILL PAYMENT TORONTO HYDRO", "PREAUTHORIZED DEBIT INTACT INSURANCE POLICY 88213 MONTHLY PREMIUM", "INTERAC PURCHASE CANADIAN TIRE 98", "MONTHLY ACCOUNT FEE", "CHEQUE 355", "TRANSFER TO SAVINGS", "MORTGAGE PAYMENT ROYAL TRUST", "POS PURCHASE SHELL C0512 GAS STATION HIGHWAY 401 EASTBOUND"}
	creditsEN = []string{"PAYROLL DEPOSIT NORTHWIND TRADERS", "DEPOSIT BRANCH 3747", "ETRANSFER RECEIVED OLIVIA PATEL", "INTEREST PAID", "GST HST CREDIT CANADA", "REFUND HOME DEPOT 7051", "MOBILE CHEQUE DEPOSIT REFERENCE 99812 FROM CLIENT ACCOUNT"}
	debitsFR  = []string{"ACHAT DIRECT METRO 342", "RETRAIT GAB 4715", "PAIEMENT FACTURE HYDRO QUÉBEC", "PRÉLÈVEMENT AUTOMATIQUE ASSURANCE DESJARDINS POLICE 88213 PRIME MENSUELLE", "FRAIS MENSUELS", "CHÈQUE 355", "VIREMENT AU COMPTE ÉPARGNE", "ACHAT DIRECT PHARMAPRIX 0211 BOULEVARD SAINT LAURENT"}
	creditsFR = []string{"DÉPÔT DE PAIE CENTRE HOSPITALIER", "DÉPÔT AU COMPTOIR 3747", "VIREMENT INTERAC REÇU SOFIA ROY", "INTÉRÊTS CRÉDITÉS", "CRÉDIT TPS TVH CANADA", "REMBOURSEMENT CANADIAN TIRE"}
	bizDebits = []string{"ACH DEBIT GUSTO PAYROLL", "WIRE TRANSFER OUT ACME SUPPLY CO INVOICE 20931", "CARD PURCHASE AMAZON WEB SERVICES", "ACH DEBIT IRS USATAXPYMT", "SERVICE FEE", "CARD PURCHASE STAPLES 0211"}
	bizCreds  = []string{"ACH CREDIT STRIPE TRANSFER", "DEPOSIT", "WIRE TRANSFER IN GLOBEX CORPORATION", "MOBILE DEPOSIT", "ACH CREDIT SHOPIFY PAYOUT"}
	merchants = []string{"COSTCO WHOLESALE W512 CALGARY AB", "IGA EXTRA 8123 MONTREAL QC", "SAQ 23041 QUEBEC QC", "UBER CANADA UBERTRIP TORONTO ON", "NETFLIX.COM 800 555 0199 ON", "PHARMAPRIX 0211 LAVAL QC", "BEST BUY 944 OTTAWA ON", "AIR CANADA 0142 MONTREAL QC", "PETRO CANADA 4410 WINNIPEG MB"}
	merchFR   = []string{"IGA EXTRA 8123 MONTRÉAL QC", "SAQ 23041 QUÉBEC QC", "PHARMAPRIX 0211 LAVAL QC", "RESTAURANT CHEZ LÉON SHERBROOKE QC", "ESSO 4410 LÉVIS QC"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func cents(r *rand.Rand, lo, hi int) passbook.Money {
	return passbook.Money(lo*100 + r.IntN((hi-lo)*100))
}

func newHolder(r *rand.Rand, us bool) holder {
	c := pick(r, citiesCA)
	if us {
		c = pick(r, citiesUS)
	}
	return holder{
		Name:    pick(r, firstNames) + " " + pick(r, lastNames),
		Address: itoa(100+r.IntN(9800)) + " " + pick(r, streets),
		City:    c[0], Province: c[1], PostalCode: c[2],
	}
}

func itoa(n int) string {
	return passbook.Money(n * 100).String()[:len(passbook.Money(n*100).String())-3]
}

// bankTxs makes n dated rows between start and end, with a running balance from open.
func bankTxs(r *rand.Rand, n int, start, end passbook.Date, open passbook.Money, debits, credits []string, maxAmt int) []tx {
	days := start.DaysUntil(end)
	dates := make([]passbook.Date, n)
	for i := range dates {
		dates[i] = start.AddDays(r.IntN(days + 1))
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	bal := open
	out := make([]tx, n)
	for i := range out {
		t := tx{Date: dates[i], ShowBal: true}
		if r.IntN(3) == 0 {
			t.Credit = cents(r, 1, maxAmt*2)
			t.Desc = pick(r, credits)
			bal += t.Credit
		} else {
			t.Debit = cents(r, 1, maxAmt)
			t.Desc = pick(r, debits)
			bal -= t.Debit
		}
		t.Bal = bal
		out[i] = t
	}
	return out
}

// cardTxs makes purchases and a few payments; Bal is the amount owed.
func cardTxs(r *rand.Rand, n int, start, end passbook.Date, open passbook.Money, merch []string, payment string) []tx {
	out := bankTxs(r, n, start, end, 0, merch, merch, 400)
	bal := open
	for i := range out {
		t := &out[i]
		t.ShowBal = false
		if r.IntN(7) == 0 {
			t.Debit, t.Credit, t.Desc = 0, cents(r, 50, 1500), payment
		} else {
			t.Debit, t.Credit = cents(r, 2, 450), 0
		}
		bal += t.Debit - t.Credit
		t.Bal = bal
	}
	return out
}

func closeOf(open passbook.Money, txs []tx, card bool) passbook.Money {
	c := open
	for _, t := range txs {
		if card {
			c += t.Debit - t.Credit
		} else {
			c += t.Credit - t.Debit
		}
	}
	return c
}

func month(y int, m time.Month) (passbook.Date, passbook.Date) {
	s := passbook.NewDate(y, m, 1)
	return s, passbook.NewDate(y, m+1, 1).AddDays(-1)
}
