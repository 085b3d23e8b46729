// Package dashboard is the review desk a lender's staff use: the logins of their customer
// account, searchable and filtered in SQL; a login at a glance (accounts, balance and cash-flow
// charts, transactions); the evidence of each uploaded document (the original page rendered,
// with its authenticity signals boxed over it); decisions with an audit trail; exports; a staff
// upload form (Flinks' "Dashboard" upload mode) and the webhook delivery log.
//
// Staff are named users with their own passwords (argon2id) and a role. A session is a random
// token in an HttpOnly, SameSite=Strict cookie whose hash is stored server-side, so sign-out and
// expiry end it; every form post must come from the same origin.
package dashboard

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/queue"
)

//go:embed templates/*.html static/*
var templateFS embed.FS

// sessionTTL is how long a staff session lasts.
const sessionTTL = 8 * time.Hour

const cookieName = "passbook_staff"

// Renderer draws page n (1-based) of a PDF as a PNG at dpi dots per inch.
type Renderer func(ctx context.Context, data []byte, page int, dpi float64) ([]byte, error)

// Config is what the Dashboard needs.
type Config struct {
	DB    Store
	Blobs blob.Store
	PDF   pdf.Engine
	// Render draws an original page as an image; nil shows the page as read (an SVG drawing).
	Render Renderer
	// ClientAddr names the client of a request, for the sign-in limit per address (the server
	// passes api.ClientAddr with its --trusted-proxy list, so that behind a proxy each client is
	// counted apart); nil means the connection's peer.
	ClientAddr func(r *http.Request) string
	// SecureCookies marks the session cookie Secure (set it when the public URL is https; a
	// request that arrived over TLS gets it anyway).
	SecureCookies bool
	// Upload receives a staff upload (multipart body of r) for customer c and answers the
	// request itself, as the upload endpoints do; nil hides the upload form.
	Upload func(w http.ResponseWriter, r *http.Request, c *passbook.Customer) error
	// Redeliver queues a webhook delivery again; nil hides the button.
	Redeliver func(ctx context.Context, customerID string, deliveryID int64) error
	// Queue, when set, sends a DECISION webhook event for every decision.
	Queue  queue.Inserter
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Handler serves the Dashboard under /dashboard/.
type Handler struct {
	cfg     Config
	tmpl    *template.Template
	limiter *limiter
}

// New parses the templates and returns the Dashboard.
func New(cfg Config) (*Handler, error) {
	if cfg.DB == nil {
		return nil, errors.New("dashboard: no database")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, tmpl: tmpl, limiter: newLimiter(10, 15*time.Minute)}, nil
}

// Register mounts the Dashboard's routes on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard/", http.StatusFound)
	})
	mux.HandleFunc("GET /dashboard/static/{file}", h.static)
	mux.HandleFunc("POST /dashboard/signin", h.signIn)
	mux.HandleFunc("POST /dashboard/signout", h.signOut)
	mux.HandleFunc("GET /dashboard/setup/{token}", h.setupForm)
	mux.HandleFunc("POST /dashboard/setup/{token}", h.setup)

	mux.HandleFunc("GET /dashboard/{$}", h.page(roleReadOnly, h.home))
	mux.HandleFunc("GET /dashboard/logins/{loginId}", h.page(roleReadOnly, h.login))
	mux.HandleFunc("POST /dashboard/logins/{loginId}/decisions", h.action(roleAnalyst, h.decide))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/transactions.csv", h.page(roleAnalyst, h.exportCSV))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/transactions.xlsx", h.page(roleAnalyst, h.exportXLSX))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/report.pdf", h.page(roleAnalyst, h.exportReport))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/documents/{pos}", h.page(roleReadOnly, h.evidence))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/documents/{pos}/original", h.page(roleReadOnly, h.original))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/documents/{pos}/pages/{page}", h.page(roleReadOnly, h.pageImage))
	mux.HandleFunc("GET /dashboard/upload", h.page(roleAnalyst, h.uploadForm))
	mux.HandleFunc("POST /dashboard/upload", h.staffUpload)
	mux.HandleFunc("GET /dashboard/webhooks", h.page(roleReadOnly, h.webhooks))
	mux.HandleFunc("POST /dashboard/webhooks/deliveries/{id}/redeliver", h.action(roleAnalyst, h.redeliver))
	mux.HandleFunc("GET /dashboard/audit", h.page(roleAdmin, h.auditPage))
	mux.HandleFunc("GET /dashboard/staff", h.page(roleAdmin, h.staffPage))
	mux.HandleFunc("POST /dashboard/staff/invites", h.action(roleAdmin, h.invite))
	mux.HandleFunc("POST /dashboard/staff/{id}/disable", h.action(roleAdmin, h.disableStaff))
	mux.HandleFunc("POST /dashboard/staff/{id}/enable", h.action(roleAdmin, h.enableStaff))
}

