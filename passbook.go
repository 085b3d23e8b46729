// Package passbook holds the domain types shared by every part of Passbook: the Flinks-shaped
// accounts, transactions and holders that the API serves, the statement engine produces and the
// webhooks announce, and the documents and authenticity signals of uploads. It imports only the
// standard library; storage, HTTP and parsing live in packages of their own.
package passbook

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Money is an amount in cents. It is written to JSON as a number with two decimals
// (1189.56, 45.00), as Flinks writes amounts, and never passes through a float on the way.
type Money int64

// Cents returns the amount as a whole number of cents.
func (m Money) Cents() int64 { return int64(m) }

// String writes the amount with two decimals and a leading minus when negative.
func (m Money) String() string {
	neg := m < 0
	v := int64(m)
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%d.%02d", v/100, v%100)
	if neg {
		return "-" + s
	}
	return s
}

// MarshalJSON writes the amount as a JSON number with exactly two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number or a numeric string; it rounds to the nearest cent.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 1 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney reads a plain decimal such as "-1234.5" or "45" (no grouping, no currency sign).
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty amount")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !allDigits(whole) || !allDigits(frac) || len(whole) > 16 {
		return 0, fmt.Errorf("invalid amount %q", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	frac += "000"
	c := int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if frac[2] >= '5' && frac[2] <= '9' {
		c++ // round half up at the third decimal
	}
	v := Money(w*100 + c)
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// M returns a pointer to m, for the nullable amounts of the JSON shapes.
func M(m Money) *Money { return &m }

// Date is a calendar day with no time zone. JSON writes it as Flinks does: "2026/03/05".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate returns the day y-m-d, normalised as time.Date normalises (Feb 30 → Mar 2).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// AddDays returns the day n days after d (before, when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.Time().Sub(d.Time()).Hours() / 24) }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String writes the day as Flinks does, "2026/03/05"; the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d/%02d/%02d", d.Year, int(d.Month), d.Day)
}

// ISO writes the day as "2026-03-05".
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes "2026/03/05", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "2026/03/05", "2026-03-05" or an RFC 3339 time; null is the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDate reads "2026/03/05", "2026-03-05" or an RFC 3339 time.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	for _, layout := range []string{"2006/01/02", "2006-01-02", time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateOf(t), nil
		}
	}
	return Date{}, fmt.Errorf("invalid date %q (want yyyy/MM/dd)", s)
}

// AccountType values, as Flinks names them in an account's Type.
const (
	Chequing     = "Chequing"
	Savings      = "Savings"
	CreditCard   = "CreditCard"
	LineOfCredit = "LineOfCredit"
	Loan         = "Loan"
	Mortgage     = "Mortgage"
	Investment   = "Investment"
	UnknownType  = "Unknown"
)

// CategoryOf returns the Flinks Category that goes with an account Type.
func CategoryOf(accountType string) string {
	switch accountType {
	case Chequing, Savings:
		return "Operations"
	case CreditCard, LineOfCredit, Loan, Mortgage:
		return "Credits"
	case Investment:
		return "Investments"
	}
	return "Operations"
}

// Address is a holder's postal address in Flinks' field names.
type Address struct {
	CivicAddress string
	City         string
	Province     string
	PostalCode   string
	POBox        string `json:",omitempty"`
	Country      string
}

// Holder is the person or business that owns an account.
type Holder struct {
	Name        string
	Address     Address
	Email       string `json:",omitempty"`
	PhoneNumber string `json:",omitempty"`
}

// Balance holds an account's balances; nil where unknown.
type Balance struct {
	Available *Money
	Current   *Money
	Limit     *Money
}

// Transaction is one line of an account's history. Debit and Credit are positive amounts, one of
// them set; Balance is the running balance the bank printed (nil where it printed none).
type Transaction struct {
	Id          string
	Date        Date
	Code        *string
	Description string
	Debit       *Money
	Credit      *Money
	Balance     *Money
}

// StatementInfo says what an account's figures were read from, for accounts built from uploaded
// statements, and whether the statement's own arithmetic proves them.
type StatementInfo struct {
	Institution    string
	PeriodStart    Date
	PeriodEnd      Date
	OpeningBalance *Money
	ClosingBalance *Money
	Reconciled     bool
	// Confidence is how sure the reading of the account is, from the statement's own
	// arithmetic: one of the Reading* constants (an extension of Flinks' shape).
	Confidence string `json:",omitempty"`
	// Discrepancies are the printed figures that do not follow from the rows as read: where a
	// reviewer should look, for a misreading or an edit.
	Discrepancies []Discrepancy `json:",omitempty"`
}

// Discrepancy kinds.
const (
	DiscrepancyBalance = "balance" // a running balance printed on a row
	DiscrepancyClosing = "closing" // the closing balance
	DiscrepancyTotal   = "total"   // a printed total of credits or debits
)

// Discrepancy is one printed figure of a statement that the rows as read do not add up to.
type Discrepancy struct {
	Kind          string // one of the Discrepancy* constants
	TransactionId string `json:",omitempty"` // the row whose printed balance does not follow
	Label         string `json:",omitempty"` // the total's label as printed
	Expected      Money  // what the rows add up to
	Printed       Money  // what the statement prints
	Page          int    `json:",omitempty"` // where the printed figure is, 1-based
	Box           *Box   `json:",omitempty"`
}

