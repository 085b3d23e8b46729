// Package connect is the Connect widget: the pages a lender embeds in an iframe at /v2/ (Flinks'
// URL shape) to link its customer's bank — institution search, consent, credentials, security
// questions, account selection, success — and the demo page at /. Pages are rendered on the
// server with html/template; a little plain JavaScript posts Flinks' events to the host page and
// filters the institution list. Everything is embedded in the binary.
//
// The widget keeps no per-visitor state on the server: where a visitor is travels with each form
// as a sealed Session. Logins go through a passbook.Authorizer, the same service the API uses, so
// a login made here is the same as one made through the API.
package connect

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Customers finds an enabled customer by id (passbook.ErrNotFound when there is none); the
// storage packages implement it.
type Customers interface {
	Customer(ctx context.Context, id string) (*passbook.Customer, error)
}

// TestUser is one sandbox username the demo mode lists.
type TestUser struct {
	Institution string
	Username    string
	Password    string // "" when any password works
	Outcome     string // the FlinksCode it produces, or "Success"
	Notes       string // what happens, for the demo page
}

// Config is what the widget needs. Authorizer, Customers and DefaultCustomerID are required.
type Config struct {
	Authorizer        passbook.Authorizer
	Customers         Customers
	DefaultCustomerID string // the customer of a widget URL without customerId (the demo's)
	// RedeemToken spends a one-use authorizeToken made by GenerateAuthorizeToken, returning an
	// UNAUTHORIZED *passbook.Error when it is unknown, used, expired or another customer's.
	// Without it, a customer that requires a token cannot use the widget.
	RedeemToken func(ctx context.Context, customerID, token string) error
	// LoginAccounts lists the accounts of a customer's login, for accountSelectorEnable
	// (passbook.ErrNotFound when the customer has no such login). Without it the selector is
	// skipped.
	LoginAccounts func(ctx context.Context, customerID, loginID string) ([]passbook.Account, error)
	// TestUsers are listed in demo mode and on the demo page.
	TestUsers []TestUser
	// PublicURL is the URL the server is reached at; its origin may frame the widget and receive
	// its events. Empty: the origin of each request.
	PublicURL string
	// SessionKey seals sessions (32 bytes). Replicas behind one load balancer need the same key;
	// empty: a random key, so sessions end when the process does.
	SessionKey []byte
	// UploadPath, when set (e.g. "/v2/upload/"), is where the upload package serves its screen
	// for an institution: the widget posts the sealed session ("s") to UploadPath + institution,
	// beside "link your bank" when the customer's UploadMode is "primary", and after a login
	// error whose CodeInfo.Fallback is set unless the mode is "off". The upload handler reads
	// the session with Handler.Session and ends with Handler.Finish.
	UploadPath string
	// UploadLogin returns the login a widget upload created (the LoginId of the intake's
	// receipt), when it is the customer's (passbook.ErrNotFound otherwise); the upload screen's
	// finish step needs it.
	UploadLogin func(ctx context.Context, customerID, loginID string) (*passbook.Login, error)
	// TagLogin, when set, records the visit's tag (the widget's tag parameter) on the login it
	// made, for the Dashboard; a failure is logged and does not stop the widget.
	TagLogin func(ctx context.Context, loginID, tag string) error
	// UploadLimits are the intake's limits, which the upload screen checks before sending;
	// zero fields take DefaultUploadLimits.
	UploadLimits UploadLimits
	Logger       *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Handler serves the widget and the demo page.
type Handler struct {
	cfg          Config
	seal         *sealer
	pages        map[string]*template.Template
	demo         *template.Template
	listener     template.HTML // the seed's listener snippet, verbatim
	listenerHash string        // its CSP hash
	log          *slog.Logger
	now          func() time.Time
}

// funcs are the templates' helpers. css passes a colour that ParseOptions validated.
var funcs = template.FuncMap{
	"css": func(s string) template.CSS {
		if hexColor.MatchString(s) {
			return template.CSS(s)
		}
		return ""
	},
}

// pageNames are the widget's screens, one template each.
var pageNames = []string{"institutions", "consent", "credentials", "mfa", "pending", "accounts", "done", "error", "upload"}

// New parses the templates and returns the widget's handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Authorizer == nil || cfg.Customers == nil {
		return nil, errors.New("connect: Authorizer and Customers are required")
	}
	k, err := newSealer(cfg.SessionKey)
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, seal: k, pages: map[string]*template.Template{}, log: cfg.Logger, now: cfg.Now}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("connect: template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	if h.demo, err = template.ParseFS(templateFS, "templates/demo.html"); err != nil {
		return nil, fmt.Errorf("connect: demo template: %w", err)
	}
	snippet, err := fs.ReadFile(assetFS, "assets/listener.html")
	if err != nil {
		return nil, err
	}
	h.listener = template.HTML(snippet)
	body := strings.TrimSuffix(strings.TrimPrefix(string(snippet), "<script>"), "</script>")
	sum := sha256.Sum256([]byte(body))
	h.listenerHash = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	return h, nil
}

