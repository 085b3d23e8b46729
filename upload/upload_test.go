package upload

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/blob"
	"github.com/passbookhq/passbook/engine"
	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/sqlite"
	"github.com/passbookhq/passbook/upload/uploadtest"
	"github.com/passbookhq/passbook/webhook"
)

// env is the upload backend on real parts: SQLite in a temp dir, blobs on disk, River with the
// processing and delivery workers, and the real HTTP handlers behind an httptest server.
type env struct {
	db       *sqlite.DB
	blobDir  string
	client   *queue.Client
	srv      *httptest.Server
	customer *passbook.Customer
	apiKey   string
	svc      *Service
}

func newEnv(t testing.TB, settings passbook.CustomerSettings) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDisk(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	c := &passbook.Customer{Name: "Lender", Settings: settings}
	keys, err := db.CreateCustomer(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &Processor{DB: db, Blobs: blobs, Engine: engine.Engine{PDF: testEngine(t)}})
	river.AddWorker(workers, webhook.NewSender(db, webhook.Guard{AllowPrivate: true}, nil))
	client, err := queue.New(ctx, db.Write, workers, queue.Options{PollInterval: 20 * time.Millisecond, WebhookWorkers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	svc := &Service{DB: db, Blobs: blobs, Queue: client, PDF: testEngine(t),
		WidgetSession: func(r *http.Request, token string) (*passbook.Customer, string, error) {
			if token != "widget-session-"+c.Id {
				return nil, "", passbook.Errorf(passbook.SessionNonexistent, "expired")
			}
			return c, "Maple Test Bank", nil
		}}
	svc.Register(mux)
	(&webhook.API{DB: db, Queue: client, Guard: webhook.Guard{AllowPrivate: true}}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(sctx)
		db.Close()
	})
	return &env{db: db, blobDir: filepath.Join(dir, "blobs"), client: client, srv: srv, customer: c, apiKey: keys.APIKey, svc: svc}
}

// part is one file of a multipart body: its name and a reader of its content.
type part struct {
	name string
	r    io.Reader
}

// body streams a multipart body of parts through a pipe, so large uploads never sit in memory.
func body(parts []part) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, p := range parts {
			w, err := mw.CreateFormFile("files", p.name)
			if err == nil {
				_, err = io.Copy(w, p.r)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

// pdfOfSize is a reader of n bytes that starts like a PDF.
func pdfOfSize(n int64) io.Reader {
	return io.MultiReader(strings.NewReader("%PDF-1.7\n"), io.LimitReader(zeros{}, n-9))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type errorBody struct {
	HttpStatusCode int
	Message        string
	FlinksCode     passbook.Code
}

func (e *env) post(t testing.TB, path string, r io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("x-api-key", e.apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *env) upload(t testing.TB, parts []part) (int, []byte) {
	r, ct := body(parts)
	return e.post(t, "/v3/"+e.customer.Id+"/upload?institution=Maple+Test+Bank", r, ct)
}

// stored counts what uploads left behind: blob files, upload rows and logins.
func (e *env) stored(t testing.TB) (files, uploads, logins int) {
	t.Helper()
	filepath.WalkDir(e.blobDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	e.db.Read.QueryRow(`SELECT count(*) FROM uploads`).Scan(&uploads)
	e.db.Read.QueryRow(`SELECT count(*) FROM logins`).Scan(&logins)
	return
}

func TestUploadRefusals(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{UploadQuota: 5})
	small := uploadtest.New("555-1", 3, 4).PDF(40)
	many := func(n int) []part {
		var ps []part
		for i := range n {
			ps = append(ps, part{fmt.Sprintf("s%02d.pdf", i), bytes.NewReader(small)})
		}
		return ps
	}
	big := func(n int, size int64) []part {
		var ps []part
		for i := range n {
			ps = append(ps, part{fmt.Sprintf("big%02d.pdf", i), pdfOfSize(size)})
		}
		return ps
	}
	// A PNG whose header claims 100000×100000 pixels: refused from its first bytes.
	ihdr := []byte("IHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x00\x00\x00\x00")
	bomb := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	bomb = binary.BigEndian.AppendUint32(bomb, crc32.ChecksumIEEE(ihdr))
	bomb = append(bomb, make([]byte, 100)...)
	truncated := func() (io.Reader, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		w, _ := mw.CreateFormFile("files", "a.pdf")
		w.Write(small)
		mw.Close()
		return bytes.NewReader(buf.Bytes()[:buf.Len()/2]), mw.FormDataContentType()
	}
	cases := []struct {
		name   string
		body   func() (io.Reader, string)
		status int
		code   passbook.Code
		says   string
	}{
		{"25 files", func() (io.Reader, string) { return body(many(25)) }, 413, passbook.PayloadTooLarge, "24 files"},
		{"181 MB", func() (io.Reader, string) { return body(big(10, 181<<20/10)) }, 413, passbook.PayloadTooLarge, "180 MB"},
		{"oversized file", func() (io.Reader, string) {
			return body(append(many(2), part{"huge.pdf", pdfOfSize(MaxFileBytes + 1)}))
		}, 413, passbook.PayloadTooLarge, `"huge.pdf" is larger than 20 MB`},
		{"not a PDF", func() (io.Reader, string) {
			return body(append(many(1), part{"statement.pdf", strings.NewReader("Date,Description,Amount\n2026-01-02,Coffee,-3.50\n")}))
		}, 415, passbook.UnsupportedFile, `"statement.pdf" is neither a PDF nor an image`},
		// The cheap checks of the PDF engine (precheck.go): before the quota is charged.
		{"damaged PDF", func() (io.Reader, string) {
			return body(append(many(1), part{"broken.pdf", strings.NewReader("%PDF-1.4\n% not really a PDF\n")}))
		}, 415, passbook.UnsupportedFile, `"broken.pdf" (file 2) cannot be read: the PDF file is damaged`},
		{"PDF bomb", func() (io.Reader, string) {
			return body(append(many(1), part{"bomb.pdf", bytes.NewReader(pdfgen.RectBomb(3_000_000))}))
		}, 415, passbook.UnsupportedFile, `"bomb.pdf" (file 2) cannot be read: the PDF file is too complex to read: a content stream draws more than 200000 objects`},
		{"decompression bomb", func() (io.Reader, string) { return body([]part{{"scan.png", bytes.NewReader(bomb)}}) }, 413, passbook.PayloadTooLarge, `"scan.png" is too large an image to read (100000×100000 pixels`},
		{"empty file", func() (io.Reader, string) { return body([]part{{"empty.pdf", strings.NewReader("")}}) }, 400, passbook.InvalidRequest, "empty"},
		{"no file", func() (io.Reader, string) { return body(nil) }, 400, passbook.InvalidRequest, "no file"},
		{"empty body", func() (io.Reader, string) { return strings.NewReader(""), "multipart/form-data; boundary=x" }, 400, passbook.InvalidRequest, ""},
		{"not multipart", func() (io.Reader, string) { return strings.NewReader(`{"a":1}`), "application/json" }, 400, passbook.InvalidRequest, "multipart"},
		{"truncated", truncated, 400, passbook.InvalidRequest, "cut off"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ct := c.body()
			status, b := e.post(t, "/v3/"+e.customer.Id+"/upload", r, ct)
			var eb errorBody
			if err := json.Unmarshal(b, &eb); err != nil {
				t.Fatalf("%d %s", status, b)
			}
			if status != c.status || eb.HttpStatusCode != c.status || eb.FlinksCode != c.code || !strings.Contains(eb.Message, c.says) {
				t.Fatalf("%d %+v; want %d %s %q", status, eb, c.status, c.code, c.says)
			}
			if files, uploads, logins := e.stored(t); files != 0 || uploads != 0 || logins != 0 {
				t.Fatalf("a refused upload left %d files, %d uploads, %d logins", files, uploads, logins)
			}
		})
	}
	if n, _ := e.db.CountUploads(context.Background(), e.customer.Id); n != 0 {
		t.Fatalf("quota used by refused uploads: %d", n)
	}
	// No key, wrong key.
	req, _ := http.NewRequest("POST", e.srv.URL+"/v3/"+e.customer.Id+"/upload", strings.NewReader(""))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("no key: %d", resp.StatusCode)
	}
}

func TestUploadCountsOnceAndQuota(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{UploadQuota: 2})
	var ps []part
	for i := range MaxFiles {
		ps = append(ps, part{fmt.Sprintf("m%02d.pdf", i), bytes.NewReader(uploadtest.New(fmt.Sprintf("777-%d", i), 4, 3).PDF(40))})
	}
	status, b := e.upload(t, ps)
	if status != 200 {
		t.Fatalf("24 files: %d %s", status, b)
	}
	var rc Receipt
	json.Unmarshal(b, &rc)
	if rc.LoginId == "" || len(rc.Files) != MaxFiles || rc.Files[0].SHA256 == "" {
		t.Fatalf("receipt %s", b)
	}
	if n, _ := e.db.CountUploads(context.Background(), e.customer.Id); n != 1 {
		t.Fatalf("24 files counted %d times", n)
	}
	if files, _, _ := e.stored(t); files != MaxFiles {
		t.Fatalf("%d files stored", files)
	}
	if status, b := e.upload(t, []part{{"a.pdf", bytes.NewReader(uploadtest.New("1", 1, 2).PDF(40))}}); status != 200 {
		t.Fatalf("second upload: %d %s", status, b)
	}
	status, b = e.upload(t, []part{{"a.pdf", bytes.NewReader(uploadtest.New("1", 1, 2).PDF(40))}})
	var eb errorBody
	json.Unmarshal(b, &eb)
	if status != 429 || eb.FlinksCode != passbook.QuotaExceeded {
		t.Fatalf("over quota: %d %s", status, b)
	}
	if n, _ := e.db.CountUploads(context.Background(), e.customer.Id); n != 2 {
		t.Fatalf("uploads counted: %d", n)
	}
}

// hookReceiver verifies and records every webhook it receives.
type hookReceiver struct {
	mu     sync.Mutex
	secret string
	events map[string][]byte // webhook-id → body
	order  []string
	counts map[string]int
	bad    int
	at     map[string]time.Time
}

func newHookReceiver() *hookReceiver {
	return &hookReceiver{events: map[string][]byte{}, counts: map[string]int{}, at: map[string]time.Time{}}
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := webhook.Verify(h.secret, r.Header, b, time.Now(), webhook.DefaultTolerance); err != nil {
		h.bad++
		w.WriteHeader(401)
		return
	}
	id := r.Header.Get(webhook.HeaderID)
	h.events[id] = b
	h.counts[id]++
	h.order = append(h.order, id)
	h.at[id] = time.Now()
}

func (h *hookReceiver) get(id string) ([]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b, ok := h.events[id]
	return b, ok
}

func (e *env) addEndpoint(t testing.TB, h *hookReceiver) {
	t.Helper()
	rsrv := httptest.NewServer(h)
	t.Cleanup(rsrv.Close)
	req, _ := http.NewRequest("POST", e.srv.URL+"/v3/"+e.customer.Id+"/webhooks", strings.NewReader(`{"Url":"`+rsrv.URL+`"}`))
	req.Header.Set("x-api-key", e.apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ep struct{ Secret string }
	json.NewDecoder(resp.Body).Decode(&ep)
	if resp.StatusCode != 201 || ep.Secret == "" {
		t.Fatalf("endpoint: %d", resp.StatusCode)
	}
	h.mu.Lock()
	h.secret = ep.Secret
	h.mu.Unlock()
}

func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestUploadProcessedAndAnnounced(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{})
	h := newHookReceiver()
	e.addEndpoint(t, h)
	fx := []uploadtest.Statement{uploadtest.New("00999-1234567", 1, 10), uploadtest.New("00999-1234567", 2, 7), uploadtest.New("00999-7654321", 2, 5)}
	var ps []part
	for i, f := range fx {
		ps = append(ps, part{fmt.Sprintf("statement-%d.pdf", i), bytes.NewReader(f.PDF(6))})
	}
	status, b := e.upload(t, ps)
	if status != 200 {
		t.Fatalf("upload: %d %s", status, b)
	}
	var rc Receipt
	json.Unmarshal(b, &rc)
	rec, err := e.db.LoginRecord(context.Background(), e.customer.Id, rc.LoginId)
	if err != nil || rec.Type != passbook.LoginUpload || rec.Institution != "Maple Test Bank" {
		t.Fatalf("login: %+v %v", rec, err)
	}
	completed := "evt_" + rc.UploadId + "_completed"
	waitFor(t, "the completed webhook", 30*time.Second, func() bool { _, ok := h.get(completed); return ok })
	rec, _ = e.db.LoginRecord(context.Background(), e.customer.Id, rc.LoginId)
	if rec.Status != passbook.LoginReady {
		t.Fatalf("login status %s", rec.Status)
	}
	cb, _ := h.get(completed)
	var payload struct {
		ResponseType   string
		HttpStatusCode int
		Accounts       []passbook.Account
		Documents      []passbook.Document
		Login          passbook.Login
	}
	if err := json.Unmarshal(cb, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.ResponseType != "GetAccountsDetail" || payload.HttpStatusCode != 200 || payload.Login.Id != rc.LoginId || payload.Login.Type != passbook.LoginUpload {
		t.Fatalf("payload head: %s", cb[:min(len(cb), 300)])
	}
	if len(payload.Accounts) != 2 || len(payload.Documents) != 3 {
		t.Fatalf("%d accounts, %d documents", len(payload.Accounts), len(payload.Documents))
	}
	got := map[string]int{}
	for _, a := range payload.Accounts {
		got[a.AccountNumber] = len(a.Transactions)
	}
	if got["00999-1234567"] != 17 || got["00999-7654321"] != 5 {
		t.Fatalf("transactions per account: %v", got)
	}
	stored, _ := e.db.Accounts(context.Background(), rc.LoginId)
	docs, _ := e.db.LoginDocuments(context.Background(), rc.LoginId)
	if len(stored) != 2 || len(docs) != 3 || docs[0].Status != engine.DocumentRead {
		t.Fatalf("stored %d accounts, %d documents", len(stored), len(docs))
	}
	received := "evt_" + rc.UploadId + "_received"
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.bad != 0 || h.counts[received] != 1 || h.counts[completed] != 1 || h.order[0] != received {
		t.Fatalf("deliveries: bad %d, order %v, counts %v", h.bad, h.order, h.counts)
	}
}

func TestUploadFailedAnnounced(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{})
	h := newHookReceiver()
	e.addEndpoint(t, h)
	// A page without text passes the intake's checks and fails processing: no OCR in these tests.
	blank := pdfgen.New()
	blank.AddPage(612, 792)
	status, b := e.upload(t, []part{{"blank.pdf", bytes.NewReader(blank.Bytes())}})
	if status != 200 {
		t.Fatalf("upload: %d %s", status, b)
	}
	var rc Receipt
	json.Unmarshal(b, &rc)
	failed := "evt_" + rc.UploadId + "_failed"
	waitFor(t, "the failed webhook", 30*time.Second, func() bool { _, ok := h.get(failed); return ok })
	fb, _ := h.get(failed)
	if !strings.Contains(string(fb), "blank.pdf") || !strings.Contains(string(fb), `"ResponseType":"UPLOAD_FAILED"`) {
		t.Fatalf("failed body: %s", fb)
	}
	// The event carries the status GetAccountsDetail answers for the failed login (500
	// AGGREGATION_ERROR), not one of its own.
	var fe struct {
		HttpStatusCode int
		FlinksCode     passbook.Code
	}
	if err := json.Unmarshal(fb, &fe); err != nil || fe.FlinksCode != passbook.AggregationError || fe.HttpStatusCode != passbook.AggregationError.Info().HTTPStatus {
		t.Fatalf("failed event status %d %s, want %d %s", fe.HttpStatusCode, fe.FlinksCode, passbook.AggregationError.Info().HTTPStatus, passbook.AggregationError)
	}
	rec, _ := e.db.LoginRecord(context.Background(), e.customer.Id, rc.LoginId)
	if rec.Status != passbook.LoginFailed {
		t.Fatalf("login status %s", rec.Status)
	}
}

func TestWidgetUpload(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{})
	r, ct := body([]part{{"a.pdf", bytes.NewReader(uploadtest.New("42-1", 5, 3).PDF(40))}})
	req, _ := http.NewRequest("POST", e.srv.URL+"/v2/api/upload?s=widget-session-"+e.customer.Id, r)
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var rc Receipt
	json.Unmarshal(b, &rc)
	if resp.StatusCode != 200 || rc.LoginId == "" || rc.Institution != "Maple Test Bank" {
		t.Fatalf("widget upload: %d %s", resp.StatusCode, b)
	}
	r, ct = body([]part{{"a.pdf", bytes.NewReader([]byte("%PDF-1.4"))}})
	req, _ = http.NewRequest("POST", e.srv.URL+"/v2/api/upload?s=forged", r)
	req.Header.Set("Content-Type", ct)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("forged session: %d", resp.StatusCode)
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		head, want string
	}{
		{"%PDF-1.7\n", TypePDF}, {"\r\n  %PDF-1.4", TypePDF}, {"\xff\xd8\xff\xe0JFIF", TypeJPEG}, {"\x89PNG\r\n\x1a\nxxxx", TypePNG},
		{"II*\x00abcd", TypeTIFF}, {"MM\x00*abcd", TypeTIFF}, {"BM" + strings.Repeat("\x00", 20), TypeBMP},
		{"Date,Amount\n", ""}, {"PK\x03\x04", ""}, {"", ""}, {"%PD", ""},
	} {
		if got := Sniff([]byte(c.head)); got != c.want {
			t.Errorf("Sniff(%q) = %q, want %q", c.head, got, c.want)
		}
	}
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("%PDF-1.7"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := Sniff(b); got == TypePDF && !bytes.Contains(b, []byte("%PDF-")) {
			t.Fatalf("PDF without a header: %q", b)
		}
	})
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"C:\\Users\\me\\jan.pdf": "jan.pdf", "../../etc/passwd": "passwd", "  ": "statement.pdf", "a\x00b.pdf": "ab.pdf",
		"relevé-janvier.pdf": "relevé-janvier.pdf", strings.Repeat("é", 150): strings.Repeat("é", 100),
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q", in, got)
		}
	}
}