// Account is one bank account in Flinks' GetAccountsDetail shape.
type Account struct {
	Id                string
	Title             string
	AccountNumber     string
	LastFourDigits    string `json:",omitempty"`
	TransitNumber     string `json:",omitempty"`
	InstitutionNumber string `json:",omitempty"`
	OverdraftLimit    *Money `json:",omitempty"`
	Type              string
	Category          string
	Currency          string
	Holder            *Holder `json:",omitempty"`
	Balance           Balance
	Statement         *StatementInfo `json:",omitempty"`
	Transactions      []Transaction
}

// Box is a rectangle on a page in PDF points, measured from the page's top-left corner:
// X0 < X1 left to right, Y0 < Y1 top to bottom.
type Box struct {
	X0, Y0, X1, Y1 float64
}

// Severity ranks an authenticity signal.
type Severity string

// Severities, lowest first.
const (
	Low    Severity = "low"
	Medium Severity = "medium"
	High   Severity = "high"
)

// Verdict is the outcome of the authenticity checks for one document.
type Verdict string

// Verdicts.
const (
	Pass   Verdict = "pass"
	Review Verdict = "review"
	Fail   Verdict = "fail"
)

// Signal is one located reason to doubt a document.
type Signal struct {
	Code     string // stable, UPPER_SNAKE
	Severity Severity
	Page     int  `json:",omitempty"` // 1-based; 0 when the signal concerns the whole file
	Box      *Box `json:",omitempty"`
	Detail   string
}

// Authenticity is the verdict on one document with the signals behind it.
type Authenticity struct {
	Verdict Verdict
	Score   int // 0 (no doubt) to 100
	// Reason says in a sentence why the verdict is what it is when it needs saying: e.g. that
	// the figures do not add up but nothing else shows an edit, so a row may have been misread.
	Reason  string `json:",omitempty"`
	Signals []Signal
	// Reading is how sure the statement engine is of what it read, kept apart from the signals:
	// a statement that was read badly is not a forged one.
	Reading *Reading `json:",omitempty"`
}

// Reading confidences, from the statement's own arithmetic.
const (
	ReadingReconciled   = "reconciled"   // every figure that could be checked adds up
	ReadingPartial      = "partial"      // some accounts or figures add up, others do not
	ReadingUnreconciled = "unreconciled" // nothing that could be checked adds up
	ReadingUnchecked    = "unchecked"    // the statement prints nothing to check the rows against
)

// Reading is the statement engine's confidence in its reading of one document.
type Reading struct {
	Confidence string   // one of the Reading* constants
	Notes      []string `json:",omitempty"` // what did not add up, and why it may be a misreading
}

// Document is one file of an upload (or of a `passbook parse` call) and what became of it.
type Document struct {
	Id           string        `json:",omitempty"`
	FileName     string        `json:"FileName"`
	Pages        int           `json:"Pages"`
	SHA256       string        `json:",omitempty"`
	Status       string        `json:",omitempty"`
	Error        string        `json:",omitempty"`
	Authenticity *Authenticity `json:",omitempty"`
	Review       *StaffReview  `json:",omitempty"`
}

// StaffReview is the latest decision staff recorded on a document in the Dashboard.
type StaffReview struct {
	Decision  string // "accepted", "rejected" or "needs_info"
	Note      string `json:",omitempty"`
	DecidedBy string
	DecidedAt time.Time
}

// Statements is what the statement engine makes of one upload: its documents, the holder, and
// the accounts merged across the documents. It is the body of `passbook parse`.
type Statements struct {
	Documents []Document
	Holder    *Holder
	Accounts  []Account
}

// NewID returns a random version-4 UUID, for every identifier a client sees (LoginId, RequestId,
// account and transaction ids): 122 random bits, so they cannot be guessed.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("passbook: crypto/rand failed: " + err.Error()) // never happens on a supported OS
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Customer is a lender that uses Passbook: it embeds Connect and calls the API.
type Customer struct {
	Id       string
	Name     string
	Settings CustomerSettings
	Default  bool // the customer created on first start
}

// CustomerSettings are the per-customer options of the widget, the API and uploads. The zero
// value is what a new customer gets; each field documents its meaning when zero.
type CustomerSettings struct {
	// AllowedOrigins are the host-page origins that may frame Connect and receive its events,
	// besides Passbook's own origin (always allowed, for the demo page).
	AllowedOrigins []string `json:",omitempty"`
	// RequireAuthorizeToken makes the widget refuse to start without a token from
	// GenerateAuthorizeToken. The default customer turns it off for the demo.
	RequireAuthorizeToken bool `json:",omitempty"`
	// UploadMode is "off", "fallback" or "primary"; empty means "fallback".
	UploadMode string `json:",omitempty"`
	// UploadQuota is how many uploads the customer may make; 0 means unlimited.
	UploadQuota int `json:",omitempty"`
}
