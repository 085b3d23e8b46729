package sandbox

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"

	"github.com/passbookhq/passbook"
)

// historyDays is how far back the sandbox's transactions go.
const historyDays = 365

type holderData struct {
	name, street, city, province, postal, email, phone string
}

var holders = []holderData{
	{"Camille Tremblay", "1275 rue Saint-Denis, app. 4", "Montréal", "QC", "H2X 3J6", "camille.tremblay@example.com", "514-555-0142"},
	{"Olivia Chen", "88 Harbour Street, Unit 1203", "Toronto", "ON", "M5J 0C3", "olivia.chen@example.com", "416-555-0187"},
	{"Noah Gagnon", "240 Grande Allée Est", "Québec", "QC", "G1R 2H9", "noah.gagnon@example.com", "418-555-0110"},
	{"Amelia Singh", "1502 West 10th Avenue", "Vancouver", "BC", "V6J 2A1", "amelia.singh@example.com", "604-555-0163"},
}

// gen is a deterministic source for one sandbox login.
type gen struct {
	r      *rand.Rand // amounts and days: they change with the day the history ends
	id     *rand.Rand // account numbers: they stay the same from one day to the next
	holder passbook.Holder
	start  passbook.Date // first day of history
	today  passbook.Date
}

func newGen(seed string, today passbook.Date) *gen {
	h := fnv.New64a()
	h.Write([]byte(seed))
	s := h.Sum64()
	r := rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15^uint64(today.Time().Unix())))
	hd := holders[int(s%uint64(len(holders)))]
	return &gen{
		r:  r,
		id: rand.New(rand.NewPCG(s^0x5851f42d4c957f2d, s)),
		holder: passbook.Holder{
			Name:        hd.name,
			Address:     passbook.Address{CivicAddress: hd.street, City: hd.city, Province: hd.province, PostalCode: hd.postal, Country: "CA"},
			Email:       hd.email,
			PhoneNumber: hd.phone,
		},
		start: today.AddDays(-(historyDays - 1)),
		today: today,
	}
}

// cents returns a random amount between lo and hi dollars.
func (g *gen) cents(lo, hi int) passbook.Money {
	return passbook.Money(lo*100 + g.r.IntN((hi-lo)*100+1))
}

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.id.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '4'
	}
	return string(b)
}

// entry is one movement before running balances are computed: amount > 0 adds to the balance
// as the account counts it (a deposit, or a purchase on a card), amount < 0 takes from it.
type entry struct {
	date passbook.Date
	desc string
	amt  passbook.Money
	seq  int // keeps same-day entries in the order they were made
}

// ledger accumulates entries for one account.
type ledger struct {
	entries []entry
}

func (l *ledger) add(d passbook.Date, desc string, amt passbook.Money) {
	l.entries = append(l.entries, entry{d, desc, amt, len(l.entries)})
}

// build turns the entries into transactions, newest first as Flinks lists them, with running
// balances from opening; it returns them with the closing balance. For a credit account
// (owedIncreases), an entry's positive amount is a Debit (a purchase) and raises what is owed; for
// a deposit account a positive amount is a Credit.
func (l *ledger) build(opening passbook.Money, owedIncreases bool) ([]passbook.Transaction, passbook.Money) {
	sort.SliceStable(l.entries, func(i, j int) bool {
		if c := l.entries[i].date.Compare(l.entries[j].date); c != 0 {
			return c < 0
		}
		return l.entries[i].seq < l.entries[j].seq
	})
	bal := opening
	txs := make([]passbook.Transaction, len(l.entries))
	for i, e := range l.entries {
		bal += e.amt
		t := passbook.Transaction{Date: e.date, Description: e.desc, Balance: passbook.M(bal)}
		abs := e.amt
		if abs < 0 {
			abs = -abs
		}
		if (e.amt > 0) == owedIncreases {
			t.Debit = passbook.M(abs)
		} else {
			t.Credit = passbook.M(abs)
		}
		txs[len(txs)-1-i] = t
	}
	return txs, bal
}

// each calls fn for every day of the history.
func (g *gen) each(fn func(d passbook.Date)) {
	for d := g.start; !d.After(g.today); d = d.AddDays(1) {
		fn(d)
	}
}

