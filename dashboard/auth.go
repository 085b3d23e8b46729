package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/passbookhq/passbook"
)

// Roles as ranks: a page names the least role that may see it.
const (
	roleReadOnly = iota + 1
	roleAnalyst
	roleAdmin
)

var roleRank = map[string]int{passbook.RoleReadOnly: roleReadOnly, passbook.RoleAnalyst: roleAnalyst, passbook.RoleAdmin: roleAdmin}

func allowed(u *passbook.StaffUser, role int) error {
	if roleRank[u.Role] >= role {
		return nil
	}
	return errForbidden("Your role (" + u.Role + ") does not allow this; ask an admin.")
}

// --- passwords ------------------------------------------------------------------------------

// argon2id parameters: OWASP's first recommended set (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password a staff user may choose.
const MinPasswordLength = 12

// HashPassword returns the argon2id hash of password as a PHC string.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether password matches a hash made by HashPassword.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked when no user has the e-mail given, so that a sign-in takes as long
// whether or not the address exists. It is made on the first sign-in, not when the program
// starts: argon2id costs ~0.1 s of CPU and 19 MB, which every `passbook` command paid.
var dummyHash = sync.OnceValue(func() string { return HashPassword("no user has this password") })

// --- sign-in rate limit -------------------------------------------------------------------------

// limiter counts failed sign-ins per key (client address, e-mail) in a fixed window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(max int, every time.Duration) *limiter {
	return &limiter{max: max, window: every, hits: map[string]*window{}}
}

// blocked reports whether key has failed too often; retry is when it may try again.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.hits[key]
	if w == nil || now.Sub(w.start) >= l.window {
		return false, 0
	}
	return w.n >= l.max, w.start.Add(l.window).Sub(now)
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) > 10000 { // forget old windows rather than grow without bound
		for k, w := range l.hits {
			if now.Sub(w.start) >= l.window {
				delete(l.hits, k)
			}
		}
	}
	w := l.hits[key]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &window{start: now}
		l.hits[key] = w
	}
	w.n++
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.hits, key)
	l.mu.Unlock()
}

func (h *Handler) clientAddr(r *http.Request) string {
	if h.cfg.ClientAddr != nil {
		return h.cfg.ClientAddr(r)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// --- sessions ---------------------------------------------------------------------------------

func (h *Handler) signedIn(r *http.Request) (*request, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil || ck.Value == "" {
		return nil, passbook.Errorf(passbook.Unauthorized, "not signed in")
	}
	u, err := h.cfg.DB.StaffSession(r.Context(), ck.Value, h.cfg.Now())
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.Unauthorized, "the session has ended")
	}
	if err != nil {
		return nil, err
	}
	c, err := h.cfg.DB.Customer(r.Context(), u.CustomerID)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.NotFound, "unknown customer")
	}
	if err != nil {
		return nil, err
	}
	return &request{Request: r, User: u, Customer: c, Lang: language(r)}, nil
}

