package passbook

import (
	"context"
	"time"
)

// Institution is a financial institution Connect can link (or receive statements for).
type Institution struct {
	Id       int
	Name     string // as shown and as passed in Authorize's Institution field: "FlinksCapital"
	Country  string // "CA", "US"
	Disabled bool   // logins answer DISABLED_INSTITUTION
	Sandbox  bool   // test data only
}

// SecurityChallenge is one multi-factor question, in Flinks' shape.
type SecurityChallenge struct {
	Type      string   // "QuestionAndAnswer", "MultipleChoice", "TextOnly", "ImageSelection"
	Prompt    string   // "What city were you born in?"
	Iterables []string // the choices of a MultipleChoice challenge
}

// Login is a connection between a customer's end user and an institution: linked with
// credentials, or made from uploaded statements.
type Login struct {
	Id                 string
	Username           string
	Institution        string
	Type               string // "Personal" for a linked login, "Upload" for one made from statements
	IsScheduledRefresh bool
	LastRefresh        time.Time
}

// Login types.
const (
	LoginPersonal = "Personal"
	LoginUpload   = "Upload"
)

// AuthorizeRequest is the body of Authorize, in Flinks' field names. One of three forms:
// credentials (Institution, Username, Password), a cached login (LoginId, MostRecentCached),
// or answers to a 203 (RequestId, SecurityResponses: prompt → answers).
type AuthorizeRequest struct {
	Institution       string
	Username          string
	Password          string
	Save              bool
	LoginId           string
	MostRecentCached  bool
	RequestId         string
	SecurityResponses map[string][]string
	Language          string // "en" or "fr", for messages
	Tag               string
	// Statements is the statement policy the login gets: "" (Authorize through the API:
	// statements on, three months), "off" (Connect without detailsAndStatementEnable), or
	// Connect's monthsOfStatements: "MostRecent", "Months3", "Months12".
	Statements string
	// Widget is set when Connect calls on the customer's behalf (no API key involved).
	Widget bool
}

// AuthorizeResult is the outcome of an Authorize call that did not fail: 200 with a Login, 203
// with SecurityChallenges to answer under RequestId, or 202 with Code OPERATION_PENDING /
// OPERATION_DISPATCHED to poll.
type AuthorizeResult struct {
	HTTPStatus         int
	Code               Code // "" for 200 and 203
	RequestId          string
	Institution        string
	Login              *Login
	SecurityChallenges []SecurityChallenge
}

// Authorizer runs Authorize for a customer. Both the API and the Connect widget call it, so a
// login made in the widget is the same as one made through the API. A failed login returns an
// *Error whose Code is one of the login errors of the code table.
type Authorizer interface {
	Authorize(ctx context.Context, customer *Customer, req AuthorizeRequest) (*AuthorizeResult, error)
	Institutions(ctx context.Context) ([]Institution, error)
}
