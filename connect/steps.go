package connect

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/passbookhq/passbook"
)

// view is what a screen's template reads.
type view struct {
	Page     string
	Status   int
	Lang     string
	Sess     *Session
	Customer *passbook.Customer
	Opts     Options
	State    string // the sealed session, for the forms' hidden "s"
	Nonce    string
	Events   []Event
	Redirect string // where the success screen sends the browser
	Client   clientData

	Institution  string
	Institutions []instView
	Query        string
	Username     string
	Err          *errView
	MaxRetry     bool
	Received     int // statements received, on the success screen of an upload
	Challenges   []challengeView
	Accounts     []accountView
	OfferUpload  bool          // offer the upload screen (when one is registered)
	Upload       string        // its URL, set by render
	Denied       bool          // consent was declined
	UploadScreen *uploadScreen // the upload screen's data (upload.go)
	h            *Handler
}

// clientData is what widget.js reads from the page.
type clientData struct {
	Origins     []string `json:"origins"`
	Events      []Event  `json:"events"`
	Redirect    string   `json:"redirect,omitempty"`
	RedirectTop bool     `json:"redirectTop,omitempty"`
	Poll        bool     `json:"poll,omitempty"`
	Institution string   `json:"institution,omitempty"`
	Busy        string   `json:"busy"`
}

type instView struct {
	Name     string
	Country  string
	Disabled bool
	Sandbox  bool
}

type errView struct {
	Code    string
	Status  int
	Message string
}

type challengeView struct {
	Index   int
	Type    string
	Prompt  string
	Choices []string
}

type accountView struct {
	Id, Title, Number, Type, Currency, Balance string
}

// T returns the message key in the view's language.
func (v *view) T(key string, args ...any) string { return translate(v.Lang, key, args...) }

// CustomerLabel is the name the widget shows for the customer.
func (v *view) CustomerLabel() string {
	if v.Opts.CustomerName != "" {
		return v.Opts.CustomerName
	}
	return v.T("this_company")
}

// Days is the number of days of transactions the consent text names.
func (v *view) Days() int {
	if v.Opts.DaysOfTransactions == "Days365" {
		return 365
	}
	return 90
}

// TestUsers are the sandbox usernames listed in demo mode for the view's institution.
func (v *view) TestUsers() []TestUser {
	if !v.Opts.Demo {
		return nil
	}
	var out []TestUser
	for _, u := range v.h.cfg.TestUsers {
		if u.Institution == "" || strings.EqualFold(u.Institution, v.Institution) {
			out = append(out, u)
		}
	}
	return out
}

// DarkTheme reports whether the dark theme is on.
func (v *view) DarkTheme() bool { return v.Opts.Theme == "dark" }

// begin opens the session of a POSTed step and finds its customer.
func (h *Handler) begin(r *http.Request) (*Session, *passbook.Customer, error) {
	return h.Session(r)
}

// fail wraps err so the error screen knows the session and customer.
func fail(err error, s *Session, c *passbook.Customer) error {
	return &sessionError{err: err, sess: s, cust: c}
}

// start is GET /v2/: it reads the options, checks the customer and its authorize token, and
// shows the institution selector.
func (h *Handler) start(r *http.Request) (*view, error) {
	q := r.URL.Query()
	opts, err := ParseOptions(q)
	if err != nil {
		return nil, err
	}
	c, err := h.customer(r.Context(), q.Get("customerId"))
	if err != nil {
		return nil, err
	}
	sess := &Session{CustomerID: c.Id, Opts: opts}
	if opts.RedirectURL != "" && len(c.Settings.AllowedOrigins) > 0 {
		// A customer that lists its origins gets redirects only to them, so a crafted widget URL
		// cannot send its visitors, with their new loginId, anywhere else.
		target, _ := normalizeOrigin(originOf(opts.RedirectURL))
		if !slices.Contains(h.allowedOrigins(r, c), target) {
			return nil, passbook.Errorf(passbook.InvalidRequest, "redirectUrl is not on an allowed origin")
		}
	}
	token := strings.TrimSpace(q.Get("authorizeToken"))
	switch {
	case token != "" && h.cfg.RedeemToken != nil:
		if err := h.cfg.RedeemToken(r.Context(), c.Id, token); err != nil {
			return nil, fail(err, sess, c)
		}
	case c.Settings.RequireAuthorizeToken:
		return nil, fail(passbook.Errorf(passbook.Unauthorized, "authorizeToken is required"), sess, c)
	}
	v, err := h.institutionsView(r, sess, c, "")
	if err != nil {
		return nil, err
	}
	v.Events = []Event{{Step: AppMounted, Tag: opts.Tag}, {Step: ComponentLoadInstitutionSelector}}
	return v, nil
}

