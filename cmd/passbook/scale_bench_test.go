package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/testenv"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// The scale path's cost, measured the same way on SQLite and on PostgreSQL: the real binary, one
// server, files on local disk, the API over loopback HTTP.
//
//	go test ./cmd/passbook -run '^$' -bench 'Scale' -benchtime 5s
//
// (PostgreSQL from PASSBOOK_TEST_POSTGRES; its sub-benchmarks are skipped without it.)

// scaleServer is a running binary on one database, with a webhook receiver.
type scaleServer struct {
	base string
	keys printedKeys
	mu   sync.Mutex
	got  map[string]chan struct{} // webhook event id → closed when received
}

// arrived returns a channel closed when the event id has been received.
func (s *scaleServer) arrived(id string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.got[id]
	if !ok {
		c = make(chan struct{})
		s.got[id] = c
	}
	return c
}

func startScaleServer(b *testing.B, database string) *scaleServer {
	b.Helper()
	dir := b.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	s := &scaleServer{got: map[string]chan struct{}{}}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		c := s.arrived(r.Header.Get("webhook-id"))
		s.mu.Lock()
		select {
		case <-c:
		default:
			close(c)
		}
		s.mu.Unlock()
	}))
	b.Cleanup(rcv.Close)
	args := []string{"--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--log-level", "warn", "--demo-receiver=false",
		"--allow-private-webhooks", "--webhook-url", rcv.URL + "/hook", "--uploads-per-minute", "0"}
	if database != "" {
		args = append(args, "--database", database)
	}
	p := startBinary(b, bin, args...)
	s.base = p.find(b, reListening)
	s.keys = printedKeys{p.find(b, reCustomerID), p.find(b, reAPIKey), p.find(b, reAuthKey)}
	return s
}

// scaleDatabases runs fn on SQLite and on PostgreSQL.
func scaleDatabases(b *testing.B, fn func(b *testing.B, s *scaleServer)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, startScaleServer(b, "")) })
	b.Run("postgres", func(b *testing.B) { fn(b, startScaleServer(b, testenv.PostgresURL(b))) })
}

// BenchmarkScaleGetAccountsDetail measures GetAccountsDetail's throughput on one login of 12
// accounts of 120 transactions, from 8 concurrent clients.
func BenchmarkScaleGetAccountsDetail(b *testing.B) {
	scaleDatabases(b, func(b *testing.B, s *scaleServer) {
		files := []namedFile{}
		for i := range 12 {
			files = append(files, namedFile{"s" + string(rune('a'+i)) + ".pdf", uploadtest.New("00"+string(rune('0'+i%10))+"-55501", time.Month(1+i), 120).PDF(45)})
		}
		loginID := postUpload(b, s.base, s.keys.CustomerID, s.keys.APIKey, files...)
		rid := requestID(b, s, loginID)
		body := `{"RequestId":"` + rid + `","WithTransactions":true}`
		url := s.base + "/v3/" + s.keys.CustomerID + "/BankingServices/GetAccountsDetail"
		call := func() (int, error) {
			req, _ := http.NewRequest("POST", url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("x-api-key", s.keys.APIKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return 0, err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		}
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			st, err := call()
			if err != nil || st == 200 {
				break
			}
			if time.Now().After(deadline) || st != 202 {
				b.Fatalf("GetAccountsDetail: %d", st)
			}
		}
		http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 16
		b.SetParallelism(4) // 8 clients on 2 cores
		start := time.Now()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if st, err := call(); err != nil || st != 200 {
					b.Errorf("GetAccountsDetail: %d %v", st, err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
}

// BenchmarkScaleUploadToWebhook measures the time from sending a one-statement upload (30
// transactions) to receiving its completed webhook, one upload at a time, and reports the median.
func BenchmarkScaleUploadToWebhook(b *testing.B) {
	scaleDatabases(b, func(b *testing.B, s *scaleServer) {
		pdf := uploadtest.New("00777-1234567", time.March, 30).PDF(45)
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			uploadID := sendUpload(b, s, "march.pdf", pdf)
			select {
			case <-s.arrived("evt_" + uploadID + "_completed"):
			case <-time.After(60 * time.Second):
				b.Fatal("no completed webhook")
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	})
}

// requestID authorizes on a login (MostRecentCached) and returns the RequestId.
func requestID(b *testing.B, s *scaleServer, loginID string) string {
	b.Helper()
	var tok, auth map[string]any
	postJSON(b, s.base+"/v3/"+s.keys.CustomerID+"/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": s.keys.AuthKey}, "", &tok)
	token, _ := tok["Token"].(string)
	postJSON(b, s.base+"/v3/"+s.keys.CustomerID+"/BankingServices/Authorize", map[string]string{"flinks-auth-key": token},
		`{"LoginId":"`+loginID+`","MostRecentCached":true}`, &auth)
	rid, _ := auth["RequestId"].(string)
	if rid == "" {
		b.Fatalf("Authorize: %v", auth)
	}
	return rid
}

// sendUpload posts one file to the API's upload intake and returns the new upload's id.
func sendUpload(b *testing.B, s *scaleServer, name string, data []byte) string {
	b.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("files", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/v3/"+s.keys.CustomerID+"/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", s.keys.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ UploadId string }
	json.NewDecoder(resp.Body).Decode(&v)
	if resp.StatusCode != 200 || v.UploadId == "" {
		b.Fatalf("upload: %d", resp.StatusCode)
	}
	return v.UploadId
}
