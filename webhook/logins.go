package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/queue"
)

// LoginArgs is the job that announces a linked login: its data ready (the KYC event, then the
// GetAccountsDetail payload), or its failure. A login still processing is announced when it turns
// ready: the job is scheduled at ReadyAt, and snoozes until then if it runs early.
type LoginArgs struct {
	CustomerID    string `json:"customer_id"`
	LoginID       string `json:"login_id"`
	RequestID     string `json:"request_id"`
	Failed        bool   `json:"failed,omitempty"`
	Code          string `json:"code,omitempty"` // the FlinksCode of a failure
	Message       string `json:"message,omitempty"`
	Institution   string `json:"institution"`
	InstitutionID *int   `json:"institution_id,omitempty"`
	Username      string `json:"username,omitempty"`
	Tag           string `json:"tag,omitempty"`
}

// Kind names the job in River.
func (LoginArgs) Kind() string { return "webhook_login" }

// InsertOpts puts the job on the webhook queue.
func (LoginArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queue.QueueWebhooks, MaxAttempts: 10}
}

// EnqueueLogin enqueues the announcement of a login, at readyAt when its data is not ready yet.
func EnqueueLogin(ctx context.Context, db Transactor, q queue.Inserter, args LoginArgs, readyAt time.Time) error {
	var opts *river.InsertOpts
	if !readyAt.IsZero() {
		o := args.InsertOpts()
		o.ScheduledAt = readyAt
		opts = &o
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := q.InsertTx(ctx, tx, args, opts)
		return err
	})
}

// LoginAnnouncer is the worker of LoginArgs: it builds the events' bodies from the stored login
// and emits them (stored, then delivered by Sender with the usual signing, retries and order).
type LoginAnnouncer struct {
	river.WorkerDefaults[LoginArgs]
	DB    AnnouncerStore
	Queue queue.Inserter // nil: the River client of the job's context
	Log   *slog.Logger
	Now   func() time.Time
}

func (a *LoginAnnouncer) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Work emits the login's events. Event ids derive from the login's data version (or the failed
// request), so a re-run emits nothing twice.
func (a *LoginAnnouncer) Work(ctx context.Context, job *river.Job[LoginArgs]) error {
	args := job.Args
	ins := a.Queue
	if ins == nil {
		ins = river.ClientFromContext[*sql.Tx](ctx)
	}
	if args.Failed {
		body, err := FailedLoginBody(args)
		if err != nil {
			return err
		}
		return a.DB.Tx(ctx, func(tx *sql.Tx) error {
			return Emit(ctx, tx, a.DB, ins, passbook.WebhookEvent{Id: "evt_" + args.RequestID + "_failed", CustomerID: args.CustomerID,
				LoginID: args.LoginID, Type: EventLoginFailed, Body: body})
		})
	}
	rec, err := a.DB.LoginRecord(ctx, args.CustomerID, args.LoginID)
	if err != nil {
		if errors.Is(err, passbook.ErrNotFound) {
			return nil // deleted before its data was ready
		}
		return err
	}
	switch rec.StatusAt(a.now()) {
	case passbook.LoginProcessing:
		wait := time.Until(rec.ReadyAt)
		if rec.ReadyAt.IsZero() {
			wait = time.Minute
		}
		return river.JobSnooze(min(max(wait, 100*time.Millisecond), time.Hour))
	case passbook.LoginFailed:
		return nil
	}
	accts, err := a.DB.Accounts(ctx, rec.Id)
	if err != nil {
		return err
	}
	if args.Tag != "" {
		rec.Tag = args.Tag
	}
	kyc, detail, err := ReadyLoginBodies(rec, accts, args)
	if err != nil {
		return err
	}
	base := fmt.Sprintf("evt_%s_v%d", rec.Id, rec.Version)
	err = a.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := Emit(ctx, tx, a.DB, ins, passbook.WebhookEvent{Id: base + "_kyc", CustomerID: args.CustomerID, LoginID: rec.Id, Type: EventKYC, Body: kyc}); err != nil {
			return err
		}
		return Emit(ctx, tx, a.DB, ins, passbook.WebhookEvent{Id: base + "_completed", CustomerID: args.CustomerID, LoginID: rec.Id, Type: EventLoginCompleted, Body: detail})
	})
	if err == nil && a.Log != nil {
		a.Log.Info("login announced", "login", rec.Id, "accounts", len(accts), "event", base+"_completed")
	}
	return err
}

// loginJSON is the Login of the payloads, as the API writes it.
func loginJSON(rec *passbook.LoginRecord) passbook.Login { return rec.Login }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ReadyLoginBodies returns the bodies of a ready linked login's KYC event (Flinks' KYC payload:
// the distinct holders) and of its completed event (the GetAccountsDetail payload, with
// "ResponseType": "GetAccountsDetail").
func ReadyLoginBodies(rec *passbook.LoginRecord, accts []passbook.Account, args LoginArgs) (kyc, detail []byte, err error) {
	shaped := make([]api.AccountJSON, 0, len(accts))
	holders := []*api.HolderJSON{}
	seen := map[string]bool{}
	for _, a := range accts {
		shaped = append(shaped, api.AccountOf(a, rec.Type, true, true))
		if h := api.HolderOf(a.Holder); h != nil && !seen[h.Name] {
			seen[h.Name] = true
			holders = append(holders, h)
		}
	}
	kyc, err = json.Marshal(struct {
		ResponseType   string
		EventType      string
		HttpStatusCode int
		Holders        []*api.HolderJSON
		Login          passbook.Login
		Institution    string
		InstitutionId  *int
		Tag            *string
		RequestId      string
	}{"KYC", EventKYC, 200, holders, loginJSON(rec), rec.Institution, args.InstitutionID, nullable(rec.Tag), args.RequestID})
	if err != nil {
		return nil, nil, err
	}
	detail, err = json.Marshal(struct {
		ResponseType    string
		EventType       string
		HttpStatusCode  int
		Accounts        []api.AccountJSON
		Login           passbook.Login
		Institution     string
		InstitutionName string
		InstitutionId   *int
		Tag             *string
		RequestId       string
	}{"GetAccountsDetail", EventLoginCompleted, 200, shaped, loginJSON(rec), rec.Institution, rec.Institution, args.InstitutionID, nullable(rec.Tag), args.RequestID})
	return kyc, detail, err
}

// FailedLoginBody is the body of a LOGIN_FAILED event: the error GetAccountsDetail (or
// Authorize) answered, with its HttpStatusCode, and the login it was for.
func FailedLoginBody(args LoginArgs) ([]byte, error) {
	code := passbook.Code(args.Code)
	return json.Marshal(struct {
		ResponseType   string
		EventType      string
		HttpStatusCode int
		FlinksCode     passbook.Code
		Message        string
		LoginId        *string
		Username       string
		Institution    string
		InstitutionId  *int
		Tag            *string
		RequestId      string
	}{"GetAccountsDetail", EventLoginFailed, code.Info().HTTPStatus, code, args.Message, nullable(args.LoginID), args.Username,
		args.Institution, args.InstitutionID, nullable(args.Tag), args.RequestID})
}