// originOf returns the scheme://host part of an absolute URL.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// institutionsView is the institution selector, filtered by query.
func (h *Handler) institutionsView(r *http.Request, sess *Session, c *passbook.Customer, query string) (*view, error) {
	list, err := h.institutions(r, sess)
	if err != nil {
		return nil, fail(err, sess, c)
	}
	var shown []instView
	q := strings.ToLower(strings.TrimSpace(query))
	for _, in := range list {
		if q == "" || strings.Contains(strings.ToLower(in.Name), q) {
			shown = append(shown, instView{Name: in.Name, Country: in.Country, Disabled: in.Disabled, Sandbox: in.Sandbox})
		}
	}
	return &view{Page: "institutions", Sess: sess, Customer: c, Institutions: shown, Query: query}, nil
}

// institutions returns the institutions the session may pick: sandbox ones in demo mode (or when
// there is nothing else), sorted by name.
func (h *Handler) institutions(r *http.Request, sess *Session) ([]passbook.Institution, error) {
	all, err := h.cfg.Authorizer.Institutions(r.Context())
	if err != nil {
		return nil, err
	}
	real := 0
	for _, in := range all {
		if !in.Sandbox {
			real++
		}
	}
	var out []passbook.Institution
	for _, in := range all {
		if !in.Sandbox || sess.Opts.Demo || real == 0 {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// search is GET /v2/search: the institution filter without JavaScript.
func (h *Handler) search(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	return h.institutionsView(r, sess, c, clip(r.FormValue("q"), 100))
}

// institution is POST /v2/institution: the visitor picked an institution.
func (h *Handler) institution(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	name := r.FormValue("institution")
	list, err := h.institutions(r, sess)
	if err != nil {
		return nil, fail(err, sess, c)
	}
	var picked *passbook.Institution
	for i := range list {
		if list[i].Name == name {
			picked = &list[i]
		}
	}
	if picked == nil {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "unknown institution"), sess, c)
	}
	*sess = Session{CustomerID: sess.CustomerID, Opts: sess.Opts, Consented: sess.Consented, Institution: picked.Name, UploadOnly: sess.UploadOnly}
	selected := Event{Step: InstitutionSelected, Institution: picked.Name}
	if sess.UploadOnly && !picked.Disabled {
		v, err := h.uploadView(sess, c)
		if err != nil {
			return nil, err
		}
		v.Events = append([]Event{selected}, v.Events...)
		return v, nil
	}
	if picked.Disabled {
		v := h.loginErrorView(r, sess, c, passbook.DisabledInstitution.Info(), false)
		v.Events = append([]Event{selected}, v.Events...)
		return v, nil
	}
	if sess.Opts.Consent && !sess.Consented {
		return &view{Page: "consent", Sess: sess, Customer: c, Institution: picked.Name,
			Events: []Event{selected, {Step: ComponentLoadConsent, Institution: picked.Name}}}, nil
	}
	v := h.credentialsView(sess, c)
	v.Events = []Event{selected, {Step: ComponentLoadCredential, Institution: picked.Name}}
	return v, nil
}

// consent is POST /v2/consent: the visitor accepted or declined.
func (h *Handler) consent(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.Institution == "" {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "no institution selected"), sess, c)
	}
	if r.FormValue("decision") != "accept" {
		sess.Ended = true
		return &view{Page: "consent", Sess: sess, Customer: c, Institution: sess.Institution, Denied: true,
			Events: []Event{{Step: ComponentDenyConsent, Institution: sess.Institution}}}, nil
	}
	sess.Consented = true
	v := h.credentialsView(sess, c)
	v.Events = []Event{{Step: ComponentAcceptConsent, Institution: sess.Institution}, {Step: ComponentLoadCredential, Institution: sess.Institution}}
	return v, nil
}

// credentialsView is the credential form for the session's institution.
func (h *Handler) credentialsView(sess *Session, c *passbook.Customer) *view {
	v := &view{Page: "credentials", Sess: sess, Customer: c, Institution: sess.Institution, Username: sess.Username}
	v.OfferUpload = uploadMode(sess, c) == "primary"
	return v
}