// FuzzIntake sends arbitrary multipart bodies to the real handler: whatever arrives, the answer
// is a 200 or a 4xx in the Flinks shape, never a 5xx or a panic, and a refusal stores nothing.
func FuzzIntake(f *testing.F) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("fuzzboundary")
	w, _ := mw.CreateFormFile("files", "a.pdf")
	w.Write([]byte("%PDF-1.4\n%%EOF\n"))
	mw.WriteField("institution", "Maple")
	mw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("--fuzzboundary\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.pdf\"\r\n\r\n%PDF-"))
	f.Add([]byte("--fuzzboundary--\r\n"))
	f.Add([]byte(""))
	e := newEnv(f, passbook.CustomerSettings{})
	f.Fuzz(func(t *testing.T, b []byte) {
		before, _, _ := e.stored(t)
		status, body := e.post(t, "/v3/"+e.customer.Id+"/upload", bytes.NewReader(b), "multipart/form-data; boundary=fuzzboundary")
		if status >= 500 {
			t.Fatalf("%d %s", status, body)
		}
		if status != 200 {
			var eb errorBody
			if err := json.Unmarshal(body, &eb); err != nil || eb.HttpStatusCode != status || eb.FlinksCode == "" {
				t.Fatalf("%d %s", status, body)
			}
			if after, _, _ := e.stored(t); after != before {
				t.Fatalf("a refused upload stored %d files", after-before)
			}
		}
	})
}

