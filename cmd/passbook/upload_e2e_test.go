package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/passbookhq/passbook/upload/uploadtest"
	"github.com/passbookhq/passbook/webhook"
)

// proc is a running passbook binary.
type proc struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

func startBinary(t testing.TB, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, append([]string{"serve"}, args...)...), done: make(chan struct{})}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
		}
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// find waits for a line of the output matching re and returns its first group.
func (p *proc) find(t testing.TB, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		for _, l := range p.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				p.mu.Unlock()
				return m[1]
			}
		}
		p.mu.Unlock()
		select {
		case <-p.done:
			t.Fatalf("passbook exited before printing %s", re)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("passbook did not print %s", re)
	return ""
}

var (
	reListening = regexp.MustCompile(`running at (http://[^/ ]+)/`)
	reSecret    = regexp.MustCompile(`shown once: (whsec_\S+)`)
)

// TestUploadSurvivesKill builds and starts the real binary, uploads statements, kills the
// process with SIGKILL while the processing job runs, starts it again on the same data, and sees
// the upload complete with each webhook event delivered once, with valid signatures.
func TestUploadSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "passbook")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	counts := map[string]int{}
	var secret string
	bad := 0
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if webhook.Verify(secret, r.Header, b, time.Now(), webhook.DefaultTolerance) != nil {
			bad++
			w.WriteHeader(401)
			return
		}
		counts[r.Header.Get(webhook.HeaderID)]++
	}))
	defer rcv.Close()

	data := filepath.Join(dir, "data")
	// Without the demo receiver, whose deliveries would compete with the receiver's for the
	// database around the kill.
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn", "--allow-private-webhooks", "--webhook-url", rcv.URL + "/hook", "--demo-receiver=false"}
	p := startBinary(t, bin, args...)
	base := p.find(t, reListening)
	customerID, apiKey := p.find(t, reCustomerID), p.find(t, reAPIKey)
	mu.Lock()
	secret = p.find(t, reSecret)
	mu.Unlock()

	// Enough statements that processing takes a while.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := range 12 {
		w, _ := mw.CreateFormFile("files", fmt.Sprintf("statement-%02d.pdf", i))
		w.Write(uploadtest.New(fmt.Sprintf("00%d-55501", i), time.Month(1+i%12), 120).PDF(45))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/v3/"+customerID+"/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var rc struct{ LoginId, UploadId string }
	json.NewDecoder(resp.Body).Decode(&rc)
	resp.Body.Close()
	if resp.StatusCode != 200 || rc.UploadId == "" {
		t.Fatalf("upload: %d", resp.StatusCode)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "passbook.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	state := func(q string, args ...any) string {
		var s string
		db.QueryRow(q, args...).Scan(&s)
		return s
	}
	// Kill while the processing job runs, once the "received" event is recorded as delivered: a
	// kill between a receiver's answer and that record would send the event again after the
	// restart (delivery is at least once; receivers deduplicate on webhook-id), which is not what
	// this test is about.
	received := "evt_" + rc.UploadId + "_received"
	deadline := time.Now().Add(30 * time.Second)
	for state(`SELECT state FROM river_job WHERE kind = 'upload_process'`) != "running" ||
		state(`SELECT status FROM webhook_deliveries WHERE event_id = ?`, received) != "delivered" {
		if time.Now().After(deadline) {
			t.Fatal("the processing job never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	if s := state(`SELECT status FROM uploads WHERE id = ?`, rc.UploadId); s != "received" {
		t.Fatalf("the job finished before the kill (status %q): make the upload heavier", s)
	}
	if s := state(`SELECT state FROM river_job WHERE kind = 'upload_process'`); s != "running" {
		t.Fatalf("job state after kill: %s", s)
	}

	p2 := startBinary(t, bin, args...)
	p2.find(t, reListening)
	completed := "evt_" + rc.UploadId + "_completed"
	deadline = time.Now().Add(90 * time.Second)
	for {
		mu.Lock()
		n := counts[completed]
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no completed webhook after the restart; upload status %q", state(`SELECT status FROM uploads WHERE id = ?`, rc.UploadId))
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // room for a duplicate to show up
	mu.Lock()
	defer mu.Unlock()
	if bad != 0 || counts[received] != 1 || counts[completed] != 1 || len(counts) != 2 {
		t.Fatalf("deliveries: %v, %d with bad signatures", counts, bad)
	}
	var accounts int
	db.QueryRow(`SELECT count(*) FROM login_accounts WHERE login_id = ?`, rc.LoginId).Scan(&accounts)
	if accounts != 12 {
		t.Fatalf("%d accounts stored, want 12", accounts)
	}
}
