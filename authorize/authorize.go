// Package authorize is Passbook's login service: it runs Authorize for the API and the Connect
// widget alike. It calls institution connectors, keeps the state of security questions between
// steps under unguessable RequestIds, answers 202 while a login's data is not ready, opens
// sessions on cached logins, and keeps saved credentials encrypted (AES-GCM) at rest.
package authorize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/institution"
)

// Store is the storage of logins, Authorize requests and authorize tokens; the storage packages
// implement it. Unknown things are passbook.ErrNotFound.
type Store interface {
	// LoginRecord returns customerID's login loginID.
	LoginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error)
	// FindLogin returns the Personal login of customerID at institution for username, or nil.
	FindLogin(ctx context.Context, customerID, institution, username string) (*passbook.LoginRecord, error)
	// SaveLoginRecord creates or updates rec (giving it an Id when it has none); out, when not
	// nil, receives the stored login.
	SaveLoginRecord(ctx context.Context, rec *passbook.LoginRecord, out *passbook.Login) error
	// DeleteLogin removes a login with its accounts, documents and requests.
	DeleteLogin(ctx context.Context, customerID, loginID string) error
	// Accounts returns a login's accounts, in the order they were saved.
	Accounts(ctx context.Context, loginID string) ([]passbook.Account, error)
	// SaveAccounts replaces a login's accounts (giving Ids to those without) and bumps its version.
	SaveAccounts(ctx context.Context, loginID string, accounts []passbook.Account) error
	// SaveRequest creates or replaces a request (giving it an Id when it has none).
	SaveRequest(ctx context.Context, r *passbook.LoginRequest) error
	// Request returns customerID's request id unexpired at now (another customer's, or an expired
	// one, is passbook.ErrNotFound).
	Request(ctx context.Context, customerID, id string, now time.Time) (*passbook.LoginRequest, error)
	// RequestLogin returns the request as Request does, with its login (nil when it has none yet).
	RequestLogin(ctx context.Context, customerID, id string, now time.Time) (*passbook.LoginRequest, *passbook.LoginRecord, error)
	// DeleteRequest forgets a request.
	DeleteRequest(ctx context.Context, id string) error
	// DeleteExpiredRequests removes requests and authorize tokens that expired before now.
	DeleteExpiredRequests(ctx context.Context, now time.Time) error
	// CreateAuthorizeToken stores a new one-use token of customerID valid until expires.
	CreateAuthorizeToken(ctx context.Context, customerID string, expires time.Time) (string, error)
	// UseAuthorizeToken spends token: passbook.ErrNotFound when unknown or another customer's,
	// passbook.ErrExpired when expired, passbook.ErrConflict when already used.
	UseAuthorizeToken(ctx context.Context, customerID, token string, now time.Time) error
}

// Config is what New needs.
type Config struct {
	DB         Store
	Connectors *institution.Registry
	Key        []byte           // 32 bytes: encrypts saved credentials and MFA state (see LoadKey)
	RequestTTL time.Duration    // how long a RequestId lives; 0 means 30 minutes
	TokenTTL   time.Duration    // how long an authorize token lives; 0 means 30 minutes
	Now        func() time.Time // nil means time.Now
	// OnLogin, when set, is called after a linked login was stored (new or refreshed), with its
	// status passbook.LoginReady, or passbook.LoginProcessing while its data is not ready (until
	// ReadyAt); and after a login attempt failed with a login error (status passbook.LoginFailed).
	// It is the place to announce logins (webhooks); it must not block for long.
	OnLogin func(ctx context.Context, ev LoginEvent)
}

// LoginEvent is what OnLogin is told.
type LoginEvent struct {
	CustomerID string
	Login      passbook.Login // for a failure: Id is "" when the attempt made no login
	Status     string         // passbook.LoginReady, passbook.LoginProcessing or passbook.LoginFailed
	ReadyAt    time.Time      // when a processing login's data is ready
	RequestID  string         // the Authorize request
	Tag        string         // Authorize's Tag (the login's, when the request had none)
	Err        error          // the failure: a *passbook.Error with a login error's code
}

// Service implements passbook.Authorizer.
type Service struct {
	db      Store
	conns   *institution.Registry
	box     *box
	reqTTL  time.Duration
	tokTTL  time.Duration
	now     func() time.Time
	lastGC  atomic.Int64 // unix ms of the last removal of expired requests
	gcEvery time.Duration
	onLogin func(ctx context.Context, ev LoginEvent)
}