// uploadMode returns the upload mode of a visit: "off" when the customer turned uploads off,
// else the visit's uploadMode parameter, else the customer's mode, else "fallback".
func uploadMode(sess *Session, c *passbook.Customer) string {
	if c != nil && c.Settings.UploadMode == "off" {
		return "off"
	}
	if sess != nil && sess.Opts.UploadMode != "" {
		return sess.Opts.UploadMode
	}
	if c == nil || c.Settings.UploadMode == "" {
		return "fallback"
	}
	return c.Settings.UploadMode
}

// credentials is POST /v2/credentials: try the login.
func (h *Handler) credentials(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.Institution == "" || sess.Ended || sess.LoginID != "" {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "this connection attempt is over"), sess, c)
	}
	if sess.Opts.Consent && !sess.Consented {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "consent is required first"), sess, c)
	}
	username := clip(strings.TrimSpace(r.FormValue("username")), 200)
	password := clip(r.FormValue("password"), 200)
	sess.Username, sess.RequestID, sess.Challenges = username, "", nil
	if username == "" || password == "" {
		v := h.credentialsView(sess, c)
		v.Status = http.StatusBadRequest
		v.Err = &errView{Code: string(passbook.InvalidLogin), Status: 401, Message: passbook.InvalidLogin.Info().Message(sess.Opts.Language)}
		return v, nil
	}
	res, err := h.cfg.Authorizer.Authorize(r.Context(), c, passbook.AuthorizeRequest{
		Institution: sess.Institution, Username: username, Password: password,
		Language: sess.Opts.Language, Tag: sess.Opts.Tag, Statements: sess.Opts.statementPolicy(), Widget: true,
	})
	return h.outcome(r, sess, c, res, err, false)
}

// mfa is POST /v2/mfa: answers to the security questions.
func (h *Handler) mfa(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.RequestID == "" || len(sess.Challenges) == 0 || sess.Ended {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "no security question to answer"), sess, c)
	}
	answers := map[string][]string{}
	for i, ch := range sess.Challenges {
		a := clip(strings.TrimSpace(r.FormValue("a"+strconv.Itoa(i))), 200)
		answers[ch.Prompt] = []string{a}
	}
	res, err := h.cfg.Authorizer.Authorize(r.Context(), c, passbook.AuthorizeRequest{
		Institution: sess.Institution, RequestId: sess.RequestID, SecurityResponses: answers,
		Language: sess.Opts.Language, Tag: sess.Opts.Tag, Statements: sess.Opts.statementPolicy(), Widget: true,
	})
	return h.outcome(r, sess, c, res, err, true)
}

// poll is POST /v2/poll: ask again about a 202.
func (h *Handler) poll(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.RequestID == "" || sess.Ended {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "nothing to wait for"), sess, c)
	}
	res, err := h.cfg.Authorizer.Authorize(r.Context(), c, passbook.AuthorizeRequest{
		Institution: sess.Institution, RequestId: sess.RequestID,
		Language: sess.Opts.Language, Tag: sess.Opts.Tag, Statements: sess.Opts.statementPolicy(), Widget: true,
	})
	return h.outcome(r, sess, c, res, err, false)
}

// outcome turns an Authorize result into the next screen.
func (h *Handler) outcome(r *http.Request, sess *Session, c *passbook.Customer, res *passbook.AuthorizeResult, err error, fromMFA bool) (*view, error) {
	if err != nil {
		code := passbook.ErrorCode(err)
		info, ok := passbook.Lookup(code)
		switch {
		case code == passbook.SessionNonexistent:
			info = passbook.SessionExpired.Info()
		case !ok || !info.LoginError:
			if code == passbook.InternalError || !ok {
				h.log.ErrorContext(r.Context(), "connect: authorize", "institution", sess.Institution, "err", err)
			}
			if code == passbook.TooManyRequests {
				return nil, fail(err, sess, c)
			}
			info = passbook.AggregationError.Info()
		}
		return h.loginErrorView(r, sess, c, info, fromMFA), nil
	}
	if res == nil {
		return nil, fail(fmt.Errorf("authorizer returned neither result nor error"), sess, c)
	}
	switch {
	case res.HTTPStatus == http.StatusNonAuthoritativeInfo || len(res.SecurityChallenges) > 0:
		sess.RequestID, sess.Challenges = res.RequestId, res.SecurityChallenges
		v := h.mfaView(sess, c)
		v.Events = []Event{{Step: ComponentLoadMFA, Institution: sess.Institution, RequestID: sess.RequestID, MfaTypes: mfaTypes(sess.Challenges)}}
		return v, nil
	case res.HTTPStatus == http.StatusAccepted:
		sess.RequestID = res.RequestId
		return &view{Page: "pending", Sess: sess, Customer: c, Institution: sess.Institution}, nil
	case res.Login == nil:
		return nil, fail(fmt.Errorf("authorizer answered %d without a login", res.HTTPStatus), sess, c)
	}
	sess.LoginID, sess.RequestID, sess.Challenges, sess.Username = res.Login.Id, res.RequestId, nil, ""
	h.tag(r, sess)
	if res.Institution != "" {
		sess.Institution = res.Institution
	}
	if sess.Opts.AccountSelector && h.cfg.LoginAccounts != nil {
		return h.accountsView(r, sess, c)
	}
	return h.doneView(sess, c, ""), nil
}

