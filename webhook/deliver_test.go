package webhook

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/queue"
	"github.com/passbookhq/passbook/sqlite"
)

// env is a real database, a real River client with the Sender, and a customer.
type env struct {
	db       *sqlite.DB
	client   *queue.Client
	customer *passbook.Customer
	apiKey   string
	mux      *http.ServeMux
}

func newEnv(t *testing.T, delays []time.Duration) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	c := &passbook.Customer{Name: "Lender"}
	keys, err := db.CreateCustomer(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	s := NewSender(db, Guard{AllowPrivate: true}, nil)
	s.Delays = delays
	river.AddWorker(workers, s)
	client, err := queue.New(ctx, db.Write, workers, queue.Options{WebhookWorkers: 4, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(sctx)
		db.Close()
	})
	mux := http.NewServeMux()
	(&API{DB: db, Queue: client, Guard: Guard{AllowPrivate: true}}).Register(mux)
	return &env{db: db, client: client, customer: c, apiKey: keys.APIKey, mux: mux}
}

func (e *env) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("x-api-key", e.apiKey)
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func (e *env) emit(t *testing.T, ev passbook.WebhookEvent) {
	t.Helper()
	err := e.db.Tx(context.Background(), func(tx *sql.Tx) error { return Emit(context.Background(), tx, e.db, e.client, ev) })
	if err != nil {
		t.Fatal(err)
	}
}

// receiver records verified deliveries and fails the first `fail` requests.
type receiver struct {
	mu       sync.Mutex
	secret   string
	fail     int
	requests int
	bad      int
	got      []string // event ids in arrival order, successful only
	bodies   map[string]string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if err := Verify(r.secret, req.Header, body, time.Now(), DefaultTolerance); err != nil {
		r.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if r.requests <= r.fail {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	r.got = append(r.got, req.Header.Get(HeaderID))
	r.bodies[req.Header.Get(HeaderID)] = string(body)
}

func (r *receiver) snapshot() (got []string, bad, requests int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...), r.bad, r.requests
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDeliveryFailsThenRecovers(t *testing.T) {
	e := newEnv(t, []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond})
	rcv := &receiver{fail: 4, bodies: map[string]string{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()

	code, created := e.call(t, "POST", "/v3/"+e.customer.Id+"/webhooks", `{"Url":"`+srv.URL+`/hook"}`)
	if code != 201 || !strings.HasPrefix(fmt.Sprint(created["Secret"]), "whsec_") {
		t.Fatalf("create endpoint: %d %v", code, created)
	}
	rcv.mu.Lock()
	rcv.secret = created["Secret"].(string)
	rcv.mu.Unlock()

	// Two logins, three events each, emitted interleaved.
	var want []string
	for i := range 3 {
		for _, login := range []string{"login-a", "login-b"} {
			id := fmt.Sprintf("%s-evt-%d", login, i)
			want = append(want, id)
			e.emit(t, passbook.WebhookEvent{Id: id, CustomerID: e.customer.Id, LoginID: login, Type: EventUploadReceived,
				Body: []byte(fmt.Sprintf(`{"ResponseType":"%s","LoginId":"%s","N":%d}`, EventUploadReceived, login, i))})
		}
	}
	// Emitting an event again (a retried job) delivers nothing more.
	e.emit(t, passbook.WebhookEvent{Id: "login-a-evt-0", CustomerID: e.customer.Id, LoginID: "login-a", Type: EventUploadReceived, Body: []byte(`{}`)})

	waitFor(t, "every event", func() bool { got, _, _ := rcv.snapshot(); return len(got) >= len(want) })
	time.Sleep(300 * time.Millisecond) // room for a duplicate to show up
	got, bad, requests := rcv.snapshot()
	if bad != 0 {
		t.Fatalf("%d deliveries with invalid signatures", bad)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d deliveries for %d events: %v", len(got), len(want), got)
	}
	if requests <= len(want) {
		t.Fatalf("the receiver's failures were not exercised: %d requests", requests)
	}
	seen := map[string]int{}
	last := map[string]int{}
	for _, id := range got {
		seen[id]++
		login, nText, _ := strings.Cut(id, "-evt-")
		var n int
		fmt.Sscan(nText, &n)
		if prev, ok := last[login]; ok && n < prev {
			t.Fatalf("out of order for %s: %v", login, got)
		}
		last[login] = n
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Fatalf("event %s delivered %d times", id, seen[id])
		}
	}
	if !strings.Contains(rcv.bodies["login-a-evt-0"], `"N":0`) {
		t.Fatalf("body changed: %s", rcv.bodies["login-a-evt-0"])
	}

	// The delivery log shows every delivery delivered, and the failed attempts.
	eps, _ := e.db.WebhookEndpoints(context.Background(), e.customer.Id)
	code, log := e.call(t, "GET", "/v3/"+e.customer.Id+"/webhooks/"+eps[0].Id+"/deliveries", "")
	if code != 200 {
		t.Fatalf("deliveries: %d", code)
	}
	ds := log["Deliveries"].([]any)
	attempts := 0
	for _, d := range ds {
		m := d.(map[string]any)
		if m["Status"] != passbook.DeliveryDelivered {
			t.Fatalf("delivery not delivered: %v", m)
		}
		attempts += int(m["Attempts"].(float64))
	}
	if len(ds) != len(want) || attempts != requests {
		t.Fatalf("log: %d deliveries, %d attempts; receiver saw %d requests", len(ds), attempts, requests)
	}

	// A manual redelivery sends the same event (same id, same body) once more.
	first := ds[len(ds)-1].(map[string]any)
	code, _ = e.call(t, "POST", fmt.Sprintf("/v3/%s/webhooks/deliveries/%d/redeliver", e.customer.Id, int64(first["Id"].(float64))), "")
	if code != 202 {
		t.Fatalf("redeliver: %d", code)
	}
	waitFor(t, "redelivery", func() bool { got, _, _ := rcv.snapshot(); return len(got) == len(want)+1 })
	got, _, _ = rcv.snapshot()
	if got[len(got)-1] != first["EventID"] {
		t.Fatalf("redelivered %s, want %s", got[len(got)-1], first["EventID"])
	}
}

func TestDeliveryGivesUpAfterMaxAttempts(t *testing.T) {
	e := newEnv(t, []time.Duration{10 * time.Millisecond})
	hits := 0
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.WriteHeader(500)
	}))
	defer srv.Close()
	ep := &passbook.WebhookEndpoint{CustomerID: e.customer.Id, URL: srv.URL, Secret: NewSecret()}
	if err := e.db.CreateWebhookEndpoint(context.Background(), ep); err != nil {
		t.Fatal(err)
	}
	e.emit(t, passbook.WebhookEvent{Id: "x", CustomerID: e.customer.Id, LoginID: "l", Type: EventUploadFailed, Body: []byte(`{}`)})
	waitFor(t, "the delivery to fail", func() bool {
		ds, _ := e.db.WebhookDeliveries(context.Background(), e.customer.Id, ep.Id, 10)
		return len(ds) == 1 && ds[0].Status == passbook.DeliveryFailed
	})
	ds, _ := e.db.WebhookDeliveries(context.Background(), e.customer.Id, ep.Id, 10)
	mu.Lock()
	defer mu.Unlock()
	if ds[0].Attempts != MaxAttempts || hits != MaxAttempts || ds[0].LastStatus != 500 {
		t.Fatalf("attempts %d, hits %d, last status %d; want %d", ds[0].Attempts, hits, ds[0].LastStatus, MaxAttempts)
	}
}

