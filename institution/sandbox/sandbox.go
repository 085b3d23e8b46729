// Package sandbox holds Passbook's test institutions. FlinksCapital answers Flinks' documented
// test credentials (Greatday / Everyday with security questions, greatday_nomfa, test_pending, …)
// and one documented username for every login error of the code table, so integrations, the
// Connect widget's demo mode and the tests can produce every outcome on purpose. A successful
// login yields deterministic, realistic accounts with a year of transactions.
package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/institution"
)

// The sandbox institutions.
const (
	FlinksCapital = "FlinksCapital"
	CreditUnion   = "Sandbox Credit Union"
	ClosedBank    = "Sandbox Closed Bank" // disabled: every login answers DISABLED_INSTITUTION
)

// Password is the password of the sandbox users that need one.
const Password = "Everyday"

// The security questions of Greatday and their answers (compared without regard to case).
var (
	QuestionCity    = passbook.SecurityChallenge{Type: "QuestionAndAnswer", Prompt: "What city were you born in?"}
	QuestionCountry = passbook.SecurityChallenge{Type: "QuestionAndAnswer", Prompt: "What is the best country on earth?"}
	QuestionShape   = passbook.SecurityChallenge{Type: "MultipleChoice", Prompt: "What shape do people like most?",
		Iterables: []string{"Circle", "Triangle", "Square", "Rectangle"}}
)

var answers = map[string]string{
	QuestionCity.Prompt:    "Montreal",
	QuestionCountry.Prompt: "Canada",
	QuestionShape.Prompt:   "Triangle",
}

// TestUser is one documented sandbox username and what it does.
type TestUser struct {
	Username string
	Password string        // the password to type; "" means any non-empty password
	Code     passbook.Code // the outcome: "" for a successful login, else the FlinksCode returned
	MFA      bool          // the outcome comes after security questions
	Notes    string
}

// testUsers is the sandbox's table of users, in the order the README lists them.
var testUsers = []TestUser{
	{"Greatday", Password, "", true, "Succeeds after security questions: first “What city were you born in?” (Montreal), then two at once, “What is the best country on earth?” (Canada) and the multiple choice “What shape do people like most?” (Triangle)."},
	{"greatday_nomfa", Password, "", false, "Succeeds without security questions."},
	{"test_pending", Password, passbook.OperationPending, false, "Authorize answers 202 OPERATION_PENDING with a RequestId until the data is ready (a few seconds); polling Authorize or GetAccountsDetailAsync then answers 200."},
	{"test_dispatched", Password, passbook.OperationDispatched, false, "Like test_pending, with 202 OPERATION_DISPATCHED."},
	{"test_invalid_username", "", passbook.InvalidUsername, false, "The bank rejects the username."},
	{"test_invalid_password", "", passbook.InvalidPassword, false, "The bank rejects the password (Greatday with a wrong password does the same)."},
	{"test_invalid_login", "", passbook.InvalidLogin, false, "The bank rejects the credentials (any unknown username does the same)."},
	{"test_invalid_security_response", "", passbook.InvalidSecurityResponse, true, "Asks “What city were you born in?” and rejects every answer; the customer may try again."},
	{"test_security_no_retry", "", passbook.InvalidSecurityResponseNoRetry, true, "Asks “What city were you born in?” and rejects the answer with no further attempt allowed."},
	{"test_service_unavailable", "", passbook.RetryLater, false, "The bank cannot be reached."},
	{"test_unauthorized", "", passbook.Unauthorized, false, "The bank does not authorize the connection."},
	{"test_new_account", "", passbook.NewAccount, false, "The customer must act in online banking first."},
	{"test_aggregation_error", "", passbook.AggregationError, false, "An unexpected error happens while retrieving the data."},
	{"test_disabled_institution", "", passbook.DisabledInstitution, false, "The institution is unavailable (every login at Sandbox Closed Bank does the same)."},
	{"test_disabled_account", "", passbook.DisabledLogin, false, "The bank has deactivated the online-banking access."},
	{"test_session_expired", "", passbook.SessionExpired, true, "Asks “What city were you born in?”, then the session times out."},
}

// TestUsers returns the documented sandbox users, for the README, the widget's demo mode and tests.
func TestUsers() []TestUser { return append([]TestUser(nil), testUsers...) }

// TestUserFor returns the test user whose outcome is code, if there is one.
func TestUserFor(code passbook.Code) (TestUser, bool) {
	for _, u := range testUsers {
		if u.Code == code {
			return u, true
		}
	}
	return TestUser{}, false
}

func findUser(username string) (TestUser, bool) {
	for _, u := range testUsers {
		if strings.EqualFold(u.Username, strings.TrimSpace(username)) {
			return u, true
		}
	}
	return TestUser{}, false
}

// Options tune the sandbox.
type Options struct {
	// PendingDelay is how long test_pending and test_dispatched take to become ready; 0 means 3s.
	PendingDelay time.Duration
	// Now returns the current time; nil means time.Now. Transactions end on Now's day.
	Now func() time.Time
}

// Connector is one sandbox institution.
type Connector struct {
	inst    passbook.Institution
	opts    Options
	profile profile
}

type profile int

const (
	fullBank profile = iota // chequing, savings, credit card and a credit-union membership
	membershipOnly
)