// loginErrorView shows a login error: on the same screen when it is retryable and attempts
// remain, else on the error screen that ends the attempt.
func (h *Handler) loginErrorView(r *http.Request, sess *Session, c *passbook.Customer, info passbook.CodeInfo, fromMFA bool) *view {
	lang := sess.Opts.Language
	ev := errorEvent(info, sess)
	errv := &errView{Code: string(info.Code), Status: info.HTTPStatus, Message: info.Message(lang)}
	if info.Retryable {
		sess.Failures++
	}
	if info.Retryable && (sess.Opts.MaximumRetry == 0 || sess.Failures < sess.Opts.MaximumRetry) {
		if fromMFA && info.Code == passbook.InvalidSecurityResponse && len(sess.Challenges) > 0 {
			v := h.mfaView(sess, c)
			v.Err, v.Status = errv, info.HTTPStatus
			v.Events = []Event{ev, {Step: ComponentLoadMFARetry, Institution: sess.Institution, RequestID: sess.RequestID, MfaTypes: mfaTypes(sess.Challenges)}}
			return v
		}
		sess.RequestID, sess.Challenges = "", nil
		v := h.credentialsView(sess, c)
		v.Err, v.Status = errv, info.HTTPStatus
		v.Events = []Event{ev, {Step: ComponentLoadCredentialRetry, Institution: sess.Institution}}
		// A failed attempt that allows the fallback offers the upload beside the retry.
		v.OfferUpload = v.OfferUpload || (info.Fallback && uploadMode(sess, c) != "off")
		return v
	}
	sess.Ended, sess.RequestID, sess.Challenges = true, "", nil
	v := &view{Page: "error", Sess: sess, Customer: c, Institution: sess.Institution, Err: errv, Status: info.HTTPStatus, Events: []Event{ev}}
	if info.Retryable { // attempts used up
		v.MaxRetry = true
		v.Events = append(v.Events, Event{Step: MaximumRetryReached, FlinksCode: string(info.Code), HTTPStatusCode: info.HTTPStatus, Institution: sess.Institution})
	}
	v.OfferUpload = info.Fallback && uploadMode(sess, c) != "off"
	return v
}

func mfaTypes(chs []passbook.SecurityChallenge) []string {
	var out []string
	for _, ch := range chs {
		out = append(out, ch.Type)
	}
	return out
}

// mfaView is the security-question form for the session's challenges.
func (h *Handler) mfaView(sess *Session, c *passbook.Customer) *view {
	v := &view{Page: "mfa", Sess: sess, Customer: c, Institution: sess.Institution}
	for i, ch := range sess.Challenges {
		cv := challengeView{Index: i, Type: ch.Type, Prompt: ch.Prompt}
		if ch.Type == "MultipleChoice" || ch.Type == "ImageSelection" || (len(ch.Iterables) > 0 && ch.Type != "TextOnly") {
			cv.Choices = ch.Iterables
		}
		v.Challenges = append(v.Challenges, cv)
	}
	return v
}

// accountsView is the account selector.
func (h *Handler) accountsView(r *http.Request, sess *Session, c *passbook.Customer) (*view, error) {
	accts, err := h.cfg.LoginAccounts(r.Context(), c.Id, sess.LoginID)
	if err != nil {
		return nil, fail(unknownLogin(err), sess, c)
	}
	v := &view{Page: "accounts", Sess: sess, Customer: c, Institution: sess.Institution}
	for _, a := range selectable(accts, sess.Opts.ShowAllAccounts) {
		bal := ""
		if a.Balance.Current != nil {
			bal = a.Balance.Current.Format(a.Currency, sess.Opts.Language)
		}
		num := a.AccountNumber
		if len(num) > 4 {
			num = "•••" + num[len(num)-4:]
		}
		v.Accounts = append(v.Accounts, accountView{Id: a.Id, Title: a.Title, Number: num, Type: a.Type, Currency: a.Currency, Balance: bal})
	}
	total, shown := len(accts), len(v.Accounts)
	v.Events = []Event{{Step: ComponentLoadAccountSelection, Institution: sess.Institution, LoginID: sess.LoginID, TotalAccounts: &total, DisplayedAccounts: &shown}}
	return v, nil
}