// DeriveKey returns a session key derived from a master secret (such as the credentials key), so
// that every replica configured with the same secret seals and opens the same sessions.
func DeriveKey(master []byte) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("passbook connect session key v1"))
	return m.Sum(nil)
}

// ListenerSnippet returns the host-page listener of Flinks' documentation that the demo page
// embeds verbatim.
func ListenerSnippet() string {
	b, _ := fs.ReadFile(assetFS, "assets/listener.html")
	return string(b)
}

// Register mounts the widget under /v2/ and the demo page at / on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /v2", func(w http.ResponseWriter, r *http.Request) {
		u := *r.URL
		u.Path = "/v2/"
		http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
	})
	mux.Handle("GET /v2/{$}", h.handle(h.start))
	mux.Handle("GET /v2/search", h.handle(h.search))
	mux.Handle("POST /v2/institution", h.handle(h.institution))
	mux.Handle("POST /v2/consent", h.handle(h.consent))
	mux.Handle("POST /v2/credentials", h.handle(h.credentials))
	mux.Handle("POST /v2/mfa", h.handle(h.mfa))
	mux.Handle("POST /v2/poll", h.handle(h.poll))
	mux.Handle("POST /v2/accounts", h.handle(h.accounts))
	mux.Handle("POST /v2/back", h.handle(h.back))
	h.registerUpload(mux)
	assets, _ := fs.Sub(assetFS, "assets")
	files := http.StripPrefix("/v2/assets/", http.FileServerFS(assets))
	mux.HandleFunc("GET /v2/assets/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /{$}", h.serveDemo)
}

// step is one screen handler: it returns the view to render, or an error for the error screen.
type step func(r *http.Request) (*view, error)

// handle adapts a step to http.Handler: it renders the view, or the error screen for an error.
func (h *Handler) handle(fn step) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 128<<10)
		v, err := fn(r)
		if err != nil {
			v = h.errorView(r, err)
		}
		h.render(w, r, v)
	})
}

// errorView is the error screen for an error that happened outside a login attempt (bad URL,
// unknown customer, refused token, expired session, internal failure).
func (h *Handler) errorView(r *http.Request, err error) *view {
	code := passbook.ErrorCode(err)
	if code == passbook.InternalError {
		h.log.ErrorContext(r.Context(), "connect", "path", r.URL.Path, "err", err)
	}
	var sess *Session
	var cust *passbook.Customer
	var se *sessionError
	if errors.As(err, &se) {
		sess, cust = se.sess, se.cust
	}
	lang := "en"
	if sess != nil {
		lang = sess.Opts.Language
	} else if strings.EqualFold(r.FormValue("language"), "fr") {
		lang = "fr"
	}
	info := code.Info()
	v := &view{Page: "error", Lang: lang, Sess: sess, Customer: cust, Status: info.HTTPStatus,
		Err: &errView{Code: string(info.Code), Status: info.HTTPStatus, Message: info.Message(lang)}}
	if sess != nil {
		v.Events = []Event{errorEvent(info, sess)}
	}
	return v
}

// sessionError carries the session and customer of a failed step to the error screen, so that
// the screen is in the visitor's language and its event reaches the host page.
type sessionError struct {
	err  error
	sess *Session
	cust *passbook.Customer
}

func (e *sessionError) Error() string { return e.err.Error() }
func (e *sessionError) Unwrap() error { return e.err }

