package statement

import (
	"regexp"
	"strings"
)

// colKind is what a table column holds.
type colKind int

const (
	colNone colKind = iota
	colDate
	colPost
	colDesc
	colDebit
	colCredit
	colAmount
	colBalance
)

func (k colKind) isMoney() bool { return k >= colDebit }

// classifyHeader says what a header cell names; "" words return colNone.
func classifyHeader(s string) colKind {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Trim(s, "()$:*. £€")
	if s == "" {
		return colNone
	}
	// Letter-spaced headings ("Pay m e nt de t ails", "Paid o ut") match without their spaces.
	sq := squeeze(s)
	switch sq {
	case "out", "sortie", "sorties":
		return colDebit // "£ Out" beside "£ In"
	case "in", "entrée", "entrées":
		return colCredit
	}
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(s, w) || sq != s && strings.Contains(sq, squeeze(w)) {
				return true
			}
		}
		return false
	}
	switch {
	case has("balance", "solde", "saldo", "kontostand") || s == "bal" || strings.HasSuffix(s, " bal") || strings.HasPrefix(s, "bal."):
		return colBalance
	case has("withdraw", "debit", "débit", "retrait", "paid out", "payments out", "money out", "charges", "soll", "purchases", "dr."):
		return colDebit
	case has("deposit", "credit", "crédit", "dépôt", "depot", "paid in", "payments in", "money in", "haben", "versement"):
		return colCredit
	case has("amount", "montant", "betrag", "value ($", "somme", "kwota", "importe", "importo", "bedrag") || s == "payments" || s == "payments ($" || s == "payment":
		return colAmount
	case has("vorgang", "buchungsinfo", "buchungstext", "verwendungszweck", "empfänger", "auftraggeber"):
		return colDesc
	case has("buchungstag", "buchungsdatum"):
		return colDate
	case has("posting", "posted", "post date", "inscription", "buchung", "received by", "date received") || s == "post" || s == "posted":
		return colPost
	case has("date", "datum", "day", "fecha") || s == "data" || s == "data operacji" || s == "data księgowania" || s == "trans" || s == "tran" || s == "trans date" || s == "wert" || s == "valuta" || strings.HasPrefix(s, "wertstellung") || s == "valeur":
		return colDate
	case has("description", "particulars", "details", "detail", "transaction", "libellé", "libelle", "opération", "operation", "narration", "payee", "memo", "merchant", "activity", "reference", "nature", "verwendungszweck", "remarks", "type", "tytu", "opis", "concepto", "descripci", "descrizione", "omschrijving", "check no", "cheque no", "check #", "cheque #", "number", "ref", "no."):
		return colDesc
	}
	return colNone
}

var (
	reOpening = regexp.MustCompile(`(?i)\b(opening balance|balance forward|balance brought forward|brought forward|previous balance|beginning balance|starting balance|balance at beginning|last month'?s balance|previous statement balance|solde (pr[ée]c[ée]dent|d'ouverture|d’ouverture|ant[ée]rieur|initial|au d[ée]but|report[ée])|alter (konto)?stand|alter saldo|saldo alt|anfangssaldo|saldovortrag)`)
	reClosing = regexp.MustCompile(`(?i)\b(total amount due|total balance due|montant total d[ûu]|closing balance|ending balance|new balance|balance carried forward|carried forward|balance at end|final balance|current balance|statement balance|solde (de cl[ôo]ture|de fermeture|final|actuel|[àa] la fin|au \d)|nouveau solde|neuer (konto)?stand|neuer saldo|saldo neu|endsaldo|schlusssaldo)`)
	// The same without spaces, matched against squeezed text.
	reOpeningSq = regexp.MustCompile(`(?i)(openingbalance|balanceforward|broughtforward|previousbalance|beginningbalance|startingbalance|lastmonth'?sbalance|previousstatementbalance|soldepr[ée]c[ée]dent|soldereport[ée]|alterkontostand|anfangssaldo)`)
	reClosingSq = regexp.MustCompile(`(?i)(closingbalance|endingbalance|newbalance|carriedforward|finalbalance|statementbalance|soldedecl[ôo]ture|soldedefermeture|nouveausolde|neuerkontostand|endsaldo)`)
	reTotal     = regexp.MustCompile(`(?i)\b(total|totals|totaux|sous-total|subtotal)\b`)
	reCredits   = regexp.MustCompile(`(?i)(deposit|credit|crédit|dépôt|depot|paid in|additions|payments? (and|&) credits|money in|versements)`)
	reDebits    = regexp.MustCompile(`(?i)(withdrawal|debit|débit|retrait|paid out|subtractions|purchases|charges|money out|cheques|checks|fees|paiements effectués)`)

	reCardWords    = regexp.MustCompile(`(?i)\b(visa|mastercard|master card|amex|american express|credit card|carte de cr[ée]dit|card number|num[ée]ro de carte|minimum payment|paiement minimum|payment due)\b`)
	reAccountLbl   = regexp.MustCompile(`(?i)(account|acct|a/c|compte|card|carte|member|membre|folio|konto|iban|no\.|number|num[ée]ro|#)`)
	reAcctNumber   = regexp.MustCompile(`[0-9Xx*•]{2,}(?:[ -]?[0-9Xx*•]{2,})*(?:-\d{1,3})?`)
	rePostalCA     = regexp.MustCompile(`\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b`)
	rePostalUS     = regexp.MustCompile(`\b([A-Z]{2})\s+(\d{5})(-\d{4})?\b`)
	rePeriodAnchor = regexp.MustCompile(`(?i)^(period|période|periode|from|du|zeitraum|covering|between)\b`)
	reStmtDate     = regexp.MustCompile(`(?i)(statement date|statement for|date du relev[ée]|relev[ée] de|as of|as at|closing date|date de fin|period ending|ending)`)
	rePeriodFrom   = regexp.MustCompile(`(?i)^(du|from|de|between|vom|dal)$`)
	rePeriodTo     = regexp.MustCompile(`(?i)^(au|to|à|a|and|et|bis|al|-|–|—)$`)
	rePeriodWords  = regexp.MustCompile(`(?i)(period|période|periode|statement (from|for|dates?)|du .* au|from .* to|relev[ée] du|zeitraum|covering)`)
)