var _ passbook.Authorizer = (*Service)(nil)

// New returns the login service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Connectors == nil {
		return nil, errors.New("authorize: DB and Connectors are required")
	}
	b, err := newBox(cfg.Key)
	if err != nil {
		return nil, err
	}
	s := &Service{db: cfg.DB, conns: cfg.Connectors, box: b, reqTTL: cfg.RequestTTL, tokTTL: cfg.TokenTTL, now: cfg.Now,
		gcEvery: time.Minute, onLogin: cfg.OnLogin}
	if s.reqTTL <= 0 {
		s.reqTTL = 30 * time.Minute
	}
	if s.tokTTL <= 0 {
		s.tokTTL = 30 * time.Minute
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Institutions lists the institutions Connect can link.
func (s *Service) Institutions(ctx context.Context) ([]passbook.Institution, error) {
	return s.conns.Institutions(), nil
}

// NewAuthorizeToken returns a one-use token for customerID (GenerateAuthorizeToken), valid for
// the token lifetime (30 minutes by default).
func (s *Service) NewAuthorizeToken(ctx context.Context, customerID string) (string, error) {
	return s.db.CreateAuthorizeToken(ctx, customerID, s.now().Add(s.tokTTL))
}

// UseAuthorizeToken spends a token of customerID; a reused, expired or unknown token is an
// UNAUTHORIZED *passbook.Error.
func (s *Service) UseAuthorizeToken(ctx context.Context, customerID, token string) error {
	if token == "" || len(token) > 200 {
		return passbook.Errorf(passbook.Unauthorized, "The authorize key is invalid.")
	}
	err := s.db.UseAuthorizeToken(ctx, customerID, token, s.now())
	switch {
	case errors.Is(err, passbook.ErrConflict):
		return passbook.Errorf(passbook.Unauthorized, "The authorize token was already used; generate a new one.")
	case errors.Is(err, passbook.ErrExpired):
		return passbook.Errorf(passbook.Unauthorized, "The authorize token has expired; generate a new one.")
	case errors.Is(err, passbook.ErrNotFound):
		return passbook.Errorf(passbook.Unauthorized, "The authorize key is invalid.")
	}
	return err
}

// secret is what a request keeps sealed between security-question steps.
type secret struct {
	State    []byte `json:"s,omitempty"`
	Password string `json:"p,omitempty"`
}

// Authorize runs one Authorize call for customer: credentials, a LoginId (cached or refreshed
// with saved credentials), or a RequestId (answers to a 203, or a poll of a 202).
func (s *Service) Authorize(ctx context.Context, customer *passbook.Customer, req passbook.AuthorizeRequest) (*passbook.AuthorizeResult, error) {
	if customer == nil {
		return nil, passbook.Errorf(passbook.Unauthorized, "unknown customer")
	}
	s.collect(ctx)
	switch {
	case req.RequestId != "":
		return s.continueRequest(ctx, customer, req)
	case req.LoginId != "":
		return s.authorizeLogin(ctx, customer, req)
	}
	return s.authorizeCredentials(ctx, customer, req)
}

// collect removes expired requests and tokens, at most once a minute.
func (s *Service) collect(ctx context.Context) {
	now := s.now()
	last := s.lastGC.Load()
	if now.UnixMilli()-last < s.gcEvery.Milliseconds() || !s.lastGC.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	_ = s.db.DeleteExpiredRequests(ctx, now) // best effort: expired rows are refused anyway
}

func (s *Service) authorizeCredentials(ctx context.Context, customer *passbook.Customer, req passbook.AuthorizeRequest) (*passbook.AuthorizeResult, error) {
	name := strings.TrimSpace(req.Institution)
	if name == "" {
		return nil, passbook.Errorf(passbook.InvalidRequest, "Institution is required with Username and Password (or send LoginId, or RequestId).")
	}
	conn, ok := s.conns.Lookup(name)
	if !ok {
		return nil, passbook.Errorf(passbook.InvalidRequest, "Unknown Institution %q.", truncate(name, 64))
	}
	inst := conn.Institution()
	if inst.Disabled {
		return nil, &passbook.Error{Code: passbook.DisabledInstitution}
	}
	creds := institution.Credentials{Username: strings.TrimSpace(req.Username), Password: req.Password}
	r := &passbook.LoginRequest{
		Id:          passbook.NewID(),
		CustomerID:  customer.Id,
		Institution: inst.Name,
		Username:    creds.Username,
		Save:        req.Save,
		Language:    req.Language,
		Tag:         req.Tag,
		Statements:  req.Statements,
	}
	step, err := conn.Login(ctx, creds)
	return s.handle(ctx, customer, conn, r, creds, step, err, false)
}

func (s *Service) authorizeLogin(ctx context.Context, customer *passbook.Customer, req passbook.AuthorizeRequest) (*passbook.AuthorizeResult, error) {
	rec, err := s.loginRecord(ctx, customer.Id, req.LoginId)
	if err != nil {
		return nil, err
	}
	if req.MostRecentCached || rec.Type == passbook.LoginUpload {
		r := &passbook.LoginRequest{
			Id: passbook.NewID(), CustomerID: customer.Id, LoginID: rec.Id, Institution: rec.Institution,
			Username: rec.Username, Status: passbook.RequestDone, Language: req.Language, ExpiresAt: s.now().Add(s.reqTTL),
		}
		if err := s.db.SaveRequest(ctx, r); err != nil {
			return nil, err
		}
		return &passbook.AuthorizeResult{HTTPStatus: 200, RequestId: r.Id, Institution: rec.Institution, Login: publicLogin(rec)}, nil
	}
	// A live refresh with the saved credentials.
	if rec.Credentials == nil {
		return nil, passbook.Errorf(passbook.InvalidRequest, "This login has no saved credentials: send MostRecentCached true, or Authorize again with credentials and Save true.")
	}
	plain, err := s.box.open(rec.Credentials, rec.Id)
	if err != nil {
		return nil, fmt.Errorf("authorize: open saved credentials of %s: %w", rec.Id, err)
	}
	var creds institution.Credentials
	if err := json.Unmarshal(plain, &creds); err != nil {
		return nil, err
	}
	conn, ok := s.conns.Lookup(rec.Institution)
	if !ok {
		return nil, &passbook.Error{Code: passbook.DisabledInstitution, Message: "This institution is no longer available."}
	}
	r := &passbook.LoginRequest{Id: passbook.NewID(), CustomerID: customer.Id, LoginID: rec.Id, Institution: rec.Institution,
		Username: creds.Username, Save: true, Language: req.Language, Tag: req.Tag, Statements: req.Statements}
	step, err := conn.Login(ctx, creds)
	return s.handle(ctx, customer, conn, r, creds, step, err, false)
}

func (s *Service) continueRequest(ctx context.Context, customer *passbook.Customer, req passbook.AuthorizeRequest) (*passbook.AuthorizeResult, error) {
	now := s.now()
	r, err := s.db.Request(ctx, customer.Id, req.RequestId, now)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, errNoRequest()
	}
	if err != nil {
		return nil, err
	}
	switch r.Status {
	case passbook.RequestDone, passbook.RequestPending:
		rec, err := s.db.LoginRecord(ctx, customer.Id, r.LoginID)
		if err != nil {
			return nil, passbook.Errorf(passbook.SessionNonexistent, "The login of this RequestId no longer exists.")
		}
		return s.loginResult(ctx, r, rec)
	case passbook.RequestMFA:
	default:
		return nil, passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
	}
	if len(req.SecurityResponses) == 0 {
		// Nothing answered: ask the same questions again.
		return &passbook.AuthorizeResult{HTTPStatus: 203, RequestId: r.Id, Institution: r.Institution, SecurityChallenges: r.Challenges}, nil
	}
	responses, err := checkResponses(r.Challenges, req.SecurityResponses)
	if err != nil {
		return nil, err // the same questions may be answered again under the RequestId
	}
	conn, ok := s.conns.Lookup(r.Institution)
	if !ok {
		return nil, passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
	}
	plain, err := s.box.open(r.State, r.Id)
	if err != nil {
		return nil, fmt.Errorf("authorize: open state of request %s: %w", r.Id, err)
	}
	var sec secret
	if err := json.Unmarshal(plain, &sec); err != nil {
		return nil, err
	}
	creds := institution.Credentials{Username: r.Username, Password: sec.Password}
	step, err := conn.Answer(ctx, creds, sec.State, responses)
	return s.handle(ctx, customer, conn, r, creds, step, err, true)
}