func TestWidgetUploadOff(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{UploadMode: "off"})
	r, ct := body([]part{{"a.pdf", bytes.NewReader(uploadtest.New("42-1", 5, 3).PDF(40))}})
	req, _ := http.NewRequest("POST", e.srv.URL+"/v2/api/upload", r)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Passbook-Session", "widget-session-"+e.customer.Id)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("upload with uploads off: %d", resp.StatusCode)
	}
	if files, uploads, _ := e.stored(t); files != 0 || uploads != 0 {
		t.Fatalf("stored %d files, %d uploads", files, uploads)
	}
}

// TestUploadLimits: a widget session, a customer and the server each have a budget of uploads;
// past it the answer is 429 with Retry-After, and nothing is stored or charged.
func TestUploadLimits(t *testing.T) {
	e := newEnv(t, passbook.CustomerSettings{})
	widget := func() *http.Response {
		r, ct := body([]part{{"a.pdf", bytes.NewReader(uploadtest.New("42-1", 5, 3).PDF(40))}})
		req, _ := http.NewRequest("POST", e.srv.URL+"/v2/api/upload", r)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-Passbook-Session", "widget-session-"+e.customer.Id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	e.svc.Limits = Limits{PerSession: api.NewLimiter(1.0/3600, 2), PerCustomer: api.NewLimiter(1.0/3600, 3)}
	for i := range 2 {
		if resp := widget(); resp.StatusCode != 200 {
			t.Fatalf("widget upload %d: %d", i, resp.StatusCode)
		}
	}
	resp := widget()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third upload of the session: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The customer's budget (3) was spent by two uploads; the API gets one more.
	if st, b := e.upload(t, []part{{"b.pdf", bytes.NewReader(uploadtest.New("42-2", 5, 3).PDF(40))}}); st != 200 {
		t.Fatalf("API upload: %d %s", st, b)
	}
	if st, b := e.upload(t, []part{{"c.pdf", bytes.NewReader(uploadtest.New("42-3", 5, 3).PDF(40))}}); st != 429 {
		t.Fatalf("API upload over the customer's budget: %d %s", st, b)
	}
	files, uploads, _ := e.stored(t)
	if files != 3 || uploads != 3 {
		t.Fatalf("stored %d files, %d uploads; want 3, 3", files, uploads)
	}

	// One upload at a time: a second, while the first is still being received, is refused.
	e.svc.Limits = Limits{Concurrent: 1}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", e.srv.URL+"/v3/"+e.customer.Id+"/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", e.apiKey)
	first := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	w, _ := mw.CreateFormFile("files", "slow.pdf")
	w.Write(uploadtest.New("42-4", 5, 3).PDF(40))
	// The first upload is being received once its file is being written to the blob store.
	deadline := time.Now().Add(10 * time.Second)
	for {
		tmp, _ := os.ReadDir(filepath.Join(e.blobDir, ".tmp"))
		if len(tmp) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first upload never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
	st, _ := e.upload(t, []part{{"d.pdf", bytes.NewReader(uploadtest.New("42-5", 5, 3).PDF(40))}})
	mw.Close()
	pw.Close()
	if st != 429 {
		t.Fatalf("a second upload at once: %d", st)
	}
	if st := <-first; st != 200 {
		t.Fatalf("the first upload: %d", st)
	}
}