// typeFromText maps account-section words to an account type; "" when none says.
func typeFromText(s string) string {
	s = strings.ToLower(s)
	switch {
	case reCardWords.MatchString(s):
		return "CreditCard"
	case strings.Contains(s, "line of credit") || strings.Contains(s, "marge de cr"):
		return "LineOfCredit"
	case strings.Contains(s, "saving") || strings.Contains(s, "épargne") || strings.Contains(s, "epargne") || strings.Contains(s, "tfsa") || strings.Contains(s, "celi"):
		return "Savings"
	case strings.Contains(s, "chequing") || strings.Contains(s, "checking") || strings.Contains(s, "share draft") || strings.Contains(s, "chèque") || strings.Contains(s, "compte courant") || strings.Contains(s, "opérations") || strings.Contains(s, "current account") || strings.Contains(s, "business") || strings.Contains(s, "operating"):
		return "Chequing"
	case strings.Contains(s, "term deposit") || strings.Contains(s, "gic") || strings.Contains(s, "rrsp") || strings.Contains(s, "investment") || strings.Contains(s, "dépôt à terme") || strings.Contains(s, "placement"):
		return "Investment"
	case strings.Contains(s, "loan") || strings.Contains(s, "prêt"):
		return "Loan"
	case strings.Contains(s, "mortgage") || strings.Contains(s, "hypoth"):
		return "Mortgage"
	}
	return ""
}

var currencyWords = []struct{ word, code string }{
	{"USD", "USD"}, {"US$", "USD"}, {"$US", "USD"}, {"U.S. dollars", "USD"}, {"US dollars", "USD"}, {"dollars américains", "USD"},
	{"CAD", "CAD"}, {"CNY", "CNY"}, {"RMB", "CNY"}, {"HKD", "HKD"}, {"AUD", "AUD"}, {"CHF", "CHF"}, {"JPY", "JPY"}, {"EUR", "EUR"}, {"€", "EUR"}, {"GBP", "GBP"}, {"£", "GBP"}, {"SGD", "SGD"}, {"S$", "SGD"}, {"INR", "INR"}, {"₹", "INR"},
	{"NZD", "NZD"}, {"New Zealand dollars", "NZD"}, {"Australian dollars", "AUD"}, {"ZAR", "ZAR"}, {"South African rand", "ZAR"}, {"pounds sterling", "GBP"},
}

var reCurrencyCode = regexp.MustCompile(`\b(USD|CAD|CNY|RMB|HKD|AUD|NZD|ZAR|CHF|JPY|EUR|GBP|SGD|INR)\b`)

// currencyIn returns the first currency a text names ("USD", "US$", "€"), or "".
func currencyIn(s string) string {
	best, at := "", len(s)+1
	if m := reCurrencyCode.FindStringIndex(s); m != nil {
		best, at = s[m[0]:m[1]], m[0]
		if best == "RMB" {
			best = "CNY"
		}
	}
	for _, c := range currencyWords {
		if len(c.word) == 3 && strings.ToUpper(c.word) == c.word {
			continue
		}
		if i := strings.Index(s, c.word); i >= 0 && i < at {
			best, at = c.code, i
		}
	}
	return best
}
