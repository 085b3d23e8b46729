package api

import (
	"context"
	"strings"

	"github.com/passbookhq/passbook"
)

// The JSON shapes of the data endpoints, field for field as Flinks writes them: the fields
// Flinks always sends are always present, null when unknown, instead of left out.

// AddressJSON is a holder's address; POBox is null when there is none.
type AddressJSON struct {
	CivicAddress string
	City         string
	Province     string
	PostalCode   string
	POBox        *string
	Country      string
}

// HolderJSON is an account's holder (the KYC of WithKYC).
type HolderJSON struct {
	Name        string
	Address     AddressJSON
	Email       *string
	PhoneNumber *string
}

// AccountJSON is an account of GetAccountsDetail and of the GetAccountsDetail webhook.
type AccountJSON struct {
	Id                string
	Title             string
	AccountNumber     string
	LastFourDigits    *string
	TransitNumber     *string
	InstitutionNumber *string
	OverdraftLimit    *passbook.Money
	Type              string
	AccountType       string // the kind of holder: "Personal" (or "Business")
	Category          string
	Currency          string
	Holder            *HolderJSON
	Balance           passbook.Balance
	Statement         *passbook.StatementInfo `json:",omitempty"`
	Transactions      []passbook.Transaction
}

// SummaryAccount is an account of GetAccountsSummary.
type SummaryAccount struct {
	Id                     string
	Title                  string
	AccountNumber          string
	LastFourDigits         *string
	TransitNumber          *string
	InstitutionNumber      *string
	OverdraftLimit         *passbook.Money
	Balance                passbook.Balance
	Category               string
	Type                   string
	AccountType            string
	Currency               string
	Holder                 *HolderJSON
	EftEligibleRatio       float64
	ETransferEligibleRatio float64
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// HolderOf returns the JSON shape of h (nil for nil).
func HolderOf(h *passbook.Holder) *HolderJSON {
	if h == nil {
		return nil
	}
	return &HolderJSON{Name: h.Name, Email: optional(h.Email), PhoneNumber: optional(h.PhoneNumber),
		Address: AddressJSON{CivicAddress: h.Address.CivicAddress, City: h.Address.City, Province: h.Address.Province,
			PostalCode: h.Address.PostalCode, POBox: optional(h.Address.POBox), Country: h.Address.Country}}
}

// accountType is the Flinks AccountType of an account of a login of type loginType. Passbook's
// sandbox and statement logins are a person's: "Personal".
func accountType(loginType string) string {
	if loginType == "Business" {
		return "Business"
	}
	return passbook.LoginPersonal
}

// lastFour returns the LastFourDigits of a: the account's own, or the last four digits of its
// number.
func lastFour(a passbook.Account) *string {
	if a.LastFourDigits != "" {
		return &a.LastFourDigits
	}
	var d []byte
	for i := len(a.AccountNumber) - 1; i >= 0 && len(d) < 4; i-- {
		if c := a.AccountNumber[i]; c >= '0' && c <= '9' {
			d = append([]byte{c}, d...)
		}
	}
	if len(d) < 4 {
		return nil
	}
	s := string(d)
	return &s
}

// AccountOf returns the GetAccountsDetail shape of a, with identity (transit, institution and
// full account numbers) and KYC (holder) as asked.
func AccountOf(a passbook.Account, loginType string, identity, kyc bool) AccountJSON {
	out := AccountJSON{Id: a.Id, Title: a.Title, AccountNumber: a.AccountNumber, LastFourDigits: lastFour(a),
		TransitNumber: optional(a.TransitNumber), InstitutionNumber: optional(a.InstitutionNumber), OverdraftLimit: a.OverdraftLimit,
		Type: a.Type, AccountType: accountType(loginType), Category: a.Category, Currency: a.Currency, Balance: a.Balance,
		Statement: a.Statement, Transactions: a.Transactions}
	if out.Transactions == nil {
		out.Transactions = []passbook.Transaction{}
	}
	if !identity {
		out.TransitNumber, out.InstitutionNumber = nil, nil
		out.AccountNumber = maskNumber(a.AccountNumber)
	}
	if kyc {
		out.Holder = HolderOf(a.Holder)
	}
	return out
}

// maskNumber hides all but the last four characters of an account number.
func maskNumber(n string) string {
	if len(n) <= 4 {
		return n
	}
	return strings.Repeat("*", len(n)-4) + n[len(n)-4:]
}

// summaryOf returns the GetAccountsSummary shape of a. EftEligibleRatio is 1 for an operations
// account whose transit and institution numbers are known (everything an EFT needs), else 0;
// ETransferEligibleRatio is 1 for operations (chequing and savings) accounts, else 0.
func summaryOf(a passbook.Account, loginType string) SummaryAccount {
	s := SummaryAccount{Id: a.Id, Title: a.Title, AccountNumber: a.AccountNumber, LastFourDigits: lastFour(a),
		TransitNumber: optional(a.TransitNumber), InstitutionNumber: optional(a.InstitutionNumber), OverdraftLimit: a.OverdraftLimit,
		Balance: a.Balance, Category: a.Category, Type: a.Type, AccountType: accountType(loginType), Currency: a.Currency,
		Holder: HolderOf(a.Holder)}
	if a.Category == "Operations" {
		s.ETransferEligibleRatio = 1
		if a.TransitNumber != "" && a.InstitutionNumber != "" && a.AccountNumber != "" {
			s.EftEligibleRatio = 1
		}
	}
	return s
}

// institutionID returns the Flinks InstitutionId of the institution called name, or nil for one
// Passbook does not link (an upload's free-text institution).
func (s *Server) institutionID(ctx context.Context, name string) *int {
	list, err := s.auth.Institutions(ctx)
	if err != nil {
		return nil
	}
	for _, in := range list {
		if strings.EqualFold(in.Name, name) {
			id := in.Id
			return &id
		}
	}
	return nil
}
