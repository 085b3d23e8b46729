// Package api is Passbook's Flinks-compatible JSON API under /v3/{customerId}/BankingServices/:
// GenerateAuthorizeToken, Authorize, AuthorizeMultiple, GetAccountsDetail (+Async),
// GetAccountsSummary (+Async) and DeleteCard, with Flinks' field names, headers and error shape,
// and its OpenAPI description at /openapi.json. Handlers return errors; WriteError maps them.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/sqlite"
)

// Config is what New needs.
type Config struct {
	DB   *sqlite.DB
	Auth *authorize.Service
	Log  *slog.Logger
	// AuthorizeRate and AuthorizeBurst limit Authorize (and, separately, GenerateAuthorizeToken)
	// calls per customer key: requests per second, and how many may come at once; 0 means 10 per
	// second with bursts of 50.
	AuthorizeRate  float64
	AuthorizeBurst int
	// CacheBytes bounds the cache of encoded account data; 0 means 64 MiB, <0 disables it.
	CacheBytes int
	Now        func() time.Time // nil means time.Now
}

// Server serves the API.
type Server struct {
	db      *sqlite.DB
	auth    *authorize.Service
	log     *slog.Logger
	limiter *limiter
	cache   *cache
	keys    *keyCache
	now     func() time.Time
}

// New returns the API server.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AuthorizeRate <= 0 {
		cfg.AuthorizeRate = 10
	}
	if cfg.AuthorizeBurst <= 0 {
		cfg.AuthorizeBurst = 50
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = 64 << 20
	}
	return &Server{
		db:      cfg.DB,
		auth:    cfg.Auth,
		log:     cfg.Log,
		limiter: newLimiter(cfg.AuthorizeRate, cfg.AuthorizeBurst, cfg.Now),
		cache:   newCache(cfg.CacheBytes),
		keys:    newKeyCache(cfg.Now),
		now:     cfg.Now,
	}
}

const base = "/v3/{customerId}/BankingServices/"

// Register mounts the API's routes on mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.Handle("POST "+base+"GenerateAuthorizeToken", s.handle(s.generateAuthorizeToken))
	mux.Handle("POST "+base+"Authorize", s.handle(s.authorize))
	mux.Handle("POST "+base+"AuthorizeMultiple", s.handle(s.authorizeMultiple))
	mux.Handle("POST "+base+"GetAccountsDetail", s.handle(s.getAccountsDetail))
	mux.Handle("GET "+base+"GetAccountsDetailAsync/{requestId}", s.handle(s.getAccountsDetailAsync))
	mux.Handle("POST "+base+"GetAccountsSummary", s.handle(s.getAccountsSummary))
	mux.Handle("GET "+base+"GetAccountsSummaryAsync/{requestId}", s.handle(s.getAccountsSummaryAsync))
	mux.Handle("DELETE "+base+"DeleteCard/{loginId}", s.handle(s.deleteCard))
	mux.Handle("GET /openapi.json", http.HandlerFunc(serveOpenAPI))
	mux.Handle("/v3/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return passbook.Errorf(passbook.NotFound, "There is no endpoint %s %s.", r.Method, truncate(r.URL.Path, 120))
	}))
}

// handle adapts a handler that returns an error, and gives it the server's logger.
func (s *Server) handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(WithLogger(r.Context(), s.log))
		if err := h(w, r); err != nil {
			WriteError(w, r, err)
		}
	})
}

// Link is one entry of a response's Links, as Flinks writes them.
type Link struct {
	Rel     string  `json:"rel"`
	Href    string  `json:"href"`
	Example *string `json:"example"`
}

func customerID(r *http.Request) (string, error) {
	id := r.PathValue("customerId")
	if id == "" || len(id) > 100 {
		return "", passbook.Errorf(passbook.Unauthorized, "Unknown customer.")
	}
	return id, nil
}

// checkAPIKey authenticates a data endpoint: the customer's key in x-api-key.
func (s *Server) checkAPIKey(ctx context.Context, r *http.Request) (string, error) {
	id, err := customerID(r)
	if err != nil {
		return "", err
	}
	key := r.Header.Get("x-api-key")
	if key == "" {
		return "", passbook.Errorf(passbook.Unauthorized, "The x-api-key header is missing.")
	}
	if s.keys.ok(id, key) {
		return id, nil
	}
	ok, err := s.db.CheckAPIKey(ctx, id, key)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", passbook.Errorf(passbook.Unauthorized, "The x-api-key is not valid for this customer.")
	}
	s.keys.remember(id, key)
	return id, nil
}

// checkAuthKey authenticates Authorize and AuthorizeMultiple: flinks-auth-key holds a one-use
// token from GenerateAuthorizeToken, or the customer's secret (server to server). Calls are rate
// limited per customer key before the key is checked, so guessing is throttled too.
func (s *Server) checkAuthKey(ctx context.Context, r *http.Request) (*passbook.Customer, error) {
	id, err := customerID(r)
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(r.Header.Get("flinks-auth-key"))
	if key == "" {
		return nil, passbook.Errorf(passbook.Unauthorized, "The flinks-auth-key header is missing.")
	}
	c, err := s.db.Customer(ctx, id)
	if passbook.ErrorCode(err) == passbook.NotFound {
		return nil, passbook.Errorf(passbook.Unauthorized, "The flinks-auth-key is not valid for this customer.")
	}
	if err != nil {
		return nil, err
	}
	if !s.limiter.allow(c.Id) {
		return nil, passbook.Errorf(passbook.TooManyRequests, "Too many Authorize calls for this key; slow down.")
	}
	ok, err := s.db.CheckSecret(ctx, c.Id, key)
	if err != nil {
		return nil, err
	}
	if ok {
		return c, nil
	}
	if err := s.auth.UseAuthorizeToken(ctx, c.Id, key); err != nil {
		return nil, err
	}
	return c, nil
}