func TestRetryScheduleCoversFlinks(t *testing.T) {
	var total time.Duration
	for n := 1; n < MaxAttempts; n++ {
		total += RetryDelay(n)
	}
	if MaxAttempts < 10 || total < 5*time.Hour {
		t.Fatalf("%d attempts over %s; Flinks makes 10 over 5 hours", MaxAttempts, total)
	}
	for n := 2; n < MaxAttempts; n++ {
		if RetryDelay(n) < RetryDelay(n-1) {
			t.Fatalf("delay %d shorter than %d", n, n-1)
		}
	}
}

func TestAPIRefusesBadInput(t *testing.T) {
	e := newEnv(t, nil)
	api := &API{DB: e.db, Queue: e.client} // the default guard: no private targets
	mux := http.NewServeMux()
	api.Register(mux)
	for _, c := range []struct {
		method, path, key, body string
		status                  int
	}{
		{"POST", "/v3/" + e.customer.Id + "/webhooks", "", `{"Url":"https://example.com"}`, 401},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", "wrong", `{"Url":"https://example.com"}`, 401},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", e.apiKey, `{"Url":"http://127.0.0.1:8080/x"}`, 400},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", e.apiKey, `{"Url":"http://169.254.169.254/"}`, 400},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", e.apiKey, `not json`, 400},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", e.apiKey, `{"Url":"javascript:alert(1)"}`, 400},
		{"DELETE", "/v3/" + e.customer.Id + "/webhooks/nope", e.apiKey, ``, 404},
		{"POST", "/v3/" + e.customer.Id + "/webhooks/deliveries/abc/redeliver", e.apiKey, ``, 404},
		{"POST", "/v3/" + e.customer.Id + "/webhooks/deliveries/99/redeliver", e.apiKey, ``, 404},
		{"GET", "/v3/" + e.customer.Id + "/webhooks/x/deliveries?limit=-1", e.apiKey, ``, 400},
		{"POST", "/v3/" + e.customer.Id + "/webhooks", e.apiKey, `{"Url":"https://example.com/hook"}`, 201},
	} {
		req := httptest.NewRequest(c.method, c.path, bytes.NewReader([]byte(c.body)))
		if c.key != "" {
			req.Header.Set("x-api-key", c.key)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		var body struct {
			HttpStatusCode int
			Message        string
			FlinksCode     string
		}
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != c.status {
			t.Errorf("%s %s: %d, want %d (%s)", c.method, c.path, rec.Code, c.status, rec.Body)
			continue
		}
		if c.status >= 400 && (body.HttpStatusCode != c.status || body.FlinksCode == "" || body.Message == "") {
			t.Errorf("%s %s: error body %s", c.method, c.path, rec.Body)
		}
	}
}
