package passbook

import "time"

// Staff roles, from most to least powerful.
const (
	RoleAdmin    = "admin"    // everything, and manages staff users
	RoleAnalyst  = "analyst"  // reviews, decides, uploads, exports
	RoleReadOnly = "readonly" // looks
)

// StaffUser is a named person of a customer who signs in to the Dashboard.
type StaffUser struct {
	Id           string
	CustomerID   string
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// Decisions an analyst records on a login or a document.
const (
	DecisionAccepted  = "accepted"
	DecisionRejected  = "rejected"
	DecisionNeedsInfo = "needs_info"
)

// Decision is one recorded decision; Document is -1 for the whole login.
type Decision struct {
	Id         int64
	CustomerID string
	LoginID    string
	Document   int
	Decision   string
	Note       string
	UserID     string
	UserName   string
	CreatedAt  time.Time
}

// AuditEntry is one line of the audit log; Document is -1 when it concerns no document.
type AuditEntry struct {
	Id         int64
	CustomerID string
	UserID     string
	UserName   string
	Action     string
	LoginID    string
	Document   int
	Detail     string
	CreatedAt  time.Time
}

// LoginSummary is a login's row in the Dashboard's list.
type LoginSummary struct {
	LoginID     string
	CreatedAt   time.Time
	Type        string
	Institution string
	Status      string // effective at the query's time
	Tag         string
	Holder      string
	Accounts    int
	Numbers     string
	Currency    string
	Balance     *Money
	PeriodStart string // "2026/03/01"; "" when unknown
	PeriodEnd   string
	Documents   int
	Verdict     Verdict
	Score       int // -1 when the login has no scored document
	Decision    string
}

// LoginFilter selects, orders and pages the logins list. Zero fields do not filter.
type LoginFilter struct {
	Query    string // words, each in the holder's name, LoginId, tag or an account number (its last digits)
	Verdict  Verdict
	Type     string // LoginPersonal or LoginUpload
	Status   string // LoginProcessing, LoginReady or LoginFailed
	Decision string // a decision, or "none" for logins without one
	From, To time.Time
	Sort     string // one of the Sort* orders; "" is SortCreated
	Offset   int
	Limit    int // 50 when zero
}

// The orders of the logins list: "created" (newest first, the default), "oldest", "score"
// (highest first), "balance" (highest first), "holder" (by name, unnamed last).
const (
	SortCreated = "created"
	SortOldest  = "oldest"
	SortScore   = "score"
	SortBalance = "balance"
	SortHolder  = "holder"
)

// LoginSort reports whether s is an order of the logins list ("" is the default).
func LoginSort(s string) bool {
	switch s {
	case "", SortCreated, SortOldest, SortScore, SortBalance, SortHolder:
		return true
	}
	return false
}
