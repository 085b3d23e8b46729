// Package statement reads bank statements: from the words of a PDF (package pdf) to accounts,
// balances and transactions, without per-bank templates. Lines come from baseline clustering,
// columns from header vocabularies (English and French) and from the alignment of numbers, and
// the statement's own arithmetic (opening + credits − debits = closing, every running balance
// following from the one before) chooses between ambiguous readings and proves each account.
//
// The pipeline is pure: Parse takes a *pdf.Document and returns a *Result; it does no I/O.
package statement

import (
	"github.com/passbookhq/passbook"
)

// Location is where something is printed: a 1-based page number and a box in points from the
// page's top-left corner.
type Location struct {
	Page int
	Box  passbook.Box
}

// Result is what one statement document says.
type Result struct {
	Pages       int
	Institution string
	Holder      passbook.Holder
	PeriodStart passbook.Date // zero when the statement prints no period
	PeriodEnd   passbook.Date
	Currency    string // ISO 4217, "CAD" unless the statement says otherwise
	Language    string // "en" or "fr"
	Accounts    []Account
}

// Account is one account of a statement with its transactions in printed order.
type Account struct {
	Number   string // as printed, digits and dashes ("6952908-1", "89439-6861468", "XXXX XXXX XXXX 9433")
	Type     string // passbook.Chequing, passbook.Savings, passbook.CreditCard, …
	Title    string // the heading of the account's section, when printed
	Currency string

	// Opening and Closing are the balances the statement prints (nil when it prints none). For
	// a credit card they are the amounts owed (positive = owed), as the card's statement prints them.
	Opening      *passbook.Money
	Closing      *passbook.Money
	OpeningAt    *Location // where the opening balance is printed
	ClosingAt    *Location
	NumberAt     *Location // where the account number is printed
	Transactions []Transaction

	// Totals are the summary figures printed for the account ("Total deposits 1,234.56"),
	// checked against the rows.
	Totals []Total
	// Reconciliation is the account's arithmetic.
	Reconciliation Reconciliation
}

// Transaction is one row of an account's activity, with where each part of it is printed.
type Transaction struct {
	Date        passbook.Date
	PostingDate passbook.Date // credit cards print a second date; zero otherwise
	Description string        // continuation lines joined with single spaces
	// Debit and Credit are positive; exactly one is set. For a bank account a debit takes money
	// out; for a credit card a debit is a purchase (it raises the amount owed).
	Debit   *passbook.Money
	Credit  *passbook.Money
	Balance *passbook.Money // the running balance printed on the row, nil where none is printed

	Page       int           // 1-based page of the row
	Row        passbook.Box  // the union of the row's words (continuation lines included)
	DateBox    passbook.Box  // the printed date
	AmountBox  passbook.Box  // the printed amount (debit or credit, signs and DR/CR included)
	BalanceBox *passbook.Box // the printed balance, nil where none is printed
}

// Amount returns the transaction's effect on the account's balance as the statement counts it:
// +credit or −debit for a bank account.
func (t Transaction) Amount() passbook.Money {
	switch {
	case t.Credit != nil:
		return *t.Credit
	case t.Debit != nil:
		return -*t.Debit
	}
	return 0
}

// Total is a summary figure printed on the statement for one account.
type Total struct {
	Kind     string // TotalCredits, TotalDebits
	Label    string // as printed: "Total deposits", "Payments & credits"
	Printed  passbook.Money
	Computed passbook.Money // the same total computed from the rows
	At       Location
	OK       bool // Printed == Computed
}

// Kinds of Total.
const (
	TotalCredits = "credits" // deposits, payments & credits
	TotalDebits  = "debits"  // withdrawals, purchases & debits
)

// Reconciliation is the arithmetic of one account.
type Reconciliation struct {
	// Reconciled is true when the account's figures prove each other: opening + credits −
	// debits = closing (when both are printed), no running-balance break, and every printed
	// total equals the rows.
	Reconciled bool

	Credits passbook.Money // sum of the credits of the rows
	Debits  passbook.Money // sum of the debits of the rows
	// Expected is Opening + Credits − Debits (for a credit card: Opening + Debits − Credits);
	// nil without an opening balance.
	Expected *passbook.Money
	// ClosingOK is true when Expected equals the printed closing balance.
	ClosingOK bool

	BalancesChecked int     // how many printed running balances were checked
	Breaks          []Break // the printed running balances that do not follow from the previous one
	// Reading says how the rows were read, for diagnostics: e.g. "columns:debit,credit",
	// "signed", "drcr", "credit-card".
	Reading string
}

// Break is a printed running balance that does not follow from the one before it and the row's
// amount.
type Break struct {
	Index    int // index of the row in Account.Transactions; -1 for the closing balance (also when no row prints a balance)
	Expected passbook.Money
	Printed  passbook.Money
	At       Location // the printed balance
}
