// Package dashboard is the back office a lender's staff use: the logins and uploads of their
// customer account, each upload's documents with the authenticity verdict and the located
// signals drawn over the page, a staff upload form (Flinks' "Dashboard" upload mode) and the
// webhook delivery log. Staff sign in with the customer id and its API key; the session is a
// signed, HttpOnly, SameSite=Strict cookie, and every form post must come from the same origin.
package dashboard

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/sqlite"
)

//go:embed templates/*.html
var templateFS embed.FS

// sessionTTL is how long a staff session lasts.
const sessionTTL = 8 * time.Hour

const cookieName = "passbook_staff"

// Config is what the Dashboard needs.
type Config struct {
	DB    *sqlite.DB
	Blobs blob.Store
	PDF   pdf.Engine
	// Key signs the session cookies (32 bytes or more).
	Key []byte
	// Upload receives a staff upload (multipart body of r) for customer c and answers the
	// request itself, as the upload endpoints do; nil hides the upload form.
	Upload func(w http.ResponseWriter, r *http.Request, c *passbook.Customer) error
	// Redeliver queues a webhook delivery again; nil hides the button.
	Redeliver func(ctx context.Context, customerID string, deliveryID int64) error
	Logger    *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Handler serves the Dashboard under /dashboard/.
type Handler struct {
	cfg  Config
	tmpl *template.Template
}

// New parses the templates and returns the Dashboard.
func New(cfg Config) (*Handler, error) {
	if len(cfg.Key) < 32 {
		return nil, errors.New("dashboard: session key must be at least 32 bytes")
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
	return &Handler{cfg: cfg, tmpl: tmpl}, nil
}

// Register mounts the Dashboard's routes on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /dashboard/{$}", h.page(h.home))
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard/", http.StatusFound)
	})
	mux.HandleFunc("POST /dashboard/signin", h.signIn)
	mux.HandleFunc("POST /dashboard/signout", h.signOut)
	mux.HandleFunc("GET /dashboard/logins/{loginId}", h.page(h.login))
	mux.HandleFunc("GET /dashboard/logins/{loginId}/documents/{pos}/pages/{page}", h.page(h.pageView))
	mux.HandleFunc("GET /dashboard/upload", h.page(h.uploadForm))
	mux.HandleFunc("POST /dashboard/upload", h.staffUpload)
	mux.HandleFunc("GET /dashboard/webhooks", h.page(h.webhooks))
	mux.HandleFunc("POST /dashboard/webhooks/deliveries/{id}/redeliver", h.redeliver)
}

// view is what a page template gets.
type view struct {
	Title    string
	Customer *passbook.Customer
	Error    string
	Data     any
}

// page wraps a handler that needs a signed-in customer; without a session it shows sign-in.
func (h *Handler) page(fn func(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w)
		c, err := h.customer(r)
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			h.render(w, "signin.html", view{Title: "Sign in", Error: r.URL.Query().Get("error")})
			return
		}
		name, v, err := fn(w, r, c)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if name == "" { // the handler answered itself
			return
		}
		v.Customer = c
		h.render(w, name, v)
	}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := passbook.StatusOf(err)
	if status >= 500 {
		h.cfg.Logger.ErrorContext(r.Context(), "dashboard", "path", r.URL.Path, "err", err)
	}
	w.WriteHeader(status)
	h.render(w, "error.html", view{Title: "Error", Error: passbook.PublicMessage(err)})
}