// language is the Dashboard's language for r: French when the browser prefers it.
func language(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		return l
	}
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "fr") {
		return "fr"
	}
	return "en"
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, value string, exp time.Time) {
	// Path "/": the demo's webhook page sits behind the same sign-in.
	ck := &http.Cookie{Name: cookieName, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: h.cfg.SecureCookies || r.TLS != nil}
	if value == "" {
		ck.MaxAge = -1
	} else {
		ck.Expires = exp
	}
	http.SetCookie(w, ck)
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, u *passbook.StaffUser) error {
	now := h.cfg.Now()
	exp := now.Add(sessionTTL)
	token, err := h.cfg.DB.CreateStaffSession(r.Context(), u.Id, now, exp)
	if err != nil {
		return err
	}
	h.setCookie(w, r, token, exp)
	return nil
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	if !sameOrigin(r) {
		h.fail(w, r, errForbidden("cross-origin form post refused"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	now := h.cfg.Now()
	for _, key := range []string{"addr:" + h.clientAddr(r), "email:" + email} {
		if blocked, retry := h.limiter.blocked(key, now); blocked {
			w.Header().Set("Retry-After", fmt.Sprint(int(retry.Seconds())+1))
			w.WriteHeader(http.StatusTooManyRequests)
			h.render(w, "signin.html", view{Title: "Sign in", Error: "Too many failed sign-ins. Wait a few minutes and try again."})
			return
		}
	}
	u, err := h.cfg.DB.StaffUserByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, passbook.ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	ok := false
	if u != nil {
		ok = CheckPassword(u.PasswordHash, password) && !u.Disabled
	} else {
		CheckPassword(dummyHash(), password)
	}
	if !ok {
		h.limiter.fail("addr:"+h.clientAddr(r), now)
		h.limiter.fail("email:"+email, now)
		http.Redirect(w, r, "/dashboard/?error="+url.QueryEscape("That e-mail address and password do not match."), http.StatusSeeOther)
		return
	}
	h.limiter.reset("email:" + email)
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	h.cfg.DB.Audit(r.Context(), passbook.AuditEntry{CustomerID: u.CustomerID, UserID: u.Id, UserName: u.Name, Action: "sign_in",
		Document: -1, Detail: h.clientAddr(r), CreatedAt: now})
	http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
}

// RequireStaff serves next only to a signed-in staff member; others are sent to sign in (or get
// 401, for what is not a page).
func (h *Handler) RequireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := h.signedIn(r); err != nil {
			if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in to the Dashboard first", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// signOut deletes the session server-side, so the old cookie no longer works anywhere.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	if !sameOrigin(r) {
		h.fail(w, r, errForbidden("cross-origin form post refused"))
		return
	}
	if ck, err := r.Cookie(cookieName); err == nil && ck.Value != "" {
		if err := h.cfg.DB.DeleteStaffSession(r.Context(), ck.Value); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.setCookie(w, r, "", time.Time{})
	http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
}

// --- one-time links -------------------------------------------------------------------------

// inviteTTL is how long an invitation link works.
const inviteTTL = 72 * time.Hour

// FirstAdminLink returns the path of a one-time link that creates an admin of customerID, or ""
// when the customer already has staff users. `passbook serve` prints it on every start until
// the first admin exists (only the link's hash is stored, so a lost link is replaced by the next).
func FirstAdminLink(ctx context.Context, db Invites, customerID string, now time.Time) (string, error) {
	n, err := db.CountStaffUsers(ctx, customerID)
	if err != nil || n > 0 {
		return "", err
	}
	token, err := db.CreateStaffInvite(ctx, customerID, passbook.RoleAdmin, "", now.Add(inviteTTL))
	if err != nil {
		return "", err
	}
	return "/dashboard/setup/" + token, nil
}

type setupData struct {
	Role  string
	Token string
	Name  string
	Email string
}

func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	token := r.PathValue("token")
	_, role, err := h.cfg.DB.StaffInvite(r.Context(), token, h.cfg.Now())
	if err != nil {
		h.fail(w, r, inviteError(err))
		return
	}
	h.render(w, "setup.html", view{Title: "Create your account", Data: setupData{Role: role, Token: token}})
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w)
	if !sameOrigin(r) {
		h.fail(w, r, errForbidden("cross-origin form post refused"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	token := r.PathValue("token")
	_, role, err := h.cfg.DB.StaffInvite(r.Context(), token, h.cfg.Now())
	if err != nil {
		h.fail(w, r, inviteError(err))
		return
	}
	d := setupData{Role: role, Token: token, Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))}
	password := r.PostFormValue("password")
	var problem string
	switch {
	case d.Name == "" || len(d.Name) > 200:
		problem = "Enter your name."
	case !strings.Contains(d.Email, "@") || len(d.Email) > 254:
		problem = "Enter your e-mail address: you sign in with it."
	case len([]rune(password)) < MinPasswordLength:
		problem = fmt.Sprintf("Choose a password of at least %d characters.", MinPasswordLength)
	case password != r.PostFormValue("confirm"):
		problem = "The two passwords differ."
	}
	if problem != "" {
		w.WriteHeader(http.StatusBadRequest)
		h.render(w, "setup.html", view{Title: "Create your account", Error: problem, Data: d})
		return
	}
	u := &passbook.StaffUser{Name: d.Name, Email: d.Email, PasswordHash: HashPassword(password)}
	if err := h.cfg.DB.AcceptStaffInvite(r.Context(), token, u, h.cfg.Now()); err != nil {
		if errors.Is(err, passbook.ErrConflict) {
			w.WriteHeader(http.StatusBadRequest)
			h.render(w, "setup.html", view{Title: "Create your account", Error: "a staff user with this e-mail address already exists", Data: d})
			return
		}
		h.fail(w, r, inviteError(err))
		return
	}
	if err := h.startSession(w, r, u); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/dashboard/", http.StatusSeeOther)
}

// --- staff management (admins) ---------------------------------------------------------------

func (h *Handler) staffPage(w http.ResponseWriter, r *request) (string, view, error) {
	users, err := h.cfg.DB.StaffUsers(r.Context(), r.Customer.Id)
	if err != nil {
		return "", view{}, err
	}
	return "staff.html", view{Title: "Staff", Data: map[string]any{"Users": users}}, nil
}

func (h *Handler) invite(w http.ResponseWriter, r *request) (string, view, error) {
	role := r.PostFormValue("role")
	if _, ok := roleRank[role]; !ok {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "unknown role %q", role)
	}
	token, err := h.cfg.DB.CreateStaffInvite(r.Context(), r.Customer.Id, role, r.User.Id, h.cfg.Now().Add(inviteTTL))
	if err != nil {
		return "", view{}, err
	}
	r.audit(h, "invite", "", -1, role)
	users, err := h.cfg.DB.StaffUsers(r.Context(), r.Customer.Id)
	if err != nil {
		return "", view{}, err
	}
	scheme := "http"
	if h.cfg.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	link := scheme + "://" + r.Host + "/dashboard/setup/" + token
	return "staff.html", view{Title: "Staff", Data: map[string]any{"Users": users, "Link": link, "Role": role}}, nil
}

func (h *Handler) disableStaff(w http.ResponseWriter, r *request) (string, view, error) {
	return h.setDisabled(w, r, true)
}

func (h *Handler) enableStaff(w http.ResponseWriter, r *request) (string, view, error) {
	return h.setDisabled(w, r, false)
}

func (h *Handler) setDisabled(w http.ResponseWriter, r *request, disabled bool) (string, view, error) {
	id := r.PathValue("id")
	if id == r.User.Id {
		return "", view{}, passbook.Errorf(passbook.InvalidRequest, "You cannot disable yourself.")
	}
	err := h.cfg.DB.SetStaffUserDisabled(r.Context(), r.Customer.Id, id, disabled)
	if errors.Is(err, passbook.ErrNotFound) {
		return "", view{}, passbook.Errorf(passbook.NotFound, "no such staff user")
	}
	if err != nil {
		return "", view{}, err
	}
	r.audit(h, map[bool]string{true: "disable_user", false: "enable_user"}[disabled], "", -1, id)
	http.Redirect(w, r.Request, "/dashboard/staff", http.StatusSeeOther)
	return "", view{}, nil
}

// inviteError is what a spent, expired or unknown invitation link shows.
func inviteError(err error) error {
	if errors.Is(err, passbook.ErrNotFound) {
		return passbook.Errorf(passbook.NotFound, "this link was already used or has expired")
	}
	return err
}
