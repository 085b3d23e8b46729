package webhook

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/queue"
)

// Event types. Bodies are JSON; the completed events' bodies are Flinks' GetAccountsDetail
// payload ("ResponseType": "GetAccountsDetail"), the KYC event's Flinks' KYC payload.
const (
	EventUploadReceived  = "UPLOAD_RECEIVED"
	EventUploadCompleted = "UPLOAD_COMPLETED"
	EventUploadFailed    = "UPLOAD_FAILED"
	EventLoginCompleted  = "LOGIN_COMPLETED" // a linked login's data is ready
	EventLoginFailed     = "LOGIN_FAILED"    // a login attempt failed with a login error
	EventKYC             = "KYC"             // a linked login's holders; opt-in: only to endpoints that list it
)

// EventTypes lists every event type, in the order they are documented.
func EventTypes() []string {
	return []string{EventUploadReceived, EventUploadCompleted, EventUploadFailed, EventLoginCompleted, EventLoginFailed, EventKYC}
}

// CheckEventTypes validates an endpoint's choice of event types (case-insensitive, duplicates
// dropped); nil means every type but the opt-in KYC.
func CheckEventTypes(in []string) ([]string, error) {
	if len(in) > 20 {
		return nil, passbook.Errorf(passbook.InvalidRequest, "EventTypes lists too many types.")
	}
	var out []string
	for _, t := range in {
		known := ""
		for _, k := range EventTypes() {
			if strings.EqualFold(strings.TrimSpace(t), k) {
				known = k
			}
		}
		if known == "" {
			return nil, passbook.Errorf(passbook.InvalidRequest, "Unknown event type %q; use %s.", truncate(t, 40), strings.Join(EventTypes(), ", "))
		}
		if !slices.Contains(out, known) {
			out = append(out, known)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// retryDelays is the wait after each failed attempt: 11 attempts spread over about 8 h 20 min,
// beyond Flinks' 10 tries over 5 hours, so a receiver down for hours still gets every event.
var retryDelays = [...]time.Duration{
	5 * time.Second, 30 * time.Second, 2 * time.Minute, 5 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour, 3 * time.Hour,
}

// MaxAttempts is how many times a delivery is tried before it is marked failed.
const MaxAttempts = len(retryDelays) + 1

// RetryDelay returns the wait after failed attempt n (1-based).
func RetryDelay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(retryDelays) {
		return retryDelays[len(retryDelays)-1]
	}
	return retryDelays[attempt-1]
}

// DeliverArgs is the job that makes one attempt of one delivery.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts puts deliveries on the webhook queue with the retry budget; a delivery has at most
// one job waiting or running, so a manual redelivery never doubles one in progress.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       queue.QueueWebhooks,
		MaxAttempts: MaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled,
		}},
	}
}

// Emit stores ev with one delivery per endpoint of its customer (in events) and enqueues the
// deliveries, all in tx. An event id already emitted is not emitted again.
func Emit(ctx context.Context, tx *sql.Tx, events Events, q queue.Inserter, ev passbook.WebhookEvent) error {
	ids, err := events.InsertWebhookEventTx(ctx, tx, ev)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := q.InsertTx(ctx, tx, DeliverArgs{DeliveryID: id}, nil); err != nil {
			return fmt.Errorf("webhook: enqueue delivery: %w", err)
		}
	}
	return nil
}

// Sender makes delivery attempts; it is the River worker of DeliverArgs.
type Sender struct {
	river.WorkerDefaults[DeliverArgs]
	DB     Deliveries
	Client *http.Client // from Guard.Client
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
	// Delays replaces the retry schedule (tests); nil: the default one of RetryDelay.
	Delays []time.Duration
}

func (s *Sender) delay(attempt int) time.Duration {
	if len(s.Delays) == 0 {
		return RetryDelay(attempt)
	}
	return s.Delays[min(max(attempt, 1), len(s.Delays))-1]
}

// AttemptTimeout bounds one attempt: the receiver must answer within it.
const AttemptTimeout = 15 * time.Second

// NewSender returns a Sender whose HTTP client obeys guard.
func NewSender(db Deliveries, guard Guard, log *slog.Logger) *Sender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{DB: db, Client: guard.Client(AttemptTimeout), Log: log}
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// NextRetry schedules the next attempt after a failed one.
func (s *Sender) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return s.now().Add(s.delay(job.Attempt))
}

// Timeout bounds a job to one attempt and its bookkeeping.
func (s *Sender) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return AttemptTimeout + 15*time.Second
}

// Work makes one attempt of a delivery, after any earlier pending delivery of the same login to
// the same endpoint (it snoozes until then, which costs no attempt).
func (s *Sender) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	d, err := s.DB.WebhookDelivery(ctx, job.Args.DeliveryID)
	if err != nil {
		if errors.Is(err, passbook.ErrNotFound) {
			return nil // the endpoint was deleted with its log
		}
		return err
	}
	if d.Status != passbook.DeliveryPending {
		return nil // delivered already (a job re-run after a crash)
	}
	earlier, err := s.DB.EarlierPendingDelivery(ctx, d)
	if err != nil {
		return err
	}
	if earlier != nil {
		wait := time.Until(earlier.NextAttemptAt)
		return river.JobSnooze(min(max(wait, 50*time.Millisecond), time.Minute))
	}
	now := s.now()
	status, sendErr := s.send(ctx, d, now)
	if sendErr == nil {
		if err := s.DB.RecordDeliveryAttempt(ctx, d.Id, passbook.DeliveryDelivered, status, "", now, time.Time{}); err != nil {
			return err
		}
		s.Log.Info("webhook delivered", "event", d.EventID, "type", d.EventType, "url", d.URL, "status", status, "attempt", job.Attempt)
		return nil
	}
	last := job.Attempt >= job.MaxAttempts
	next, st := now.Add(s.delay(job.Attempt)), passbook.DeliveryPending
	if last {
		next, st = time.Time{}, passbook.DeliveryFailed
	}
	if err := s.DB.RecordDeliveryAttempt(ctx, d.Id, st, status, sendErr.Error(), now, next); err != nil {
		return err
	}
	s.Log.Warn("webhook delivery failed", "event", d.EventID, "endpoint", d.EndpointID, "attempt", job.Attempt, "status", status, "err", sendErr)
	if last {
		return nil // given up: logged as failed, redeliverable by hand
	}
	return sendErr
}

// send makes the HTTP request and returns the status received (0 for none) and whether it
// counts as delivered (any 2xx).
func (s *Sender) send(ctx context.Context, d *passbook.WebhookDelivery, now time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Passbook-Webhooks/1")
	Sign(req.Header, d.Secret, d.EventID, now, d.Body)
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