func (h *Handler) render(w http.ResponseWriter, name string, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := h.tmpl.ExecuteTemplate(w, name, v); err != nil {
		h.cfg.Logger.Error("dashboard template", "name", name, "err", err)
	}
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

// --- sessions -------------------------------------------------------------------------------

func (h *Handler) sign(payload string) string {
	m := hmac.New(sha256.New, h.cfg.Key)
	m.Write([]byte("dashboard-session\x00" + payload))
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *Handler) verify(token string) (string, bool) {
	p64, s64, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(s64)
	if err1 != nil || err2 != nil {
		return "", false
	}
	m := hmac.New(sha256.New, h.cfg.Key)
	m.Write([]byte("dashboard-session\x00" + string(payload)))
	return string(payload), hmac.Equal(sig, m.Sum(nil))
}

// customer returns the signed-in customer of r.
func (h *Handler) customer(r *http.Request) (*passbook.Customer, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return nil, passbook.Errorf(passbook.Unauthorized, "not signed in")
	}
	payload, ok := h.verify(ck.Value)
	if !ok {
		return nil, passbook.Errorf(passbook.Unauthorized, "invalid session")
	}
	id, exp, _ := strings.Cut(payload, "|")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || h.cfg.Now().Unix() > unix {
		return nil, passbook.Errorf(passbook.Unauthorized, "session expired")
	}
	return h.cfg.DB.Customer(r.Context(), id)
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-origin form post refused", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	id := strings.TrimSpace(r.PostFormValue("customerId"))
	key := strings.TrimSpace(r.PostFormValue("apiKey"))
	ok, err := h.cfg.DB.CheckAPIKey(r.Context(), id, key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !ok {
		http.Redirect(w, r, "/dashboard/?error="+url.QueryEscape("That customer id and API key do not match."), http.StatusSeeOther)
		return
	}
	exp := h.cfg.Now().Add(sessionTTL)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: h.sign(id + "|" + strconv.FormatInt(exp.Unix(), 10)),
		Path: "/dashboard/", Expires: exp, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-origin form post refused", http.StatusForbidden)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/dashboard/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
}

// --- pages ----------------------------------------------------------------------------------

type loginRow struct {
	*sqlite.LoginRecord
	Status  string
	Verdict passbook.Verdict
	Files   int
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error) {
	logins, err := h.cfg.DB.Logins(r.Context(), c.Id)
	if err != nil {
		return "", view{}, err
	}
	rows := make([]loginRow, 0, len(logins))
	for _, l := range logins {
		row := loginRow{LoginRecord: l, Status: l.StatusAt(h.cfg.Now())}
		if l.Type == passbook.LoginUpload {
			docs, err := h.cfg.DB.LoginDocuments(r.Context(), l.Id)
			if err != nil {
				return "", view{}, err
			}
			row.Files = len(docs)
			row.Verdict = worstVerdict(docs)
		}
		rows = append(rows, row)
	}
	used, err := h.cfg.DB.CountUploads(r.Context(), c.Id)
	if err != nil {
		return "", view{}, err
	}
	return "home.html", view{Title: "Logins", Data: map[string]any{"Logins": rows, "UploadsUsed": used, "Quota": c.Settings.UploadQuota}}, nil
}

// worstVerdict is the verdict of an upload: its worst document's.
func worstVerdict(docs []passbook.Document) passbook.Verdict {
	v := passbook.Verdict("")
	rank := map[passbook.Verdict]int{"": 0, passbook.Pass: 1, passbook.Review: 2, passbook.Fail: 3}
	for _, d := range docs {
		if d.Authenticity != nil && rank[d.Authenticity.Verdict] > rank[v] {
			v = d.Authenticity.Verdict
		}
	}
	return v
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error) {
	ctx := r.Context()
	rec, err := h.cfg.DB.LoginRecord(ctx, c.Id, r.PathValue("loginId"))
	if passbook.ErrorCode(err) == passbook.InvalidLogin {
		return "", view{}, passbook.Errorf(passbook.NotFound, "There is no such login for this customer.")
	}
	if err != nil {
		return "", view{}, err
	}
	accounts, err := h.cfg.DB.Accounts(ctx, rec.Id)
	if err != nil {
		return "", view{}, err
	}
	docs, err := h.cfg.DB.LoginDocuments(ctx, rec.Id)
	if err != nil {
		return "", view{}, err
	}
	var up *sqlite.Upload
	if rec.Type == passbook.LoginUpload {
		if up, err = h.cfg.DB.UploadByLogin(ctx, c.Id, rec.Id); err != nil && passbook.ErrorCode(err) != passbook.NotFound {
			return "", view{}, err
		}
	}
	return "login.html", view{Title: "Login " + rec.Id, Data: map[string]any{
		"Login": rec, "Status": rec.StatusAt(h.cfg.Now()), "Accounts": accounts, "Documents": docs, "Upload": up,
	}}, nil
}

// pageView draws one page of an uploaded document as the statement engine read it: its words
// at their places, the filled rectangles under them, and the document's signals on that page
// outlined in red. It is an SVG, so a reviewer can zoom into a box.
func (h *Handler) pageView(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error) {
	ctx := r.Context()
	loginID := r.PathValue("loginId")
	pos, err1 := strconv.Atoi(r.PathValue("pos"))
	pageNo, err2 := strconv.Atoi(strings.TrimSuffix(r.PathValue("page"), ".svg"))
	if err1 != nil || err2 != nil || pos < 0 || pageNo < 1 {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "bad document or page number")
	}
	up, err := h.cfg.DB.UploadByLogin(ctx, c.Id, loginID)
	if err != nil {
		return "", view{}, err
	}
	if pos >= len(up.Files) {
		return "", view{}, passbook.Errorf(passbook.NotFound, "no such document")
	}
	docs, err := h.cfg.DB.LoginDocuments(ctx, loginID)
	if err != nil {
		return "", view{}, err
	}
	var signals []passbook.Signal
	for _, d := range docs {
		if d.SHA256 == up.Files[pos].SHA256 && d.Authenticity != nil {
			signals = d.Authenticity.Signals
			break
		}
	}
	rc, err := h.cfg.Blobs.Open(ctx, up.Files[pos].BlobKey)
	if err != nil {
		return "", view{}, err
	}
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	rc.Close()
	if err != nil {
		return "", view{}, err
	}
	doc, err := h.cfg.PDF.Open(ctx, data)
	if err != nil {
		return "", view{}, passbook.Errorf(passbook.UnsupportedFile, "this document cannot be drawn: %v", err)
	}
	if pageNo > len(doc.Pages) {
		return "", view{}, passbook.Errorf(passbook.NotFound, "the document has %d pages", len(doc.Pages))
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	if err := writeSVG(w, doc.Pages[pageNo-1], signals); err != nil {
		h.cfg.Logger.WarnContext(ctx, "dashboard svg", "err", err)
	}
	return "", view{}, nil
}

func (h *Handler) uploadForm(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error) {
	if h.cfg.Upload == nil {
		return "", view{}, passbook.Errorf(passbook.NotFound, "uploads are not enabled")
	}
	return "upload.html", view{Title: "Upload statements"}, nil
}

func (h *Handler) staffUpload(w http.ResponseWriter, r *http.Request) {
	c, err := h.customer(r)
	if err == nil && !sameOrigin(r) {
		err = passbook.Errorf(passbook.Unauthorized, "cross-origin upload refused")
	}
	if err == nil && h.cfg.Upload == nil {
		err = passbook.Errorf(passbook.NotFound, "uploads are not enabled")
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	// The upload answers with its JSON receipt; a person gets the new login's page instead.
	rec := &captured{header: http.Header{}}
	if err := h.cfg.Upload(rec, r, c); err != nil {
		h.writeError(w, r, err)
		return
	}
	var receipt struct{ LoginId string }
	if rec.status >= 300 || json.Unmarshal(rec.body.Bytes(), &receipt) != nil || receipt.LoginId == "" {
		w.Header().Set("Content-Type", rec.header.Get("Content-Type"))
		w.WriteHeader(max(rec.status, 200))
		w.Write(rec.body.Bytes())
		return
	}
	http.Redirect(w, r, "/dashboard/logins/"+url.PathEscape(receipt.LoginId), http.StatusSeeOther)
}

// captured keeps a small response in memory.
type captured struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captured) Header() http.Header { return c.header }
func (c *captured) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}
func (c *captured) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.body.Len()+len(b) > 1<<20 {
		return 0, errors.New("dashboard: response too large")
	}
	return c.body.Write(b)
}