// checkResponses compares SecurityResponses with the challenges asked and returns them keyed by
// the prompts as asked. Keys match prompts without regard to case, spaces or punctuation (a
// published client PascalCases them: "WhatCityWereYouBornIn?"). A key that matches no prompt is
// UNKNOWN_CHALLENGE_KEY; a challenge left without an answer is SECURITYRESPONSES_INCOMPLETE.
func checkResponses(asked []passbook.SecurityChallenge, given map[string][]string) (map[string][]string, error) {
	byKey := make(map[string]string, len(asked))
	for _, c := range asked {
		byKey[promptKey(c.Prompt)] = c.Prompt
	}
	out := make(map[string][]string, len(given))
	for k, v := range given {
		p, ok := byKey[promptKey(k)]
		if !ok {
			return nil, passbook.Errorf(passbook.UnknownChallengeKey, "SecurityResponses answers %q, which was not asked; use the Prompt of each SecurityChallenge as the key.", truncate(k, 80))
		}
		out[p] = append(out[p], v...)
	}
	for _, c := range asked {
		answered := false
		for _, a := range out[c.Prompt] {
			answered = answered || strings.TrimSpace(a) != ""
		}
		if !answered {
			return nil, passbook.Errorf(passbook.SecurityResponsesIncomplete, "SecurityResponses does not answer %q.", truncate(c.Prompt, 80))
		}
	}
	return out, nil
}

