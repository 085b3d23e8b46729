package upload

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/pdf"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/webhook"
)

// Service receives uploads and enqueues their processing.
type Service struct {
	DB    Store
	Blobs blob.Store
	Queue queue.Inserter
	Log   *slog.Logger
	// WidgetSession authenticates a widget upload from its session token (the "s" query value or
	// the X-Passbook-Session header): it returns the customer and the institution chosen. Without
	// it the widget endpoint answers 401.
	WidgetSession func(r *http.Request, token string) (*passbook.Customer, string, error)
	// Limits bounds the uploads one caller may make; the zero value has no limit.
	Limits Limits
	// PDF opens password-protected PDFs at intake (see password.go); nil: they are stored as
	// they come and fail when processed.
	PDF PasswordOpener

	inflightOnce sync.Once
	inflight     chan struct{}
}

// Limits of the uploads a caller may make, each refused with 429 and Retry-After (before any
// file is stored or any quota is charged).
type Limits struct {
	// Concurrent is how many uploads the server receives at once (all customers).
	Concurrent int
	// PerCustomer limits a customer's uploads (widget and API); PerSession one widget session's.
	PerCustomer, PerSession *api.Limiter
	// Queued is how many of a customer's uploads may wait for processing.
	Queued int
}

// PasswordOpener opens a PDF with a password for one read (pdf.PDFium).
type PasswordOpener interface {
	OpenPassword(ctx context.Context, data []byte, password string) (*pdf.Document, error)
}

// Register adds the upload endpoints to mux:
//
//	POST /v3/{customerId}/upload  (x-api-key; ?institution=…) for the Dashboard and staff
//	POST /v2/api/upload           (widget session token) for the widget's upload screen
//
// Both take multipart/form-data with one or more file parts and answer a Receipt.
func (s *Service) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /v3/{customerId}/upload", s.handle(s.apiUpload))
	mux.HandleFunc("POST /v2/api/upload", s.handle(s.widgetUpload))
	mux.HandleFunc("GET /v3/{customerId}/upload/fraudanalysis/{loginId}", s.handle(s.fraudAnalysis))
}

// Receipt is the answer to an accepted upload.
type Receipt struct {
	HttpStatusCode int
	LoginId        string
	UploadId       string
	Institution    string
	Files          []ReceiptFile
}

// ReceiptFile describes one stored file.
type ReceiptFile struct {
	FileName string
	Size     int64
	SHA256   string
}

func (s *Service) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			api.WriteError(w, r, err)
		}
	}
}

func (s *Service) apiUpload(w http.ResponseWriter, r *http.Request) error {
	c, err := s.apiCustomer(r)
	if err != nil {
		return err
	}
	return s.receive(w, r, c, r.URL.Query().Get("institution"), "api")
}

// apiCustomer returns the customer of the path's {customerId} when the request carries its
// x-api-key.
func (s *Service) apiCustomer(r *http.Request) (*passbook.Customer, error) {
	id, err := api.Authenticate(r.Context(), s.DB, r) // x-api-key, or Authorization: Bearer
	if err != nil {
		return nil, err
	}
	c, err := s.DB.Customer(r.Context(), id)
	if errors.Is(err, passbook.ErrNotFound) {
		return nil, passbook.Errorf(passbook.NotFound, "unknown customer")
	}
	return c, err
}

func (s *Service) widgetUpload(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("s")
	if token == "" {
		token = r.Header.Get("X-Passbook-Session")
	}
	if token == "" || s.WidgetSession == nil {
		return passbook.Errorf(passbook.SessionNonexistent, "The upload session is missing or has expired.")
	}
	c, inst, err := s.WidgetSession(r, token)
	if err != nil {
		if _, ok := errors.AsType[*passbook.Error](err); ok {
			return err
		}
		return &passbook.Error{Code: passbook.SessionNonexistent, Message: "The upload session is missing or has expired.", Err: err}
	}
	if c.Settings.UploadMode == "off" {
		return passbook.Errorf(passbook.Unauthorized, "Uploads are turned off for this customer.")
	}
	return s.receive(w, r, c, inst, "widget")
}

// Errors of a refused upload; each names the file when there is one.
var (
	errFileTooLarge  = errors.New("file too large")
	errTotalTooLarge = errors.New("upload too large")
)

// clientError marks a failure to read the request body: the client's fault (a cut-off or
// malformed body), not the server's.
type clientError struct{ err error }

func (c clientError) Error() string { return c.err.Error() }
func (c clientError) Unwrap() error { return c.err }

// limited counts the bytes of one file as they flow and fails past the limits.
type limited struct {
	r           io.Reader
	file, total *int64
}

func (l limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		err = clientError{err}
	}
	*l.file += int64(n)
	*l.total += int64(n)
	if *l.file > MaxFileBytes {
		return n, errFileTooLarge
	}
	if *l.total > MaxTotal {
		return n, errTotalTooLarge
	}
	return n, err
}

