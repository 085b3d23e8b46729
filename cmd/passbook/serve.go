package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/institution/sandbox"
	"github.com/passbookhq/passbook/internal/metrics"
	"github.com/passbookhq/passbook/upload"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("serve", args, stderr)
	if err != nil {
		return err
	}
	// The port first: a second server on a taken port must not create keys it cannot serve.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	cfg.listenAddr = ln.Addr().String()
	srv, err := newServer(ctx, cfg, stdout, cfg.logger(stderr))
	if err != nil {
		ln.Close()
		return err
	}
	return srv.Serve(ctx, ln)
}

// server is a running Passbook: its database and everything wired to it.
type server struct {
	cfg  *config
	log  *slog.Logger
	db   *database
	http *http.Server
	out  io.Writer
	jobs *jobs         // uploads, the durable queue and webhooks (jobs.go)
	demo *demoReceiver // the demo's webhook receiver (demo.go); nil when off
	// setupPath is the one-time link that creates the first Dashboard admin; "" once one exists.
	setupPath string
	// metrics is served at /metrics (metrics.go).
	metrics *metrics.Registry
}

// newServer opens the data directory and the database (creating both on first run) and wires
// every part together. It is the only place that knows all the parts.
func newServer(ctx context.Context, cfg *config, stdout io.Writer, log *slog.Logger) (*server, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, log: log, db: db, out: stdout, metrics: newMetrics(db.read, db.postgres())}
	customer, keys, err := db.EnsureDefaultCustomer(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if keys != nil {
		fmt.Fprintf(stdout, "Created the default customer. These keys are shown once; keep them:\n  CustomerId: %s\n  x-api-key (data endpoints): %s\n  flinks-auth-key (GenerateAuthorizeToken): %s\n",
			customer.Id, keys.APIKey, keys.Secret)
	}
	mux := http.NewServeMux()
	// The login service (sandbox institutions, saved credentials sealed with the credentials key)
	// and the Flinks-compatible API on top of it.
	credKey, err := authorize.LoadKey(cfg.DataDir, cfg.CredentialsKey)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("credentials key: %w", err)
	}
	registry := institution.NewRegistry(sandbox.New(sandbox.Options{})...)
	authz, err := authorize.New(authorize.Config{DB: db, Key: credKey, Connectors: registry,
		// Linked logins are announced by webhooks (jobs.go), like uploads.
		OnLogin: func(ctx context.Context, ev authorize.LoginEvent) { s.announceLogin(ctx, registry, ev) }})
	if err != nil {
		db.Close()
		return nil, err
	}
	apiServer := api.New(api.Config{DB: db, Auth: authz, Log: log, TrustedProxies: cfg.TrustedProxies, Statements: s.statementSource(registry)})
	apiServer.Register(mux)
	// The operator's customer management (the admin key of `passbook customer admin-key`).
	(&api.Admin{Customers: db, DataDir: cfg.DataDir, Changed: apiServer.ForgetKeys}).Register(mux)
	// The Connect widget at /v2/ and the demo page at /, on the same login service.
	var testUsers []connect.TestUser
	for _, u := range sandbox.TestUsers() {
		testUsers = append(testUsers, connect.TestUser{Institution: sandbox.FlinksCapital, Username: u.Username,
			Password: u.Password, Outcome: cmp.Or(string(u.Code), "Success"), Notes: u.Notes})
	}
	widget, err := connect.New(connect.Config{Authorizer: authz, Customers: db, DefaultCustomerID: customer.Id,
		RedeemToken: authz.UseAuthorizeToken, TestUsers: testUsers, PublicURL: cfg.PublicURL,
		SessionKey: connect.DeriveKey(credKey), Logger: log, TagLogin: db.SetLoginTag,
		// The upload screens (Primary, Fallback, force upload at /v2/upload/{institution}) send
		// to the intake of package upload, wired in jobs.go.
		UploadPath:   "/v2/upload/",
		UploadLimits: connect.UploadLimits{MaxFiles: upload.MaxFiles, MaxFileBytes: upload.MaxFileBytes, MaxTotal: upload.MaxTotal},
		UploadLogin: func(ctx context.Context, customerID, loginID string) (*passbook.Login, error) {
			rec, err := db.LoginRecord(ctx, customerID, loginID)
			if err != nil {
				return nil, err
			}
			return &rec.Login, nil
		},
		LoginAccounts: func(ctx context.Context, customerID, loginID string) ([]passbook.Account, error) {
			if _, err := db.LoginRecord(ctx, customerID, loginID); err != nil {
				return nil, err
			}
			return db.Accounts(ctx, loginID)
		}})
	if err != nil {
		db.Close()
		return nil, err
	}
	widget.Register(mux)
	if err := s.newDemoReceiver(mux); err != nil {
		db.Close()
		return nil, err
	}
	if s.jobs, err = s.newJobs(ctx, mux, customer); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.db.exclusive(ctx, func(ctx context.Context) error { return s.ensureDemoEndpoint(ctx, customer) }); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.newDashboard(mux, s.jobs); err != nil {
		db.Close()
		return nil, err
	}
	if s.setupPath, err = s.firstAdminLink(ctx, customer.Id); err != nil {
		db.Close()
		return nil, err
	}
	if s.setupPath != "" {
		base := strings.TrimSuffix(cmp.Or(cfg.PublicURL, "http://"+cmp.Or(cfg.listenAddr, cfg.Addr)), "/")
		fmt.Fprintf(stdout, "Create the first Dashboard admin with this one-time link (valid 72 hours): %s%s\n", base, s.setupPath)
	}
	s.jobs.useWidget(widget)
	mux.Handle("GET /metrics", s.metrics)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.read.PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	s.http = &http.Server{
		Handler:           s.metrics.Requests(minRate(limitBodies(mux), cfg.BodyMinRate, cfg.BodyGrace)),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// maxRequestBody bounds the body of every request but uploads (which have their own limits):
// JSON calls, forms and webhook registrations are small.
const maxRequestBody = 1 << 20

// limitBodies answers 413 to a request, other than an upload, whose body is larger than
// maxRequestBody: at once when its Content-Length says so, or as soon as a handler reads past it.
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/upload") && r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > maxRequestBody {
				api.WriteError(w, r, passbook.Errorf(passbook.PayloadTooLarge, "The request body is larger than %d bytes.", maxRequestBody))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		}
		next.ServeHTTP(w, r)
	})
}