// promptKey is a prompt reduced to its lower-case letters and digits.
func promptKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// handle turns a connector's step into a result, storing what the next call needs.
// stored says whether r is already in the database.
func (s *Service) handle(ctx context.Context, customer *passbook.Customer, conn institution.Connector, r *passbook.LoginRequest,
	creds institution.Credentials, step *institution.Step, stepErr error, stored bool) (*passbook.AuthorizeResult, error) {
	now := s.now()
	if stepErr != nil {
		var pe *passbook.Error
		if errors.As(stepErr, &pe) && pe.Code == passbook.InvalidSecurityResponse && stored {
			// The customer may answer again under the same RequestId.
			return nil, stepErr
		}
		if stored {
			if err := s.db.DeleteRequest(ctx, r.Id); err != nil {
				return nil, errors.Join(stepErr, err)
			}
		}
		s.announceFailure(ctx, customer, r, stepErr)
		return nil, stepErr
	}
	if step == nil {
		return nil, errors.New("authorize: connector returned no step and no error")
	}
	r.ExpiresAt = now.Add(s.reqTTL)
	if len(step.Challenges) > 0 {
		plain, err := json.Marshal(secret{State: step.State, Password: creds.Password})
		if err != nil {
			return nil, err
		}
		if r.State, err = s.box.seal(plain, r.Id); err != nil {
			return nil, err
		}
		r.Status, r.Challenges = passbook.RequestMFA, step.Challenges
		if err := s.db.SaveRequest(ctx, r); err != nil {
			return nil, err
		}
		return &passbook.AuthorizeResult{HTTPStatus: 203, RequestId: r.Id, Institution: r.Institution, SecurityChallenges: step.Challenges}, nil
	}

	// The login succeeded: store it with its accounts.
	rec, err := s.storeLogin(ctx, customer, conn.Institution().Name, r, creds, step)
	if err != nil {
		return nil, err
	}
	r.LoginID, r.State, r.Challenges = rec.Id, nil, nil
	r.Status = passbook.RequestDone
	if rec.StatusAt(now) == passbook.LoginProcessing {
		r.Status = passbook.RequestPending
	}
	if err := s.db.SaveRequest(ctx, r); err != nil {
		return nil, err
	}
	return s.loginResult(ctx, r, rec)
}