func (g *gen) account(title, number, typ string, txs []passbook.Transaction, bal passbook.Balance) passbook.Account {
	h := g.holder
	return passbook.Account{
		Title:         title,
		AccountNumber: number,
		Type:          typ,
		Category:      passbook.CategoryOf(typ),
		Currency:      "CAD",
		Holder:        &h,
		Balance:       bal,
		Transactions:  txs,
	}
}

// Accounts returns the accounts of a full sandbox bank login identified by seed, with a year of
// transactions ending on today: chequing, savings, a credit card and a credit-union membership
// (-0 shares, -1 chequing, -2 savings). The same seed and day always give the same accounts
// (without Ids: storage assigns them).
func Accounts(seed string, today passbook.Date) []passbook.Account {
	g := newGen(seed, today)
	transit, inst := g.digits(5), "777"

	// The credit card first: the chequing account pays its statements in full.
	var card ledger
	var payments []entry
	owed := g.cents(200, 900)
	merchants := []string{"AMAZON.CA", "SHELL C12345", "UBER* TRIP", "SAQ 23051", "PHARMAPRIX #1120", "CINEPLEX", "DOLLARAMA #441", "SPOTIFY P1C2D3"}
	g.each(func(d passbook.Date) {
		if d.Day == 7 {
			card.add(d, "NETFLIX.COM", 1699)
		}
		if g.r.IntN(100) < 45 {
			card.add(d, merchants[g.r.IntN(len(merchants))], g.cents(4, 160))
		}
		if d.Day == 22 {
			// Pay what is owed as of the day before (the statement balance).
			var due passbook.Money = owed
			for _, e := range card.entries {
				if e.date.Before(d) {
					due += e.amt
				}
			}
			if due > 0 {
				card.add(d, "PAYMENT - THANK YOU / PAIEMENT - MERCI", -due)
				payments = append(payments, entry{date: d, amt: due})
			}
		}
	})
	cardTx, cardOwed := card.build(owed, true)
	limit := passbook.Money(500000)

	// Savings: a monthly transfer from chequing and monthly interest.
	var sav ledger
	savOpen := g.cents(3000, 12000)
	savBal := savOpen
	transfer := passbook.Money(20000 + 5000*g.r.IntN(4))
	g.each(func(d passbook.Date) {
		if d.Day == 2 {
			sav.add(d, "TRANSFER FROM CHEQUING", transfer)
			savBal += transfer
		}
		if d.AddDays(1).Day == 1 { // last day of the month
			interest := savBal * 125 / 100 / 1200 // 1.25% a year, monthly
			if interest > 0 {
				sav.add(d, "INTEREST / INTÉRÊTS", interest)
				savBal += interest
			}
		}
	})
	savTx, savClose := sav.build(savOpen, false)

	// Chequing: payroll every other Friday, rent, bills, everyday spending.
	var chq ledger
	chqOpen := g.cents(1500, 4000)
	employer := []string{"ACME LOGISTICS", "CENTRE DE SANTÉ ST-LUC", "NORTHWIND TECHNOLOGIES", "VILLE DE LAVAL"}[g.r.IntN(4)]
	pay := g.cents(1800, 2600)
	rent := passbook.Money(115000 + 2500*g.r.IntN(20))
	payday := g.r.IntN(14)
	grocers := []string{"IGA #8123", "METRO PLUS", "COSTCO WHOLESALE #503", "PROVIGO", "MAXI #8841"}
	eateries := []string{"TIM HORTONS #2214", "ST-HUBERT", "STARBUCKS 0412", "A&W #1178"}
	n := 0
	g.each(func(d passbook.Date) {
		if n%14 == payday {
			chq.add(d, "PAYROLL DEPOSIT - "+employer, pay+g.cents(0, 40))
		}
		n++
		switch d.Day {
		case 1:
			chq.add(d, "PREAUTHORIZED DEBIT - RENT 3F PROPERTIES", -rent)
		case 2:
			chq.add(d, "TRANSFER TO SAVINGS", -transfer)
		case 15:
			chq.add(d, "HYDRO-QUEBEC", -g.cents(55, 140))
		case 20:
			chq.add(d, "BELL CANADA", -8512)
		}
		for _, p := range payments {
			if p.date == d {
				chq.add(d, "PAYMENT - VISA FLINKS CAPITAL", -p.amt)
			}
		}
		if g.r.IntN(100) < 28 {
			chq.add(d, grocers[g.r.IntN(len(grocers))], -g.cents(18, 210))
		}
		if g.r.IntN(100) < 12 {
			chq.add(d, eateries[g.r.IntN(len(eateries))], -g.cents(4, 45))
		}
		if g.r.IntN(100) < 3 {
			chq.add(d, "ATM WITHDRAWAL / RETRAIT GAB", -passbook.Money(2000*(1+g.r.IntN(5))))
		}
		if g.r.IntN(100) < 2 {
			chq.add(d, "INTERAC E-TRANSFER RECEIVED", g.cents(20, 300))
		}
		if d.AddDays(1).Day == 1 {
			chq.add(d, "MONTHLY ACCOUNT FEE", -495)
		}
	})
	chqTx, chqClose := chq.build(chqOpen, false)
	overdraft := passbook.Money(50000)

	chqAcct := g.account("Chequing CAD", g.digits(7), passbook.Chequing, chqTx,
		passbook.Balance{Available: passbook.M(chqClose + overdraft), Current: passbook.M(chqClose)})
	chqAcct.TransitNumber, chqAcct.InstitutionNumber, chqAcct.OverdraftLimit = transit, inst, passbook.M(overdraft)
	savAcct := g.account("High Interest Savings", g.digits(7), passbook.Savings, savTx,
		passbook.Balance{Available: passbook.M(savClose), Current: passbook.M(savClose)})
	savAcct.TransitNumber, savAcct.InstitutionNumber = transit, inst
	cardNo := "4510" + g.digits(12)
	cardAcct := g.account("Visa Infinite", cardNo[:4]+" **** **** "+cardNo[12:], passbook.CreditCard, cardTx,
		passbook.Balance{Available: passbook.M(limit - cardOwed), Current: passbook.M(cardOwed), Limit: passbook.M(limit)})
	cardAcct.LastFourDigits = cardNo[12:]

	out := []passbook.Account{chqAcct, savAcct, cardAcct}
	return append(out, g.membership(transit)...)
}