// minRate cuts off a request whose body arrives slower, on average, than rate bytes a second
// once grace has passed: a slow-drip client cannot hold a connection and a temporary file for
// long, while a genuine large upload on a slow line (above the rate) goes through whatever its
// size. The body's read deadline moves on with every byte received.
func minRate(next http.Handler, rate int64, grace time.Duration) http.Handler {
	if rate <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			b := &rateBody{ReadCloser: r.Body, rc: http.NewResponseController(w), start: time.Now(), rate: rate, grace: grace}
			b.rc.SetReadDeadline(b.start.Add(grace))
			r.Body = b
		}
		next.ServeHTTP(w, r)
	})
}

type rateBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	rate  int64
	grace time.Duration
	n     int64
}

func (b *rateBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.n += int64(n)
		b.rc.SetReadDeadline(b.start.Add(b.grace + time.Duration(float64(b.n)/float64(b.rate)*float64(time.Second))))
	}
	return n, err
}

// Serve answers on ln until ctx ends, then shuts down gracefully: it stops accepting, lets
// requests in flight finish for up to cfg.ShutdownWait, and closes the database.
func (s *server) Serve(ctx context.Context, ln net.Listener) error {
	s.log.Info("passbook listening", "addr", "http://"+ln.Addr().String(), "data", s.cfg.DataDir)
	fmt.Fprintf(s.out, "Passbook is running at http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	if s.demo != nil {
		fmt.Fprintf(s.out, "Webhooks of the default customer arrive at http://%s/demo/webhooks (--demo-receiver=false to turn off)\n", ln.Addr())
		s.demo.start()
	}
	if err := s.jobs.start(ctx); err != nil {
		s.Close()
		return err
	}
	janitorDone := make(chan struct{})
	go func() {
		defer close(janitorDone)
		s.janitor(ctx)
	}()
	defer func() { <-janitorDone }()
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownWait)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if err2 := <-errc; !errors.Is(err2, http.ErrServerClosed) && err == nil {
		err = err2
	}
	err = errors.Join(err, s.jobs.stop(sctx), s.demo.stop(sctx))
	return errors.Join(err, s.Close())
}

// Close releases the database (and the demo receiver's listener).
func (s *server) Close() error {
	if s.demo != nil {
		s.demo.ln.Close()
	}
	return s.db.Close()
}