// origin returns the server's own origin for r.
func (h *Handler) origin(r *http.Request) string {
	if h.cfg.PublicURL != "" {
		if u, err := url.Parse(h.cfg.PublicURL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// allowedOrigins returns the origins that may frame the widget and receive its events: the
// server's own and the customer's AllowedOrigins that are well-formed origins.
func (h *Handler) allowedOrigins(r *http.Request, c *passbook.Customer) []string {
	out := []string{h.origin(r)}
	if c == nil {
		return out
	}
	for _, o := range c.Settings.AllowedOrigins {
		if norm, ok := normalizeOrigin(o); ok {
			out = append(out, norm)
		}
	}
	return out
}

// normalizeOrigin returns o as scheme://host[:port] when it is an http(s) origin and nothing more.
func normalizeOrigin(o string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(o))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsAny(u.Host, " ;,'\"") {
		return "", false
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), true
}

// customer returns the customer a widget URL is for: customerId, else the default customer.
func (h *Handler) customer(ctx context.Context, id string) (*passbook.Customer, error) {
	if id == "" {
		id = h.cfg.DefaultCustomerID
	}
	if id == "" || len(id) > 100 {
		return nil, passbook.Errorf(passbook.Unauthorized, "unknown customer")
	}
	c, err := h.cfg.Customers.Customer(ctx, id)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.Unauthorized, "unknown customer")
	}
	return c, err
}

// Session opens the sealed session of a widget request (the "s" form or query value) and
// returns it with its customer. The upload screen uses it to know whom it serves. A session that
// reached the upload offer after a login error has Ended set and no LoginID.
func (h *Handler) Session(r *http.Request) (*Session, *passbook.Customer, error) {
	return h.OpenSession(r.Context(), r.FormValue("s"))
}

// OpenSession opens a sealed session token, as carried by the widget's forms and upload links,
// and returns it with its customer. A forged, damaged or expired token is SESSION_EXPIRED.
func (h *Handler) OpenSession(ctx context.Context, token string) (*Session, *passbook.Customer, error) {
	sess, err := h.seal.open(token, h.now())
	if err != nil {
		return nil, nil, err
	}
	c, err := h.customer(ctx, sess.CustomerID)
	if err != nil {
		return nil, nil, err
	}
	return sess, c, nil
}

// Finish renders the success screen for a login made outside the credential flow (an upload):
// it posts REDIRECT with the login's id and sends the browser to redirectUrl as a linked login
// would.
func (h *Handler) Finish(w http.ResponseWriter, r *http.Request, sess *Session, c *passbook.Customer, login *passbook.Login) {
	if sess == nil || login == nil || login.Id == "" {
		h.render(w, r, h.errorView(r, fail(errors.New("connect: Finish without a session or a login"), sess, c)))
		return
	}
	h.finish(w, r, sess, c, login, 0)
}

// finish is Finish with the number of statements an upload sent (0: not an upload's count),
// which the success screen acknowledges.
func (h *Handler) finish(w http.ResponseWriter, r *http.Request, sess *Session, c *passbook.Customer, login *passbook.Login, received int) {
	sess.LoginID = login.Id
	h.tag(r, sess)
	if login.Institution != "" {
		sess.Institution = login.Institution
	}
	v := h.doneView(sess, c, "")
	v.Received = received
	h.render(w, r, v)
}

func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawStdEncoding.EncodeToString(b[:])
}

// render writes v with its security headers.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, v *view) {
	v.h = h
	v.Nonce = newNonce()
	if v.Lang == "" {
		v.Lang = "en"
		if v.Sess != nil {
			v.Lang = v.Sess.Opts.Language
		}
	}
	if v.Sess != nil {
		v.Opts = v.Sess.Opts
		st, err := h.seal.seal(v.Sess, h.now())
		if err != nil {
			h.log.ErrorContext(r.Context(), "connect: seal session", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		v.State = st
		if v.OfferUpload && h.cfg.UploadPath != "" && v.Institution != "" {
			// A form posts the session: it stays out of the address bar, history and Referer.
			v.Upload = h.cfg.UploadPath + url.PathEscape(v.Institution)
		}
	} else {
		v.Opts, _ = ParseOptions(url.Values{"language": {v.Lang}})
	}
	origins := h.allowedOrigins(r, v.Customer)
	v.Client = clientData{Origins: origins, Events: v.Events, Redirect: v.Redirect,
		RedirectTop: v.Redirect != "" && !v.Opts.InnerRedirect, Poll: v.Page == "pending",
		Institution: v.Institution, Busy: translate(v.Lang, "connecting")}
	if v.Client.Events == nil {
		v.Client.Events = []Event{}
	}
	var buf bytes.Buffer
	if err := h.pages[v.Page].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.ErrorContext(r.Context(), "connect: render", "page", v.Page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-"+v.Nonce+"'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "+frameAncestors(origins))
	status := v.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// frameAncestors is the CSP source list for origins; the first is the server's own.
func frameAncestors(origins []string) string {
	parts := []string{"'self'"}
	parts = append(parts, origins[1:]...)
	return strings.Join(parts, " ")
}
