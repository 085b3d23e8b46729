package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook/webhook"
)

// BenchmarkScanUploadWebhook starts the real binary and uploads three scanned pages through the
// API — the two-page image-only PDF and the one-page JPEG photo of ocr/testdata — then times
// each upload from the request to the verified "completed" webhook (GetAccountsDetail) at a
// receiver: the wait a lender sees for a scanned statement. It reports the p50 and the worst.
//
//	go test ./cmd/passbook -run '^$' -bench ScanUploadWebhook -benchtime 5x
func BenchmarkScanUploadWebhook(b *testing.B) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		b.Skip("tesseract is not installed")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	var mu sync.Mutex
	var secret string
	type event struct {
		at   time.Time
		body string
	}
	var events []event // verified "completed" events (GetAccountsDetail), as they arrived
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if secret == "" || webhook.Verify(secret, r.Header, body, time.Now(), webhook.DefaultTolerance) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev struct{ ResponseType string }
		if json.Unmarshal(body, &ev) == nil && ev.ResponseType == "GetAccountsDetail" {
			events = append(events, event{time.Now(), string(body)})
		}
	}))
	defer rcv.Close()
	p := startBinary(b, bin, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--log-level", "warn", "--demo-receiver=false", "--allow-private-webhooks")
	base, cid, apiKey := p.find(b, reListening), p.find(b, reCustomerID), p.find(b, reAPIKey)
	var ep struct{ Secret string }
	if st := postJSON(b, base+"/v3/"+cid+"/webhooks", map[string]string{"x-api-key": apiKey}, `{"Url":"`+rcv.URL+`/hook"}`, &ep); st != http.StatusCreated {
		b.Fatalf("register the webhook: %d", st)
	}
	mu.Lock()
	secret = ep.Secret
	mu.Unlock()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, name := range []string{"quartz-01-scan.pdf", "birch-00-photo.jpg"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "ocr", "testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		w, _ := mw.CreateFormFile("files", name)
		w.Write(raw)
	}
	mw.Close()

	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		req, _ := http.NewRequest("POST", base+"/v3/"+cid+"/upload", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("x-api-key", apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var rc struct{ LoginId string }
		json.NewDecoder(resp.Body).Decode(&rc)
		resp.Body.Close()
		if resp.StatusCode != 200 || rc.LoginId == "" {
			b.Fatalf("upload: %d", resp.StatusCode)
		}
		for {
			var at time.Time
			mu.Lock()
			for _, e := range events {
				if strings.Contains(e.body, rc.LoginId) {
					at = e.at
				}
			}
			mu.Unlock()
			if !at.IsZero() {
				took = append(took, at.Sub(start))
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatal("no completed webhook in 5 minutes")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	slices.Sort(took)
	b.ReportMetric(took[len(took)/2].Seconds(), "p50-s")
	b.ReportMetric(took[len(took)-1].Seconds(), "max-s")
	b.ReportMetric(3, "pages")
}