// view is what a page template gets.
type view struct {
	Title    string
	Customer *passbook.Customer
	User     *passbook.StaffUser
	Lang     string
	Error    string
	Notice   string
	Data     any
}

// request is a signed-in staff member's request.
type request struct {
	*http.Request
	User     *passbook.StaffUser
	Customer *passbook.Customer
	Lang     string
}

func (r *request) audit(h *Handler, action, loginID string, doc int, detail string) {
	err := h.cfg.DB.Audit(r.Context(), passbook.AuditEntry{CustomerID: r.Customer.Id, UserID: r.User.Id, UserName: r.User.Name,
		Action: action, LoginID: loginID, Document: doc, Detail: detail, CreatedAt: h.cfg.Now()})
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "dashboard audit", "action", action, "err", err)
	}
}

type handlerFunc func(w http.ResponseWriter, r *request) (string, view, error)

// page wraps a handler that needs a signed-in user of at least role; without a session it
// shows sign-in.
func (h *Handler) page(role int, fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w)
		req, err := h.signedIn(r)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			h.render(w, "signin.html", view{Title: "Sign in", Error: r.URL.Query().Get("error")})
			return
		}
		if err := allowed(req.User, role); err != nil {
			h.fail(w, r, err)
			return
		}
		name, v, err := fn(w, req)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if name == "" { // the handler answered itself
			return
		}
		v.Customer, v.User, v.Lang = req.Customer, req.User, req.Lang
		if v.Notice == "" {
			v.Notice = r.URL.Query().Get("notice")
		}
		h.render(w, name, v)
	}
}

// action wraps a form post: same origin, signed in, role.
func (h *Handler) action(role int, fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w)
		if !sameOrigin(r) {
			h.fail(w, r, errForbidden("cross-origin form post refused"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		req, err := h.signedIn(r)
		if err == nil {
			err = allowed(req.User, role)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		name, v, err := fn(w, req)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if name != "" {
			v.Customer, v.User, v.Lang = req.Customer, req.User, req.Lang
			h.render(w, name, v)
		}
	}
}

// forbidden is a signed-in user's attempt at what their role does not allow.
type forbidden string

func (f forbidden) Error() string   { return string(f) }
func errForbidden(msg string) error { return forbidden(msg) }

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := passbook.StatusOf(err)
	msg := passbook.PublicMessage(err)
	var fb forbidden
	if errors.As(err, &fb) {
		status, msg = http.StatusForbidden, string(fb)
	}
	if status >= 500 {
		h.cfg.Logger.ErrorContext(r.Context(), "dashboard", "path", r.URL.Path, "err", err)
	}
	w.Header().Del("Content-Disposition")
	w.WriteHeader(status)
	h.render(w, "error.html", view{Title: "Error", Error: msg})
}

// render executes a template into memory, removes every character XML forbids (a PDF's text can
// hold any), and writes the page.
func (h *Handler) render(w http.ResponseWriter, name string, v view) {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, v); err != nil {
		h.cfg.Logger.Error("dashboard template", "name", name, "err", err)
		if w.Header().Get("Content-Type") == "" {
			http.Error(w, "The page could not be drawn.", http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(xmlClean(buf.Bytes()))
}

func secureHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cache-Control", "no-store")
}

// sameOrigin reports whether a form post comes from the Dashboard's own pages.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		// Browsers send Origin on POST; a request without one did not come from a page.
		ref, err := url.Parse(r.Header.Get("Referer"))
		return err == nil && ref.Host == r.Host
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

func (h *Handler) static(w http.ResponseWriter, r *http.Request) {
	b, err := templateFS.ReadFile("static/" + r.PathValue("file"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case bytes.HasPrefix([]byte(r.PathValue("file")), []byte("desk.js")):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// loginOf returns the signed-in customer's login named in the path, NOT_FOUND when it is not theirs.
func (h *Handler) loginOf(r *request) (*passbook.LoginRecord, error) {
	rec, err := h.cfg.DB.LoginRecord(r.Context(), r.Customer.Id, r.PathValue("loginId"))
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.NotFound, "There is no such login for this customer.")
	}
	return rec, err
}

func attachment(w http.ResponseWriter, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", asciiName(name), url.PathEscape(name)))
}

// asciiName keeps a file name's printable ASCII characters, for the plain filename parameter.
func asciiName(s string) string {
	out := make([]rune, 0, len(s))
	for _, c := range s {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			out = append(out, c)
		} else {
			out = append(out, '_')
		}
	}
	return string(out)
}
