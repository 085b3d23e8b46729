package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/authorize"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/connect"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/institution"
	"github.com/passbookhq/passbook/ocr"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/upload"
	"github.com/passbookhq/passbook/webhook"
)

// jobs is the upload backend of a server: the blob store, the PDF engine, the River client
// with the processing and delivery workers, and their HTTP endpoints.
type jobs struct {
	blobs  blob.Store
	client *queue.Client
	pdf    *pdf.PDFium
	upload *upload.Service
	// On PostgreSQL: the River client's id, the replica's proof of life under it while the
	// client runs, and how often to look for jobs of replicas that died.
	db       *database
	clientID string
	live     *queue.Liveness
	check    time.Duration
	log      *slog.Logger
	watch    context.CancelFunc
}

// newJobs wires uploads, the durable queue and webhooks, and registers their routes on mux.
// The River client is started by Serve and stopped on shutdown.
func (s *server) newJobs(ctx context.Context, mux *http.ServeMux, customer *passbook.Customer) (*jobs, error) {
	where := s.cfg.Blobs
	if where == "" {
		where = filepath.Join(s.cfg.DataDir, "blobs")
	}
	blobs, err := blob.Open(ctx, where)
	if err != nil {
		return nil, err
	}
	eng, err := pdf.New(ctx, pdf.Options{})
	if err != nil {
		return nil, fmt.Errorf("pdf engine: %w", err)
	}
	guard := webhook.Guard{AllowPrivate: s.cfg.AllowPrivateWebhooks, Allow: s.demoAllow()}
	workers := river.NewWorkers()
	reader := startOCR(ctx, eng, ocr.Options{Command: s.cfg.Tesseract, Languages: s.cfg.OCRLanguages}, s.log)
	river.AddWorker(workers, &upload.Processor{DB: s.db, Blobs: blobs, Engine: newMeasuredEngine(engine.Engine{PDF: eng, OCR: reader}, s.metrics), Log: s.log})
	river.AddWorker(workers, webhook.NewSender(s.db, guard, s.log))
	river.AddWorker(workers, &webhook.LoginAnnouncer{DB: s.db, Log: s.log})
	id := queue.NewClientID()
	client, err := queue.New(ctx, s.db.write, workers, queue.Options{Logger: s.log, UploadWorkers: 2, WebhookWorkers: 8,
		Postgres: s.db.postgres(), Migrated: s.db.postgres(), ID: id, JobTimeout: s.cfg.JobTimeout, RescueAfter: s.cfg.RescueAfter})
	if err != nil {
		eng.Close()
		return nil, err
	}
	j := &jobs{blobs: blobs, client: client, pdf: eng, db: s.db, clientID: id, check: s.cfg.ReplicaCheck, log: s.log}
	j.upload = &upload.Service{DB: s.db, Blobs: blobs, Queue: client, Log: s.log, PDF: eng, Limits: upload.Limits{
		Concurrent:  s.cfg.UploadsAtOnce,
		PerCustomer: limiter(s.cfg.UploadsPerMinute/60, 30),
		PerSession:  limiter(float64(s.cfg.SessionUploads)/3600, s.cfg.SessionUploads),
		Queued:      s.cfg.QueuedUploads,
	}}
	j.upload.Register(mux)
	mux.HandleFunc("GET /readyz", readyz(s.db.read, blobs))
	(&webhook.API{DB: s.db, Queue: client, Guard: guard, Log: s.log}).Register(mux)
	if u := s.cfg.WebhookURL; u != "" {
		// Replicas starting together register it once.
		err := s.db.exclusive(ctx, func(ctx context.Context) error { return s.ensureWebhook(ctx, guard, customer, u) })
		if err != nil {
			eng.Close()
			return nil, err
		}
	}
	return j, nil
}

// startOCR finds Tesseract for scanned statements and images. Without it the server still runs,
// says in the log that OCR is off, and such files fail with "OCR is not installed on this
// server". A nil engine.OCR is returned then (never a typed nil).
func startOCR(ctx context.Context, eng *pdf.PDFium, opts ocr.Options, log *slog.Logger) engine.OCR {
	if opts.Command == "off" {
		log.Warn("OCR is off (--tesseract off): scanned statements and images will not be read")
		return nil
	}
	opts.Renderer = eng
	r, err := ocr.New(ctx, opts)
	if err != nil {
		log.Warn("OCR is off: scanned statements and images will not be read; install the Debian package tesseract-ocr (and tesseract-ocr-eng, tesseract-ocr-fra)", "error", err)
		return nil
	}
	log.Info("OCR is on", "engine", r.Engine())
	return r
}