// writeError answers a failed form post with the error page, in the status of its code.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	secureHeaders(w)
	h.fail(w, r, err)
}

func (h *Handler) webhooks(w http.ResponseWriter, r *http.Request, c *passbook.Customer) (string, view, error) {
	eps, err := h.cfg.DB.WebhookEndpoints(r.Context(), c.Id)
	if err != nil {
		return "", view{}, err
	}
	type endpoint struct {
		sqlite.WebhookEndpoint
		Deliveries []sqlite.WebhookDelivery
	}
	out := make([]endpoint, 0, len(eps))
	for _, e := range eps {
		ds, err := h.cfg.DB.WebhookDeliveries(r.Context(), c.Id, e.Id, 100)
		if err != nil {
			return "", view{}, err
		}
		out = append(out, endpoint{WebhookEndpoint: e, Deliveries: ds})
	}
	return "webhooks.html", view{Title: "Webhooks", Data: map[string]any{"Endpoints": out, "CanRedeliver": h.cfg.Redeliver != nil}}, nil
}

func (h *Handler) redeliver(w http.ResponseWriter, r *http.Request) {
	c, err := h.customer(r)
	if err == nil && !sameOrigin(r) {
		err = passbook.Errorf(passbook.Unauthorized, "cross-origin form post refused")
	}
	var id int64
	if err == nil {
		if id, err = strconv.ParseInt(r.PathValue("id"), 10, 64); err != nil {
			err = passbook.Errorf(passbook.InvalidRequest, "bad delivery id")
		}
	}
	if err == nil && h.cfg.Redeliver == nil {
		err = passbook.Errorf(passbook.NotFound, "redelivery is not enabled")
	}
	if err == nil {
		err = h.cfg.Redeliver(r.Context(), c.Id, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/dashboard/webhooks", http.StatusSeeOther)
}

var funcs = template.FuncMap{
	"money": func(m *passbook.Money) string {
		if m == nil {
			return ""
		}
		return m.String()
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05")
	},
	"size": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
	"pages": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	"box": func(b *passbook.Box) string {
		if b == nil {
			return ""
		}
		return fmt.Sprintf("(%.0f, %.0f)–(%.0f, %.0f)", b.X0, b.Y0, b.X1, b.Y1)
	},
	"pagesWithSignals": func(d passbook.Document) map[int]int {
		out := map[int]int{}
		if d.Authenticity != nil {
			for _, s := range d.Authenticity.Signals {
				if s.Page > 0 {
					out[s.Page]++
				}
			}
		}
		return out
	},
	"last": func(n int) int { return n - 1 },
}