// storeLogin creates or updates the login of (customer, institution, username) with the step's
// accounts, keeping the Ids of accounts it already had (matched by account number).
func (s *Service) storeLogin(ctx context.Context, customer *passbook.Customer, inst string, r *passbook.LoginRequest,
	creds institution.Credentials, step *institution.Step) (*passbook.LoginRecord, error) {
	now := s.now().UTC()
	rec, err := s.db.FindLogin(ctx, customer.Id, inst, creds.Username)
	if err != nil {
		return nil, err
	}
	oldIDs := map[string]string{}
	if rec == nil {
		rec = &passbook.LoginRecord{Login: passbook.Login{Id: passbook.NewID(), Username: creds.Username, Institution: inst, Type: passbook.LoginPersonal}, CustomerID: customer.Id}
	} else {
		old, err := s.db.Accounts(ctx, rec.Id)
		if err != nil {
			return nil, err
		}
		for _, a := range old {
			oldIDs[a.AccountNumber] = a.Id
		}
	}
	rec.LastRefresh = now
	rec.Tag, rec.Statements = r.Tag, r.Statements // "" keeps what the login has
	// A login whose data is ready stays ready while it is refreshed: SaveAccounts replaces its
	// accounts in one transaction, so readers see the old data or the new, never none.
	rec.Status, rec.ReadyAt, rec.PendingCode = passbook.LoginReady, step.ReadyAt, step.PendingCode
	if !step.ReadyAt.IsZero() {
		rec.Status = passbook.LoginProcessing
	}
	if rec.PendingCode == "" {
		rec.PendingCode = passbook.OperationPending
	}
	rec.Credentials = nil // keep what is stored unless saving anew
	if r.Save {
		plain, err := json.Marshal(creds)
		if err != nil {
			return nil, err
		}
		if rec.Credentials, err = s.box.seal(plain, rec.Id); err != nil {
			return nil, err
		}
	}
	if err := s.db.SaveLoginRecord(ctx, rec, nil); err != nil {
		// Another Authorize of the same username may have created the login meanwhile: use it.
		again, ferr := s.db.FindLogin(ctx, customer.Id, inst, creds.Username)
		if ferr != nil || again == nil || again.Id == rec.Id {
			return nil, err
		}
		rec.Id = again.Id
		if r.Save {
			plain, _ := json.Marshal(creds)
			if rec.Credentials, err = s.box.seal(plain, rec.Id); err != nil {
				return nil, err
			}
		}
		if err := s.db.SaveLoginRecord(ctx, rec, nil); err != nil {
			return nil, err
		}
	}
	accts := step.Accounts
	for i := range accts {
		if accts[i].Id == "" {
			accts[i].Id = oldIDs[accts[i].AccountNumber]
		}
		if accts[i].Id == "" {
			accts[i].Id = passbook.NewID()
		}
		for j := range accts[i].Transactions {
			if accts[i].Transactions[j].Id == "" {
				accts[i].Transactions[j].Id = passbook.NewID()
			}
		}
	}
	if err := s.db.SaveAccounts(ctx, rec.Id, accts); err != nil {
		if errors.Is(err, passbook.ErrNotFound) {
			return nil, passbook.Errorf(passbook.InvalidLogin, "unknown LoginId")
		}
		return nil, err
	}
	if s.onLogin != nil {
		tag := rec.Tag
		if again, err := s.db.LoginRecord(ctx, customer.Id, rec.Id); err == nil {
			tag = again.Tag // the login's own, when this request had none
		}
		s.onLogin(ctx, LoginEvent{CustomerID: customer.Id, Login: rec.Login, Status: rec.Status, ReadyAt: rec.ReadyAt, RequestID: r.Id, Tag: tag})
	}
	return rec, nil
}

// announceFailure tells OnLogin about a login attempt that failed with a login error, with the
// LoginId of the login it was for when one exists.
func (s *Service) announceFailure(ctx context.Context, customer *passbook.Customer, r *passbook.LoginRequest, err error) {
	var pe *passbook.Error
	if s.onLogin == nil || !errors.As(err, &pe) || !pe.Code.Info().LoginError {
		return
	}
	l := passbook.Login{Id: r.LoginID, Username: r.Username, Institution: r.Institution, Type: passbook.LoginPersonal, LastRefresh: s.now().UTC()}
	tag := r.Tag
	if l.Id == "" {
		if rec, ferr := s.db.FindLogin(ctx, customer.Id, r.Institution, r.Username); ferr == nil && rec != nil {
			l.Id = rec.Id
			if tag == "" {
				tag = rec.Tag
			}
		}
	}
	s.onLogin(ctx, LoginEvent{CustomerID: customer.Id, Login: l, Status: passbook.LoginFailed, RequestID: r.Id, Tag: tag, Err: err})
}

