// Package api is Passbook's Flinks-compatible JSON API under /v3/{customerId}/BankingServices/:
// GenerateAuthorizeToken, Authorize, AuthorizeMultiple, GetAccountsDetail (+Async),
// GetAccountsSummary (+Async) and DeleteCard, with Flinks' field names, headers and error shape,
// and its OpenAPI description at /openapi.json. Handlers return errors; WriteError maps them.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/authorize"
)

// Keys checks a customer's credentials; the storage implements it.
type Keys interface {
	// CheckAPIKey reports whether key is customer id's API key (false for an unknown or disabled
	// customer).
	CheckAPIKey(ctx context.Context, id, key string) (bool, error)
	// CheckSecret reports whether secret is customer id's secret (the flinks-auth-key).
	CheckSecret(ctx context.Context, id, secret string) (bool, error)
	// CheckAccessToken reports whether token is a live access token of customerID at now.
	CheckAccessToken(ctx context.Context, customerID, token string, now time.Time) (bool, error)
}

// Store is the storage the API reads and writes; the storage packages implement it.
type Store interface {
	Keys
	// Customer returns an enabled customer; passbook.ErrNotFound when there is none.
	Customer(ctx context.Context, id string) (*passbook.Customer, error)
	// CreateAccessToken stores a new access token of customerID valid until expires.
	CreateAccessToken(ctx context.Context, customerID string, now, expires time.Time) (string, error)
	// Accounts returns a login's accounts with their transactions, in the order they were saved.
	Accounts(ctx context.Context, loginID string) ([]passbook.Account, error)
	// LoginDocuments returns the documents of an Upload login with their staff reviews.
	LoginDocuments(ctx context.Context, loginID string) ([]passbook.Document, error)
	// SetRequestOptions records the options of the data call made with a request.
	SetRequestOptions(ctx context.Context, id, options string) error
}

// Config is what New needs.
type Config struct {
	DB   Store
	Auth *authorize.Service
	Log  *slog.Logger
	// AuthorizeRate and AuthorizeBurst limit Authorize (and, separately, GenerateAuthorizeToken)
	// calls per customer key: requests per second, and how many may come at once; 0 means 10 per
	// second with bursts of 50.
	AuthorizeRate  float64
	AuthorizeBurst int
	// Calls with a wrong credential are limited per client address, at the same rate and burst;
	// TrustedProxies are the proxies whose X-Forwarded-For names the client (none by default).
	TrustedProxies []netip.Prefix
	// CacheBytes bounds the cache of encoded account data; 0 means 64 MiB, <0 disables it.
	CacheBytes int
	Now        func() time.Time // nil means time.Now
	// Statements finds the statements GetStatements returns; nil: GetStatements answers NOT_FOUND.
	Statements StatementSource
}

// Server serves the API.
type Server struct {
	db       Store
	auth     *authorize.Service
	log      *slog.Logger
	limiter  *limiter // calls with a right credential, per customer and kind
	failures *limiter // calls with a wrong credential, per client address
	trusted  []netip.Prefix
	cache    *cache
	keys     *keyCache
	routes   routeTable
	now      func() time.Time
	// statements finds GetStatements' files
	statements StatementSource
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
	routes, err := newRouteTable(OpenAPI)
	if err != nil {
		panic("api: the embedded openapi.json does not parse: " + err.Error())
	}
	return &Server{
		routes:     routes,
		statements: cfg.Statements,
		db:         cfg.DB,
		auth:       cfg.Auth,
		log:        cfg.Log,
		limiter:    newLimiter(cfg.AuthorizeRate, cfg.AuthorizeBurst, cfg.Now),
		failures:   newLimiter(cfg.AuthorizeRate, cfg.AuthorizeBurst, cfg.Now),
		trusted:    cfg.TrustedProxies,
		cache:      newCache(cfg.CacheBytes),
		keys:       newKeyCache(cfg.Now),
		now:        cfg.Now,
	}
}

const base = "/v3/{customerId}/BankingServices/"

// Register mounts the API's routes on mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.Handle("POST "+base+"GenerateAuthorizeToken", s.handle(s.generateAuthorizeToken))
	mux.Handle("POST "+base+"Authorize", s.handle(s.authorize))
	mux.Handle("POST "+base+"AuthorizeMultiple", s.handle(s.authorizeMultiple))
	mux.Handle("POST "+base+"GetAccountsDetail", s.handle(s.getAccountsDetail))
	mux.Handle("POST "+base+"Token", s.handle(s.token))
	// Flinks documents GET for the Async endpoints; published clients send POST: both work.
	for _, m := range []string{"GET ", "POST "} {
		mux.Handle(m+base+"GetAccountsDetailAsync/{requestId}", s.handle(s.getAccountsDetailAsync))
		mux.Handle(m+base+"GetAccountsSummaryAsync/{requestId}", s.handle(s.getAccountsSummaryAsync))
	}
	mux.Handle("POST "+base+"GetAccountsSummary", s.handle(s.getAccountsSummary))
	mux.Handle("POST "+base+"GetStatements", s.handle(s.getStatements))
	mux.Handle("GET "+base+"GetStatementsAsync/{requestId}", s.handle(s.getStatementsAsync))
	mux.Handle("POST "+base+"GetStatementsAsync/{requestId}", s.handle(s.getStatementsAsync))
	mux.Handle("DELETE "+base+"DeleteCard/{loginId}", s.handle(s.deleteCard))
	mux.Handle("GET /openapi.json", http.HandlerFunc(serveOpenAPI))
	mux.Handle("/v3/", s.fallback(mux))
	mux.Handle("/V3/", s.fallback(mux))
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
	id := strings.ToLower(r.PathValue("customerId"))
	if id == "" || len(id) > 100 {
		return "", passbook.Errorf(passbook.Unauthorized, "Unknown customer.")
	}
	return id, nil
}