// MembershipAccounts returns the accounts of a credit-union login identified by seed: one
// membership number with its -0 (shares), -1 (chequing) and -2 (savings) accounts.
func MembershipAccounts(seed string, today passbook.Date) []passbook.Account {
	g := newGen(seed, today)
	return g.membership(g.digits(5))
}

func (g *gen) membership(transit string) []passbook.Account {
	member := g.digits(6)
	inst := "815"

	var shares ledger
	shares.add(g.start, "PART SOCIALE / MEMBERSHIP SHARE", 500)
	sharesTx, sharesBal := shares.build(0, false)

	var ops ledger
	opsOpen := g.cents(300, 1500)
	var eps ledger
	epsOpen := g.cents(500, 5000)
	g.each(func(d passbook.Date) {
		if d.Day == 10 {
			ops.add(d, "DÉPÔT DIRECT / DIRECT DEPOSIT - ALLOCATION CANADIENNE", g.cents(250, 600))
			ops.add(d, "VIREMENT À ÉPARGNE / TRANSFER TO SAVINGS", -5000)
			eps.add(d, "VIREMENT DE OPÉRATIONS / TRANSFER FROM CHEQUING", 5000)
		}
		if g.r.IntN(100) < 15 {
			ops.add(d, []string{"PAIEMENT DIRECT / INTERAC PURCHASE - ÉPICERIE", "PAIEMENT DIRECT / INTERAC PURCHASE - PHARMACIE", "RETRAIT GAB / ATM WITHDRAWAL"}[g.r.IntN(3)], -g.cents(10, 80))
		}
		if d.AddDays(1).Day == 1 {
			ops.add(d, "FRAIS MENSUELS / MONTHLY FEE", -395)
		}
	})
	opsTx, opsBal := ops.build(opsOpen, false)
	epsTx, epsBal := eps.build(epsOpen, false)

	mk := func(suffix int, title, typ string, txs []passbook.Transaction, bal passbook.Money) passbook.Account {
		a := g.account(title, fmt.Sprintf("%s-%d", member, suffix), typ, txs, passbook.Balance{Available: passbook.M(bal), Current: passbook.M(bal)})
		a.TransitNumber, a.InstitutionNumber = transit, inst
		return a
	}
	return []passbook.Account{
		mk(0, "Parts sociales / Membership shares", passbook.Savings, sharesTx, sharesBal),
		mk(1, "Compte avec opérations / Chequing", passbook.Chequing, opsTx, opsBal),
		mk(2, "Épargne avantage / Savings", passbook.Savings, epsTx, epsBal),
	}
}
