package upload

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/webhook"
)

// ProcessArgs is the job that processes one upload.
type ProcessArgs struct {
	UploadID string `json:"upload_id"`
}

// Kind names the job in River.
func (ProcessArgs) Kind() string { return "upload_process" }

// InsertOpts puts the job on the uploads queue; an upload is processed by one job.
func (ProcessArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queue.QueueUploads, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Engine turns the files of one upload into statements: documents (with status, error and
// authenticity), holder, and accounts merged across the files. engine.Engine is the one the
// server runs.
type Engine interface {
	Statements(ctx context.Context, files []engine.File) (passbook.Statements, error)
}

// Processor runs the statement engine over an upload and stores what it made; it is the River
// worker of ProcessArgs. It is idempotent: a job re-run after a crash or a failure rewrites the
// same accounts (their ids derive from the files) and emits its event under the same id, which
// the webhook store keeps once.
type Processor struct {
	river.WorkerDefaults[ProcessArgs]
	DB     ProcessStore
	Blobs  blob.Store
	Engine Engine
	Queue  queue.Inserter // nil: the River client of the job's context
	Log    *slog.Logger
}

// freeAfterBytes is the upload size above which a processing run returns its memory to the
// system when it ends.
const freeAfterBytes = 8 << 20

// Timeout bounds one processing run.
func (p *Processor) Timeout(*river.Job[ProcessArgs]) time.Duration { return 5 * time.Minute }

// Work processes the upload.
func (p *Processor) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	start := time.Now()
	up, err := p.DB.Upload(ctx, job.Args.UploadID)
	if err != nil {
		if errors.Is(err, passbook.ErrNotFound) {
			return nil // deleted with its customer
		}
		return err
	}
	if up.Status != passbook.UploadReceived {
		return nil // finished by an earlier run
	}
	// The files are read from the blob store when the engine comes to them, and let go after:
	// only the files in flight are in memory.
	files := make([]engine.File, 0, len(up.Files))
	var loadErr error
	var mu sync.Mutex
	var total int64
	for _, f := range up.Files {
		total += f.Size
		files = append(files, engine.File{Name: f.FileName, SHA256: f.SHA256, Load: func(ctx context.Context) ([]byte, error) {
			data, err := p.read(ctx, f.BlobKey)
			if err != nil {
				mu.Lock()
				loadErr = errors.Join(loadErr, fmt.Errorf("upload %s: read %s: %w", up.Id, f.BlobKey, err))
				mu.Unlock()
			}
			return data, err
		}, Opened: func(ctx context.Context) (*pdf.Document, error) { return loadOpened(ctx, p.Blobs, f.BlobKey) }})
	}
	st, err := p.Engine.Statements(ctx, files)
	if err == nil {
		err = loadErr // a blob store that failed: retry the job rather than store a partial result
	}
	if total > freeAfterBytes {
		// The files and what PDFium made of them are garbage now: give the memory back to the
		// system rather than keep it as idle heap until the next large upload.
		defer debug.FreeOSMemory()
	}
	if err != nil {
		return err
	}
	for i := range st.Accounts {
		if st.Accounts[i].Holder == nil && st.Holder != nil {
			h := *st.Holder
			st.Accounts[i].Holder = &h
		}
	}
	if err := p.DB.SaveAccounts(ctx, up.LoginID, st.Accounts); err != nil {
		return err
	}
	if err := p.DB.SaveLoginDocuments(ctx, up.LoginID, st.Documents); err != nil {
		return err
	}
	status, errText, evType := passbook.UploadCompleted, "", webhook.EventUploadCompleted
	if len(st.Accounts) == 0 {
		status, evType = passbook.UploadFailed, webhook.EventUploadFailed
		errText = failureText(st.Documents)
	}
	login := passbook.Login{Id: up.LoginID, Institution: up.Institution, Type: passbook.LoginUpload, LastRefresh: time.Now().UTC()}
	body, err := eventBody(evType, up, login, st, errText)
	if err != nil {
		return err
	}
	ins := p.Queue
	if ins == nil {
		ins = river.ClientFromContext[*sql.Tx](ctx)
	}
	err = p.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := p.DB.FinishUploadTx(ctx, tx, up, status, errText); err != nil {
			return err
		}
		return webhook.Emit(ctx, tx, p.DB, ins, passbook.WebhookEvent{
			Id: eventID(up.Id, evType), CustomerID: up.CustomerID, LoginID: up.LoginID, Type: evType, Body: body,
		})
	})
	if err == nil && p.Log != nil {
		p.Log.Info("upload processed", "login", up.LoginID, "upload", up.Id, "status", status, "files", len(up.Files),
			"accounts", len(st.Accounts), "event", eventID(up.Id, evType), "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}

func (p *Processor) read(ctx context.Context, key string) ([]byte, error) {
	rc, err := p.Blobs.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, MaxFileBytes+1))
}

// eventID is the stable id of an upload's event: the same on every run of the job.
func eventID(uploadID, evType string) string {
	return "evt_" + uploadID + "_" + strings.ToLower(strings.TrimPrefix(evType, "UPLOAD_"))
}

func failureText(docs []passbook.Document) string {
	var parts []string
	for _, d := range docs {
		if d.Error != "" {
			parts = append(parts, d.FileName+": "+d.Error)
		}
	}
	if len(parts) == 0 {
		return "no account could be read from the files"
	}
	return strings.Join(parts, "; ")
}

// eventBody is what the completed and failed events carry. The completed event's body is the
// GetAccountsDetail payload, as Flinks sends it, with "ResponseType": "GetAccountsDetail".
func eventBody(evType string, up *passbook.Upload, login passbook.Login, st passbook.Statements, errText string) ([]byte, error) {
	if evType == webhook.EventUploadCompleted {
		accts := make([]api.AccountJSON, 0, len(st.Accounts))
		for _, a := range st.Accounts {
			accts = append(accts, api.AccountOf(a, passbook.LoginUpload, true, true))
		}
		return json.Marshal(struct {
			ResponseType    string
			EventType       string
			EventId         string
			HttpStatusCode  int
			Accounts        []api.AccountJSON
			Documents       []passbook.Document
			Login           passbook.Login
			Institution     string
			InstitutionName string
			InstitutionId   *int
			Tag             *string
			RequestId       string
			UploadId        string
		}{"GetAccountsDetail", evType, eventID(up.Id, evType), 200, accts, st.Documents, login, up.Institution, up.Institution, nil, nil, up.Id, up.Id})
	}
	// The failure carries the status GetAccountsDetail answers for the same login: AGGREGATION_ERROR.
	return json.Marshal(struct {
		ResponseType   string
		EventType      string
		EventId        string
		HttpStatusCode int
		FlinksCode     passbook.Code
		Message        string
		LoginId        string
		UploadId       string
		Institution    string
		Documents      []passbook.Document
	}{evType, evType, eventID(up.Id, evType), passbook.AggregationError.Info().HTTPStatus, passbook.AggregationError, errText, up.LoginID, up.Id, up.Institution, st.Documents})
}