// receive streams the files of r to the blob store and, when all are acceptable, records the
// upload, its login, its "received" event and its processing job in one transaction. A refused
// upload leaves nothing behind: its blobs are deleted and no row is written.
func (s *Service) receive(w http.ResponseWriter, r *http.Request, c *passbook.Customer, institution, source string) (err error) {
	ctx := r.Context()
	release, err := s.admit(ctx, c, r)
	if err != nil {
		return err
	}
	defer release()
	if q := c.Settings.UploadQuota; q > 0 {
		n, err := s.DB.CountUploads(ctx, c.Id)
		if err != nil {
			return err
		}
		if n >= q {
			return passbook.Errorf(passbook.QuotaExceeded, "The upload quota of this customer (%d) is used up.", q)
		}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return passbook.Errorf(passbook.InvalidRequest, "Send the files as multipart/form-data.")
	}
	if r.ContentLength > MaxTotal+maxFormOverhead {
		return passbook.Errorf(passbook.PayloadTooLarge, "The upload is larger than %d MB.", MaxTotal>>20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxTotal+maxFormOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return passbook.Errorf(passbook.InvalidRequest, "Send the files as multipart/form-data.")
	}
	up := &passbook.Upload{Id: passbook.NewID(), LoginID: passbook.NewID(), CustomerID: c.Id, Source: source}
	defer func() {
		if err != nil {
			s.discard(up)
		}
	}()
	br := bufio.NewReaderSize(nil, 64<<10)
	var passwords map[int]string // file position → password, for this request only
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			return bodyError(clientError{perr}, "")
		}
		name := part.FileName()
		if name == "" {
			// A plain field: only "institution" means something; read it within a small limit.
			v, ferr := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if ferr != nil {
				return bodyError(clientError{ferr}, "")
			}
			if part.FormName() == "institution" && len(v) <= maxFieldBytes && institution == "" {
				institution = strings.TrimSpace(string(v))
			}
			if i, ok := passwordField(part.FormName(), len(up.Files)); ok && len(v) <= maxFieldBytes {
				if passwords == nil {
					passwords = map[int]string{}
				}
				passwords[i] = strings.TrimRight(string(v), "\r\n")
			}
			continue
		}
		name = cleanName(name)
		if len(up.Files) == MaxFiles {
			return passbook.Errorf(passbook.PayloadTooLarge, "An upload holds at most %d files.", MaxFiles)
		}
		if err := s.storeFile(ctx, up, br, part, name); err != nil {
			return err
		}
	}
	if len(up.Files) == 0 {
		return passbook.Errorf(passbook.InvalidRequest, "The upload holds no file: add at least one PDF statement.")
	}
	if len(institution) > 200 {
		return passbook.Errorf(passbook.InvalidRequest, "The institution name is too long.")
	}
	if err := s.openProtected(ctx, up, passwords); err != nil {
		return err
	}
	up.Institution = institution
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := s.DB.CreateUploadTx(ctx, tx, up, c.Settings.UploadQuota)
		if errors.Is(err, passbook.ErrQuotaExceeded) {
			return passbook.Errorf(passbook.QuotaExceeded, "The upload quota of this customer (%d) is used up.", c.Settings.UploadQuota)
		}
		if err != nil {
			return err
		}
		if err := webhook.Emit(ctx, tx, s.DB, s.Queue, passbook.WebhookEvent{
			Id: "evt_" + up.Id + "_received", CustomerID: c.Id, LoginID: up.LoginID, Type: webhook.EventUploadReceived,
			Body: receivedBody(up),
		}); err != nil {
			return err
		}
		_, err = s.Queue.InsertTx(ctx, tx, ProcessArgs{UploadID: up.Id}, nil)
		return err
	})
	if err != nil {
		return err
	}
	rc := Receipt{HttpStatusCode: 200, LoginId: up.LoginID, UploadId: up.Id, Institution: up.Institution, Files: []ReceiptFile{}}
	for _, f := range up.Files {
		rc.Files = append(rc.Files, ReceiptFile{FileName: f.FileName, Size: f.Size, SHA256: f.SHA256})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return json.NewEncoder(w).Encode(rc)
}