// New returns the sandbox institutions' connectors: FlinksCapital, Sandbox Credit Union and the
// disabled Sandbox Closed Bank.
func New(opts Options) []institution.Connector {
	if opts.PendingDelay <= 0 {
		opts.PendingDelay = 3 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return []institution.Connector{
		&Connector{passbook.Institution{Id: 14, Name: FlinksCapital, Country: "CA", Sandbox: true}, opts, fullBank},
		&Connector{passbook.Institution{Id: 9001, Name: CreditUnion, Country: "CA", Sandbox: true}, opts, membershipOnly},
		&Connector{passbook.Institution{Id: 9002, Name: ClosedBank, Country: "CA", Sandbox: true, Disabled: true}, opts, fullBank},
	}
}

// Institution describes the institution.
func (c *Connector) Institution() passbook.Institution { return c.inst }

// state is what the sandbox remembers between security-question steps.
type state struct {
	User string `json:"u"`
	Step int    `json:"s"` // 1-based index of the question set being asked
}

// questionSets are the 203 steps of each user that asks questions.
func questionSets(u TestUser) [][]passbook.SecurityChallenge {
	if u.Code == "" {
		return [][]passbook.SecurityChallenge{{QuestionCity}, {QuestionCountry, QuestionShape}}
	}
	return [][]passbook.SecurityChallenge{{QuestionCity}}
}

func fail(c passbook.Code) error { return &passbook.Error{Code: c} }

// Login checks the credentials against the sandbox's table of users.
func (c *Connector) Login(ctx context.Context, cr institution.Credentials) (*institution.Step, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.inst.Disabled {
		return nil, fail(passbook.DisabledInstitution)
	}
	if strings.TrimSpace(cr.Username) == "" || cr.Password == "" {
		return nil, fail(passbook.InvalidLogin)
	}
	u, ok := findUser(cr.Username)
	if !ok {
		return nil, fail(passbook.InvalidLogin)
	}
	if u.Password != "" && cr.Password != u.Password {
		return nil, fail(passbook.InvalidPassword)
	}
	if u.MFA {
		return c.ask(u, 1)
	}
	switch u.Code {
	case "":
		return c.success(u, time.Time{}, "")
	case passbook.OperationPending, passbook.OperationDispatched:
		return c.success(u, c.opts.Now().Add(c.opts.PendingDelay), u.Code)
	}
	return nil, fail(u.Code)
}

func (c *Connector) ask(u TestUser, step int) (*institution.Step, error) {
	st, err := json.Marshal(state{User: u.Username, Step: step})
	if err != nil {
		return nil, err
	}
	qs := questionSets(u)[step-1]
	return &institution.Step{Challenges: append([]passbook.SecurityChallenge(nil), qs...), State: st}, nil
}

// Answer checks answers to the questions of the step in state.
func (c *Connector) Answer(ctx context.Context, cr institution.Credentials, raw []byte, given map[string][]string) (*institution.Step, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fail(passbook.SessionExpired)
	}
	u, ok := findUser(st.User)
	sets := questionSets(u)
	if !ok || !u.MFA || st.Step < 1 || st.Step > len(sets) {
		return nil, fail(passbook.SessionExpired)
	}
	switch u.Code {
	case passbook.InvalidSecurityResponse, passbook.InvalidSecurityResponseNoRetry, passbook.SessionExpired:
		return nil, fail(u.Code)
	}
	for _, q := range sets[st.Step-1] {
		if !answered(given, q.Prompt, answers[q.Prompt]) {
			return nil, fail(passbook.InvalidSecurityResponse)
		}
	}
	if st.Step < len(sets) {
		return c.ask(u, st.Step+1)
	}
	return c.success(u, time.Time{}, "")
}

// answered reports whether given holds want as the answer to prompt (both compared loosely).
func answered(given map[string][]string, prompt, want string) bool {
	for p, as := range given {
		if !strings.EqualFold(strings.TrimSpace(p), prompt) {
			continue
		}
		for _, a := range as {
			if strings.EqualFold(strings.TrimSpace(a), want) {
				return true
			}
		}
	}
	return false
}

func (c *Connector) success(u TestUser, readyAt time.Time, code passbook.Code) (*institution.Step, error) {
	today := passbook.DateOf(c.opts.Now().UTC())
	var accts []passbook.Account
	if c.profile == membershipOnly {
		accts = MembershipAccounts(c.inst.Name+"/"+u.Username, today)
	} else {
		accts = Accounts(c.inst.Name+"/"+u.Username, today)
	}
	return &institution.Step{Accounts: accts, ReadyAt: readyAt, PendingCode: code}, nil
}

// MarkdownTable renders TestUsers as the Markdown table the README shows.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| Username | Password | Outcome | What happens |\n|---|---|---|---|\n")
	for _, u := range testUsers {
		pw := "`" + u.Password + "`"
		if u.Password == "" {
			pw = "any"
		}
		outcome := "200, a login"
		if u.Code != "" {
			outcome = fmt.Sprintf("%d `%s`", u.Code.Info().HTTPStatus, u.Code)
		}
		if u.MFA {
			outcome = "203, then " + outcome
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", u.Username, pw, outcome, u.Notes)
	}
	return b.String()
}