// announceLogin enqueues the webhooks of a linked login (its data ready, at ReadyAt when it is
// not yet) or of a failed login attempt. A failure to enqueue is logged: the login itself stands.
func (s *server) announceLogin(ctx context.Context, reg *institution.Registry, ev authorize.LoginEvent) {
	if s.jobs == nil {
		return
	}
	args := webhook.LoginArgs{CustomerID: ev.CustomerID, LoginID: ev.Login.Id, RequestID: ev.RequestID,
		Institution: ev.Login.Institution, Username: ev.Login.Username, Tag: ev.Tag}
	if c, ok := reg.Lookup(ev.Login.Institution); ok {
		id := c.Institution().Id
		args.InstitutionID = &id
	}
	readyAt := ev.ReadyAt
	if ev.Status == passbook.LoginFailed {
		args.Failed, args.Code, args.Message = true, string(passbook.ErrorCode(ev.Err)), passbook.PublicMessage(ev.Err)
		readyAt = time.Time{}
	}
	if err := webhook.EnqueueLogin(context.WithoutCancel(ctx), s.db, s.jobs.client, args, readyAt); err != nil {
		s.log.Error("enqueue login webhooks", "login", ev.Login.Id, "err", err)
	}
}

// ensureWebhook registers url as an endpoint of the default customer unless it already is one.
func (s *server) ensureWebhook(ctx context.Context, guard webhook.Guard, customer *passbook.Customer, url string) error {
	if err := guard.CheckURL(url); err != nil {
		return fmt.Errorf("--webhook-url: %w (see --allow-private-webhooks)", err)
	}
	eps, err := s.db.WebhookEndpoints(ctx, customer.Id)
	if err != nil {
		return err
	}
	for _, e := range eps {
		if e.URL == url {
			return nil
		}
	}
	e := &passbook.WebhookEndpoint{CustomerID: customer.Id, URL: url, Secret: webhook.NewSecret()}
	if err := s.db.CreateWebhookEndpoint(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "Registered webhook endpoint %s. Its signing secret is shown once: %s\n", url, e.Secret)
	return nil
}

// limiter is an api.Limiter, or nil (no limit) for a rate that is not positive.
func limiter(perSecond float64, burst int) *api.Limiter {
	if perSecond <= 0 || burst <= 0 {
		return nil
	}
	return api.NewLimiter(perSecond, burst)
}

// janitor removes, at start and then every cfg.JanitorEvery until ctx ends, the uploaded files
// no stored upload references and the temporary files, older than cfg.JanitorAge: what a server
// killed while receiving or processing an upload left behind.
func (s *server) janitor(ctx context.Context) {
	for {
		n, err := s.jobs.blobs.Sweep(ctx, time.Now().Add(-s.cfg.JanitorAge), func(ctx context.Context, key string) (bool, error) {
			// The reading of a password-protected file lives as long as the file.
			return s.db.BlobReferenced(ctx, upload.OpenedOf(key))
		})
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("janitor", "err", err)
		case n > 0:
			s.log.Info("janitor removed leftover files", "files", n)
		}
		if s.cfg.JanitorEvery <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.cfg.JanitorEvery):
		}
	}
}

// start runs the workers until stop.
// On PostgreSQL the replica takes its liveness lock first, and then looks, every --replica-check,
// for jobs left running by replicas that died.
func (j *jobs) start(ctx context.Context) error {
	if j.db.postgres() {
		live, err := queue.HoldLiveness(ctx, j.db.write, j.clientID)
		if err != nil {
			return err
		}
		j.live = live
		wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		j.watch = cancel
		go queue.WatchReplicas(wctx, j.db.write, j.clientID, j.check, j.log)
	}
	return j.client.Start(context.WithoutCancel(ctx))
}

// stop lets running jobs finish until ctx ends, then cancels them (they are re-run at the next
// start), and closes the PDF engine.
func (j *jobs) stop(ctx context.Context) error {
	err := j.client.Stop(ctx)
	if err != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = j.client.StopAndCancel(cctx)
	}
	if j.watch != nil {
		j.watch()
	}
	j.pdf.Close()
	return errors.Join(err, j.live.Release())
}

// useWidget lets the widget's upload screen submit to POST /v2/api/upload with its sealed
// session (query "s" or header X-Passbook-Session) instead of an API key.
func (j *jobs) useWidget(h *connect.Handler) {
	j.upload.WidgetSession = func(r *http.Request, token string) (*passbook.Customer, string, error) {
		// Handler.Session reads the token as a form value; give it a body-less request, so the
		// multipart body is never parsed into memory.
		q := url.Values{"s": {token}}
		probe := (&http.Request{Method: http.MethodGet, URL: &url.URL{RawQuery: q.Encode()}, Header: http.Header{}}).WithContext(r.Context())
		sess, c, err := h.Session(probe)
		if err != nil {
			return nil, "", err
		}
		return c, sess.Institution, nil
	}
}