// admit applies the Limits to an upload about to be received; release ends its turn.
func (s *Service) admit(ctx context.Context, c *passbook.Customer, r *http.Request) (release func(), err error) {
	l := s.Limits
	if l.PerSession != nil {
		if tok := widgetToken(r); tok != "" {
			if d, ok := l.PerSession.Take("session:" + tok); !ok {
				return nil, api.TooManyRequests(d, "This session has sent too many uploads; wait a moment.")
			}
		}
	}
	if l.PerCustomer != nil {
		if d, ok := l.PerCustomer.Take(c.Id); !ok {
			return nil, api.TooManyRequests(d, "Too many uploads for this customer; slow down.")
		}
	}
	if l.Queued > 0 {
		n, err := s.DB.CountPendingUploads(ctx, c.Id)
		if err != nil {
			return nil, err
		}
		if n >= l.Queued {
			return nil, api.TooManyRequests(30*time.Second, "%d uploads of this customer are waiting to be processed; send more later.", n)
		}
	}
	if l.Concurrent > 0 {
		s.inflightOnce.Do(func() { s.inflight = make(chan struct{}, l.Concurrent) })
		select {
		case s.inflight <- struct{}{}:
			return func() { <-s.inflight }, nil
		default:
			return nil, api.TooManyRequests(10*time.Second, "The server is receiving too many uploads; try again shortly.")
		}
	}
	return func() {}, nil
}

// widgetToken is the widget session token of a widget upload ("" for the API).
func widgetToken(r *http.Request) string {
	if r.URL.Path != "/v2/api/upload" {
		return ""
	}
	if t := r.URL.Query().Get("s"); t != "" {
		return t
	}
	return r.Header.Get("X-Passbook-Session")
}

// storeFile checks one file part's type by content and streams it to the blob store.
func (s *Service) storeFile(ctx context.Context, up *passbook.Upload, br *bufio.Reader, part *multipart.Part, name string) error {
	br.Reset(part)
	head, err := peek(br)
	if err != nil && err != io.EOF {
		return bodyError(clientError{err}, name)
	}
	if len(head) == 0 {
		return passbook.Errorf(passbook.InvalidRequest, "%q is empty.", name)
	}
	t := Sniff(head)
	switch t {
	case TypePDF:
	case TypeJPEG, TypePNG, TypeBMP, TypeTIFF:
		if err := checkPixels(head, name); err != nil {
			return err
		}
	default:
		return passbook.Errorf(passbook.UnsupportedFile, "%q is neither a PDF nor an image (JPEG, PNG, BMP, TIFF), whatever its name says. Upload the statement your bank provides, a scan or a photo of it.", name)
	}
	key := "uploads/" + up.Id + "/" + strconv.Itoa(len(up.Files)) + ".pdf"
	var fileBytes int64
	info, err := s.Blobs.Put(ctx, key, limited{r: br, file: &fileBytes, total: &up.TotalBytes})
	if err != nil {
		return bodyError(err, name)
	}
	up.Files = append(up.Files, passbook.UploadFile{Position: len(up.Files), FileName: name, BlobKey: info.Key, Size: info.Size, SHA256: info.SHA256, MediaType: t})
	return nil
}

// bodyError turns a failure while reading the request into the error the client sees.
func bodyError(err error, name string) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errFileTooLarge):
		return passbook.Errorf(passbook.PayloadTooLarge, "%q is larger than %d MB.", name, MaxFileBytes>>20)
	case errors.Is(err, errTotalTooLarge), errors.As(err, &mbe):
		return passbook.Errorf(passbook.PayloadTooLarge, "The files together are larger than %d MB.", MaxTotal>>20)
	case errors.Is(err, context.Canceled):
		return &passbook.Error{Code: passbook.InvalidRequest, Message: "The upload was interrupted.", Err: err}
	}
	if _, ok := errors.AsType[clientError](err); ok {
		return &passbook.Error{Code: passbook.InvalidRequest, Message: "The upload was cut off or malformed; send it again.", Err: err}
	}
	return fmt.Errorf("upload: store %q: %w", name, err)
}

// discard deletes the blobs of a refused upload.
func (s *Service) discard(up *passbook.Upload) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range len(up.Files) + 1 {
		key := "uploads/" + up.Id + "/" + strconv.Itoa(i) + ".pdf"
		for _, k := range []string{key, OpenedKey(key)} {
			if err := s.Blobs.Delete(ctx, k); err != nil && s.Log != nil {
				s.Log.Error("delete blob of refused upload", "key", k, "err", err)
			}
		}
	}
}

// cleanName keeps the base name of a client's file name, in at most 200 bytes of valid text.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(strings.TrimSpace(name), "")
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		name = "statement.pdf"
	}
	return name
}

func receivedBody(up *passbook.Upload) []byte {
	type file struct {
		FileName string
		Size     int64
		SHA256   string
	}
	body := struct {
		ResponseType string
		EventType    string
		EventId      string
		LoginId      string
		UploadId     string
		Institution  string
		Files        []file
	}{ResponseType: webhook.EventUploadReceived, EventType: webhook.EventUploadReceived, EventId: "evt_" + up.Id + "_received", LoginId: up.LoginID, UploadId: up.Id, Institution: up.Institution}
	for _, f := range up.Files {
		body.Files = append(body.Files, file{f.FileName, f.Size, f.SHA256})
	}
	b, _ := json.Marshal(body)
	return b
}
