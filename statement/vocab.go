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
	case "out", "sortie", "sorties", "sorti", "argentsorti":
		return colDebit // "£ Out" beside "£ In"
	case "in", "entrée", "entrées", "entré", "argententré":
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
	case has("description", "particulars", "details", "detail", "transaction", "libellé", "libelle", "opération", "operation", "narration", "payee", "memo", "merchant", "activity", "reference", "référence", "nature", "verwendungszweck", "remarks", "type", "tytu", "opis", "concepto", "descripci", "descrizione", "omschrijving", "check no", "cheque no", "check #", "cheque #", "number", "ref", "no."):
		return colDesc
	}
	return colNone
}

var (
	reOpening = regexp.MustCompile(`(?i)\b(opening balance|balance forward|balance brought forward|brought forward|previous balance|beginning balance|starting balance|balance at beginning|last month'?s balance|previous statement balance|ancien solde|solde (pr[ée]c[ée]dent|d'ouverture|d’ouverture|ant[ée]rieur|initial|au d[ée]but|report[ée])|alter (konto)?stand|alter saldo|saldo alt|anfangssaldo|saldovortrag)`)
	reClosing = regexp.MustCompile(`(?i)\b(total amount due|total balance due|montant total d[ûu]|closing balance|ending balance|new balance|balance carried forward|carried forward|balance at end|final balance|current balance|statement balance|solde du relev[ée]|solde (de cl[ôo]ture|de fermeture|final|actuel|[àa] la fin|au \d)|nouveau solde|neuer (konto)?stand|neuer saldo|saldo neu|endsaldo|schlusssaldo)`)
	// The same without spaces, matched against squeezed text.
	reOpeningSq  = regexp.MustCompile(`(?i)(openingbalance|balanceforward|broughtforward|previousbalance|beginningbalance|startingbalance|lastmonth'?sbalance|previousstatementbalance|soldepr[ée]c[ée]dent|soldereport[ée]|anciensolde|alterkontostand|anfangssaldo)`)
	reClosingSq  = regexp.MustCompile(`(?i)(closingbalance|endingbalance|newbalance|carriedforward|finalbalance|statementbalance|soldedecl[ôo]ture|soldedefermeture|soldedurelev[ée]|nouveausolde|neuerkontostand|endsaldo)`)
	reRefHeading = regexp.MustCompile(`(?i)^\s*(r[ée]f[ée]rence|ref\.?|r[ée]f\.?)(\s+(number|no\.?|#|num[ée]ro))?\s*$`)
	reClock      = regexp.MustCompile(`^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$`)
	reTotal      = regexp.MustCompile(`(?i)\b(total|totals|totaux|sous-total|subtotal)\b`)
	reCredits    = regexp.MustCompile(`(?i)(deposit|credit|crédit|dépôt|depot|paid in|additions|payments? (and|&) credits|money in|versements)`)
	reDebits     = regexp.MustCompile(`(?i)(withdrawal|debit|débit|retrait|paid out|subtractions|purchases|charges|money out|cheques|checks|fees|paiements effectués)`)

	reCardWords    = regexp.MustCompile(`(?i)\b(visa|mastercard|master card|amex|american express|credit card|carte de cr[ée]dit|card number|num[ée]ro de carte|minimum payment|paiement minimum|payment due)\b`)
	reAccountLbl   = regexp.MustCompile(`(?i)(account|계좌|acct|a/c|compte|card|carte|member|membre|folio|konto|iban|no\.|number|num[ée]ro|#)`)
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
	{"NZD", "NZD"}, {"New Zealand dollars", "NZD"}, {"Australian dollars", "AUD"}, {"ZAR", "ZAR"}, {"KRW", "KRW"}, {"₩", "KRW"}, {"South African rand", "ZAR"}, {"pounds sterling", "GBP"},
}

var reCurrencyCode = regexp.MustCompile(`\b(USD|CAD|CNY|RMB|HKD|AUD|NZD|ZAR|CHF|JPY|EUR|GBP|SGD|INR|KRW)\b`)

// currencyNames are currencies written as words, English and French ("montants en euros",
// "in pounds sterling", "dollars canadiens"), matched as whole words.
var currencyNames = []struct {
	re   *regexp.Regexp
	code string
}{
	{regexp.MustCompile(`(?i)\b(euros?|en eur)\b`), "EUR"},
	{regexp.MustCompile(`(?i)\b(pounds? sterling|livres? sterling|british pounds?|sterling)\b`), "GBP"},
	{regexp.MustCompile(`(?i)\b(francs? suisses?|swiss francs?)\b`), "CHF"},
	{regexp.MustCompile(`(?i)\b(canadian dollars?|dollars? canadiens?)\b`), "CAD"},
	{regexp.MustCompile(`(?i)(\bdollars? (am[ée]ricains?|us|des [ée]tats-unis)\b|\bUS\$)`), "USD"},
	{regexp.MustCompile(`(?i)\b(japanese yen|yens? japonais)\b`), "JPY"},
}

// currencyIn returns the first currency a text names ("USD", "US$", "€", "euros"), or "".
func currencyIn(s string) string {
	best, at := "", len(s)+1
	if m := reCurrencyCode.FindStringIndex(s); m != nil {
		best, at = s[m[0]:m[1]], m[0]
		if best == "RMB" {
			best = "CNY"
		}
	}
	for _, c := range currencyNames {
		if m := c.re.FindStringIndex(s); m != nil && m[0] < at {
			best, at = c.code, m[0]
		}
	}
	for _, c := range currencyWords {
		if reCurrencyCode.MatchString(c.word) && len(c.word) == 3 {
			continue // a code, found above as a whole word (a mark such as "€" is 3 bytes too)
		}
		if i := strings.Index(s, c.word); i >= 0 && i < at {
			best, at = c.code, i
		}
	}
	return best
}