// loginResult answers for a request whose login exists: 200 when its data is ready, 202 while not.
func (s *Service) loginResult(ctx context.Context, r *passbook.LoginRequest, rec *passbook.LoginRecord) (*passbook.AuthorizeResult, error) {
	res := &passbook.AuthorizeResult{HTTPStatus: 200, RequestId: r.Id, Institution: rec.Institution, Login: publicLogin(rec)}
	switch rec.StatusAt(s.now()) {
	case passbook.LoginProcessing:
		res.HTTPStatus, res.Code = 202, pendingCode(rec)
	case passbook.LoginFailed:
		return nil, &passbook.Error{Code: passbook.AggregationError}
	default:
		if r.Status == passbook.RequestPending {
			r.Status = passbook.RequestDone
			if err := s.db.SaveRequest(ctx, r); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

func pendingCode(rec *passbook.LoginRecord) passbook.Code {
	if rec.PendingCode == passbook.OperationDispatched {
		return passbook.OperationDispatched
	}
	return passbook.OperationPending
}

func publicLogin(rec *passbook.LoginRecord) *passbook.Login {
	l := rec.Login
	return &l
}

// Session returns the request and login behind a RequestId for the data endpoints. The login's
// data is ready when err is nil; while it is not, err is a *passbook.Error with code
// OPERATION_PENDING or OPERATION_DISPATCHED (202); an unknown, expired or unfinished RequestId
// is SESSION_NONEXISTENT.
func (s *Service) Session(ctx context.Context, customerID, requestID string) (*passbook.LoginRequest, *passbook.LoginRecord, error) {
	now := s.now()
	r, rec, err := s.db.RequestLogin(ctx, customerID, requestID, now)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, nil, errNoRequest()
	}
	if err != nil {
		return nil, nil, err
	}
	if rec == nil || (r.Status != passbook.RequestDone && r.Status != passbook.RequestPending) {
		return nil, nil, passbook.Errorf(passbook.SessionNonexistent, "This RequestId has not completed Authorize (answer its SecurityChallenges first).")
	}
	switch rec.StatusAt(now) {
	case passbook.LoginProcessing:
		return r, rec, &passbook.Error{Code: pendingCode(rec)}
	case passbook.LoginFailed:
		return r, rec, &passbook.Error{Code: passbook.AggregationError}
	}
	return r, rec, nil
}

// DeleteLogin removes a login and everything stored for it (DeleteCard). A login whose data is
// still being gathered or processed is CARD_IN_USE, as Flinks answers: delete it once ready.
func (s *Service) DeleteLogin(ctx context.Context, customerID, loginID string) error {
	rec, err := s.loginRecord(ctx, customerID, loginID)
	if err != nil {
		return err
	}
	if rec.StatusAt(s.now()) == passbook.LoginProcessing {
		return &passbook.Error{Code: passbook.CardInUse}
	}
	if err := s.db.DeleteLogin(ctx, customerID, loginID); errors.Is(err, passbook.ErrNotFound) {
		return errUnknownLogin()
	} else if err != nil {
		return err
	}
	return nil
}

// loginRecord returns customerID's login; an unknown one is INVALID_LOGIN, Flinks' answer to an
// unknown LoginId.
func (s *Service) loginRecord(ctx context.Context, customerID, loginID string) (*passbook.LoginRecord, error) {
	rec, err := s.db.LoginRecord(ctx, customerID, loginID)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, errUnknownLogin()
	}
	return rec, err
}

func errUnknownLogin() error {
	return passbook.Errorf(passbook.InvalidLogin, "The provided LoginId is invalid.")
}

func errNoRequest() error {
	return passbook.Errorf(passbook.SessionNonexistent, "The RequestId does not exist or has expired; call Authorize again.")
}

// SavedCredentials returns the credentials saved for a login, decrypted; ok is false when none are.
func (s *Service) SavedCredentials(ctx context.Context, customerID, loginID string) (creds institution.Credentials, ok bool, err error) {
	rec, err := s.loginRecord(ctx, customerID, loginID)
	if err != nil || rec.Credentials == nil {
		return creds, false, err
	}
	plain, err := s.box.open(rec.Credentials, rec.Id)
	if err != nil {
		return creds, false, err
	}
	err = json.Unmarshal(plain, &creds)
	return creds, err == nil, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