// ForgetKeys drops what the server remembers of customerID's verified keys (for 30 s, to spare
// the database a query per request): the next request checks them again.
func (s *Server) ForgetKeys(customerID string) { s.keys.forget(customerID) }

// checkAPIKey authenticates a data endpoint: the customer's key in x-api-key, or
// Authorization: Bearer with an access token from Token (or the customer's secret).
func (s *Server) checkAPIKey(ctx context.Context, r *http.Request) (string, error) {
	id, err := customerID(r)
	if err != nil {
		return "", err
	}
	key := r.Header.Get("x-api-key")
	if key == "" {
		if tok := Bearer(r); tok != "" {
			return id, s.checkBearer(ctx, id, tok)
		}
		return "", passbook.Errorf(passbook.Unauthorized, "The x-api-key header (or Authorization: Bearer) is missing.")
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

// checkBearer accepts an access token of customer id, or its secret.
func (s *Server) checkBearer(ctx context.Context, id, tok string) error {
	if s.keys.ok(id, "bearer:"+tok) {
		return nil
	}
	ok, err := CheckBearer(ctx, s.db, id, tok, s.now())
	if err != nil {
		return err
	}
	if !ok {
		return passbook.Errorf(passbook.AccessDenied, "The Bearer token is not valid for this customer (it may have expired; call Token again).")
	}
	s.keys.remember(id, "bearer:"+tok)
	return nil
}

// Bearer returns the token of an "Authorization: Bearer …" header, or "".
func Bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// CheckBearer reports whether tok, sent as Authorization: Bearer, is a live access token of
// customer id or the customer's secret (as Flinks' FraudAnalysis documents it).
func CheckBearer(ctx context.Context, db Keys, id, tok string, now time.Time) (bool, error) {
	if tok == "" || len(tok) > 200 {
		return false, nil
	}
	ok, err := db.CheckAccessToken(ctx, id, tok, now)
	if err != nil || ok {
		return ok, err
	}
	return db.CheckSecret(ctx, id, tok)
}

// Authenticate is the key check of every /v3/{customerId} endpoint outside BankingServices
// (uploads, fraud analysis, webhooks): x-api-key, or Authorization: Bearer with an access token
// or the secret. It returns the customer id as stored (lower case).
func Authenticate(ctx context.Context, db Keys, r *http.Request) (string, error) {
	id, err := customerID(r)
	if err != nil {
		return "", err
	}
	if key := r.Header.Get("x-api-key"); key != "" {
		ok, err := db.CheckAPIKey(ctx, id, key)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", passbook.Errorf(passbook.Unauthorized, "The x-api-key is not valid for this customer.")
		}
		return id, nil
	}
	tok := Bearer(r)
	if tok == "" {
		return "", passbook.Errorf(passbook.Unauthorized, "The x-api-key header (or Authorization: Bearer) is missing.")
	}
	ok, err := CheckBearer(ctx, db, id, tok, time.Now())
	if err != nil {
		return "", err
	}
	if !ok {
		return "", passbook.Errorf(passbook.AccessDenied, "The Bearer token is not valid for this customer.")
	}
	return id, nil
}

// checkAuthKey authenticates Authorize and AuthorizeMultiple: flinks-auth-key (or
// Authorization: Bearer) holds a one-use token from GenerateAuthorizeToken, an access token from
// Token, or the customer's secret (server to server). A wrong key is ACCESS_DENIED and spends the
// failure budget of the client's address (guessing is throttled); a right one spends the
// customer's Authorize budget, which strangers cannot touch.
func (s *Server) checkAuthKey(ctx context.Context, r *http.Request) (*passbook.Customer, error) {
	id, err := customerID(r)
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(r.Header.Get("flinks-auth-key"))
	if key == "" {
		key = Bearer(r)
	}
	if key == "" {
		return nil, passbook.Errorf(passbook.AccessDenied, "The flinks-auth-key header (or Authorization: Bearer) is missing.")
	}
	addr, err := s.credentialGate(r)
	if err != nil {
		return nil, err
	}
	c, err := s.db.Customer(ctx, id)
	if errors.Is(err, passbook.ErrNotFound) {
		s.failed(addr)
		return nil, passbook.Errorf(passbook.AccessDenied, "The flinks-auth-key is not valid for this customer.")
	}
	if err != nil {
		return nil, err
	}
	ok, err := CheckBearer(ctx, s.db, c.Id, key, s.now())
	if err != nil {
		return nil, err
	}
	if !ok {
		if err := s.auth.UseAuthorizeToken(ctx, c.Id, key); err != nil {
			if passbook.ErrorCode(err) == passbook.Unauthorized {
				s.failed(addr)
				return nil, &passbook.Error{Code: passbook.AccessDenied, Message: passbook.PublicMessage(err)}
			}
			return nil, err
		}
	}
	if err := s.spend("Authorize", c.Id); err != nil {
		return nil, err
	}
	return c, nil
}