// selectable returns the accounts the selector offers: operations accounts, or all of them.
func selectable(accts []passbook.Account, all bool) []passbook.Account {
	if all {
		return accts
	}
	var out []passbook.Account
	for _, a := range accts {
		cat := a.Category
		if cat == "" {
			cat = passbook.CategoryOf(a.Type)
		}
		if cat == "Operations" {
			out = append(out, a)
		}
	}
	return out
}

// accounts is POST /v2/accounts: the visitor chose an account.
func (h *Handler) accounts(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.LoginID == "" || h.cfg.LoginAccounts == nil {
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "no login to choose an account of"), sess, c)
	}
	id := r.FormValue("account")
	accts, err := h.cfg.LoginAccounts(r.Context(), c.Id, sess.LoginID)
	if err != nil {
		return nil, fail(unknownLogin(err), sess, c)
	}
	for _, a := range selectable(accts, sess.Opts.ShowAllAccounts) {
		if a.Id == id && id != "" {
			v := h.doneView(sess, c, id)
			v.Events = append([]Event{{Step: AccountSelected, Institution: sess.Institution, LoginID: sess.LoginID, AccountID: id}}, v.Events...)
			return v, nil
		}
	}
	return h.accountsView(r, sess, c)
}

// doneView is the success screen: it posts REDIRECT and sends the browser to redirectUrl with
// loginId and institution (and accountId) appended.
func (h *Handler) doneView(sess *Session, c *passbook.Customer, accountID string) *view {
	target := ""
	if sess.Opts.RedirectURL != "" {
		u, err := url.Parse(sess.Opts.RedirectURL)
		if err == nil {
			q := u.Query()
			q.Set("loginId", sess.LoginID)
			q.Set("institution", sess.Institution)
			if accountID != "" {
				q.Set("accountId", accountID)
			}
			u.RawQuery = q.Encode()
			target = u.String()
		}
	}
	sess.Ended = true
	return &view{Page: "done", Sess: sess, Customer: c, Institution: sess.Institution, Redirect: target,
		Events: []Event{{Step: Redirect, Institution: sess.Institution, URL: target, LoginID: sess.LoginID,
			RequestID: sess.RequestID, AccountID: accountID, Tag: sess.Opts.Tag}}}
}

// back is POST /v2/back: return to the institution selector.
func (h *Handler) back(r *http.Request) (*view, error) {
	sess, c, err := h.begin(r)
	if err != nil {
		return nil, err
	}
	if sess.LoginID != "" && (sess.Ended || !sess.Opts.AccountSelector) {
		// Back from the account selector starts again; a finished connection stays finished.
		return nil, fail(passbook.Errorf(passbook.InvalidRequest, "this connection is complete"), sess, c)
	}
	fresh := &Session{CustomerID: sess.CustomerID, Opts: sess.Opts, UploadOnly: sess.UploadOnly}
	v, err := h.institutionsView(r, fresh, c, "")
	if err != nil {
		return nil, err
	}
	v.Events = []Event{{Step: ComponentLoadInstitutionSelector}}
	return v, nil
}

// tag records the visit's tag on its login, when there is one and a place to keep it.
func (h *Handler) tag(r *http.Request, sess *Session) {
	if h.cfg.TagLogin == nil || sess.Opts.Tag == "" || sess.LoginID == "" {
		return
	}
	if err := h.cfg.TagLogin(r.Context(), sess.LoginID, sess.Opts.Tag); err != nil {
		h.log.WarnContext(r.Context(), "connect: tag login", "login", sess.LoginID, "err", err)
	}
}

// unknownLogin is what the widget makes of a login the customer does not have: Flinks'
// INVALID_LOGIN.
func unknownLogin(err error) error {
	if errors.Is(err, passbook.ErrNotFound) {
		return passbook.Errorf(passbook.InvalidLogin, "The provided LoginId is invalid.")
	}
	return err
}
