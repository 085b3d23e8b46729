package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/pdfgen"
	"github.com/passbookhq/passbook/upload/uploadtest"
)

// leftovers lists the files under a data directory's blob store.
func leftovers(t testing.TB, blobs string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(blobs, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(blobs, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestSlowDripUploadIsCutOff sends an upload body a few bytes at a time: the server cuts it off
// once the body falls below the minimum rate after its grace, and keeps no file of it.
func TestSlowDripUploadIsCutOff(t *testing.T) {
	data := t.TempDir()
	cfgArgs := []string{"--data", data, "--body-grace", "1s", "--body-min-rate", "100000"}
	base, out := startServer(t, cfgArgs...)
	k := keysFrom(t, out.String())
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("files", "drip.pdf")
	w.Write(uploadtest.New("001-55501", time.March, 40).PDF(45))
	mw.Close()
	fmt.Fprintf(conn, "POST /v3/%s/upload HTTP/1.1\r\nHost: x\r\nx-api-key: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		k.CustomerID, k.APIKey, mw.FormDataContentType(), body.Len())
	start := time.Now()
	cut := false
	for i := 0; i < body.Len() && time.Since(start) < 20*time.Second; i += 16 {
		if _, err := conn.Write(body.Bytes()[i:min(i+16, body.Len())]); err != nil {
			cut = true
			break
		}
		time.Sleep(100 * time.Millisecond)
		conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		if b, err := io.ReadAll(conn); len(b) > 0 || err == io.EOF {
			cut = true // the server answered (or closed) before the body was sent
			break
		}
	}
	if !cut {
		t.Fatal("a slow-drip body was not cut off within 20 s")
	}
	// Its file is gone (the handler's clean-up runs as the request ends).
	deadline := time.Now().Add(5 * time.Second)
	for len(leftovers(t, filepath.Join(data, "blobs"))) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if l := leftovers(t, filepath.Join(data, "blobs")); len(l) > 0 {
		t.Fatalf("a cut-off upload left files: %v", l)
	}
}

// TestJanitorAfterKill kills the real binary (SIGKILL) in the middle of receiving an upload,
// after one file of it is stored and while the next is being written, with a committed upload
// beside it; the next start's janitor removes the leftovers and keeps the committed upload's files.
func TestJanitorAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	blobs := filepath.Join(data, "blobs")
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn", "--demo-receiver=false"}
	p := startBinary(t, bin, args...)
	base, cid, apiKey := p.find(t, reListening), p.find(t, reCustomerID), p.find(t, reAPIKey)

	// A committed upload.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("files", "kept.pdf")
	w.Write(uploadtest.New("002-55501", time.April, 30).PDF(45))
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/v3/"+cid+"/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", err, resp)
	}
	resp.Body.Close()
	kept := leftovers(t, blobs)

	// An upload killed mid-way: one file stored, the next being written.
	pr, pw := io.Pipe()
	mw = multipart.NewWriter(pw)
	go func() {
		w, _ := mw.CreateFormFile("files", "first.pdf")
		w.Write(uploadtest.New("003-55501", time.May, 30).PDF(45))
		w, _ = mw.CreateFormFile("files", "second.pdf")
		w.Write([]byte("%PDF-1.7\n" + strings.Repeat("x", 1<<20)))
		// …and never finishes.
	}()
	req, _ = http.NewRequest("POST", base+"/v3/"+cid+"/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("x-api-key", apiKey)
	go http.DefaultClient.Do(req)
	deadline := time.Now().Add(20 * time.Second)
	for {
		var tmp, stored bool
		for _, l := range leftovers(t, blobs) {
			tmp = tmp || strings.HasPrefix(l, ".tmp")
			stored = stored || (strings.HasPrefix(l, "uploads") && !strings.Contains(strings.Join(kept, " "), l))
		}
		if tmp && stored {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upload did not get half-way: %v", leftovers(t, blobs))
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	pw.CloseWithError(io.ErrClosedPipe)
	if l := leftovers(t, blobs); len(l) <= len(kept) {
		t.Fatalf("the kill left nothing to clean: %v", l)
	}

	// The next start's janitor (everything counts as old here) removes the leftovers only.
	p2 := startBinary(t, bin, append(args, "--janitor-age", "1ns")...)
	p2.find(t, reListening)
	deadline = time.Now().Add(10 * time.Second)
	for strings.Join(leftovers(t, blobs), " ") != strings.Join(kept, " ") {
		if time.Now().After(deadline) {
			t.Fatalf("after the janitor: %v, want %v", leftovers(t, blobs), kept)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The folders left empty go too (the janitor removes them after the files).
	for {
		entries, _ := os.ReadDir(filepath.Join(blobs, "uploads"))
		if len(entries) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("upload folders after the janitor: %d, want 1", len(entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOversizedBodiesAndWrongMethods: any body over its limit is 413 (the webhook registration's
// included, malformed or not), and a wrong method is 405 with Allow.
func TestOversizedBodiesAndWrongMethods(t *testing.T) {
	base, out := startServer(t)
	k := keysFrom(t, out.String())
	send := func(method, path string, body io.Reader, length int64) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, body)
		req.ContentLength = length
		req.Header.Set("x-api-key", k.APIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	big := func() io.Reader { return io.LimitReader(zeroReader{}, 50<<20) }
	for _, path := range []string{"/v3/" + k.CustomerID + "/webhooks", "/v3/" + k.CustomerID + "/BankingServices/GetAccountsDetail"} {
		if resp := send("POST", path, big(), 50<<20); resp.StatusCode != 413 {
			t.Errorf("POST %s, 50 MB declared: %d", path, resp.StatusCode)
		}
		if resp := send("POST", path, big(), -1); resp.StatusCode != 413 { // chunked: no length said
			t.Errorf("POST %s, 50 MB chunked: %d", path, resp.StatusCode)
		}
	}
	// Within the server's limit but over the webhook registration's own.
	if resp := send("POST", "/v3/"+k.CustomerID+"/webhooks", strings.NewReader(`{"Url":"`+strings.Repeat("a", 64<<10)+`"}`), -1); resp.StatusCode != 413 {
		t.Errorf("POST /webhooks, 64 kB: %d", resp.StatusCode)
	}
	resp := send("DELETE", "/v3/"+k.CustomerID+"/BankingServices/Authorize", nil, 0)
	if resp.StatusCode != 405 || !strings.Contains(resp.Header.Get("Allow"), "POST") {
		t.Errorf("DELETE Authorize: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// TestKillDuringProcessing kills the real binary (SIGKILL) while an upload's job runs, then
// starts it again: the job is run again to its end (the queue makes the orphaned job available at
// start), its webhook goes out once, nothing committed is lost, and after the janitor's next run
// nothing is left behind (no file the upload does not reference, no temporary file).
func TestKillDuringProcessing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "passbook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var mu sync.Mutex
	hooks := map[string]int{} // EventType+" "+LoginId → deliveries received
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			EventType, LoginId string
			Login              struct{ Id string }
		}
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &ev)
		mu.Lock()
		hooks[ev.EventType+" "+ev.LoginId+ev.Login.Id]++
		mu.Unlock()
	}))
	defer rcv.Close()
	data := filepath.Join(dir, "data")
	blobs := filepath.Join(data, "blobs")
	args := []string{"--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn", "--demo-receiver=false", "--allow-private-webhooks"}
	p := startBinary(t, bin, args...)
	base, cid, apiKey := p.find(t, reListening), p.find(t, reCustomerID), p.find(t, reAPIKey)
	var ep struct{ Secret string }
	if st := postJSON(t, base+"/v3/"+cid+"/webhooks", map[string]string{"x-api-key": apiKey}, `{"Url":"`+rcv.URL+`/hook"}`, &ep); st != http.StatusCreated {
		t.Fatalf("register the webhook: %d", st)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "passbook.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A statement and a page that takes PDFium seconds to refuse (300,000 rectangles in two content
	// streams): the job is still running when the server dies.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("files", "statement.pdf")
	w.Write(uploadtest.New("004-55501", time.March, 60).PDF(45))
	w, _ = mw.CreateFormFile("files", "crowded.pdf")
	w.Write(pdfgen.Bomb(pdfgen.Flate, pdfgen.TwoStreams, pdfgen.Rects(150_000)))
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/v3/"+cid+"/upload", &body)
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
	committed := leftovers(t, blobs)
	jobState := func() string {
		var s string
		db.QueryRow(`SELECT state FROM river_job WHERE kind = 'upload_process'`).Scan(&s)
		return s
	}
	deadline := time.Now().Add(30 * time.Second)
	for jobState() != "running" {
		if time.Now().After(deadline) {
			t.Fatalf("the job never ran (state %q)", jobState())
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	if s := jobState(); s != "running" {
		t.Fatalf("the job was %q when the server died, not running", s)
	}

	// Restarted (everything counts as old for the janitor, which runs every second), the job ends.
	p2 := startBinary(t, bin, append(args, "--janitor-age", "1ns", "--janitor-every", "1s")...)
	p2.find(t, reListening)
	deadline = time.Now().Add(2 * time.Minute)
	for {
		var status string
		db.QueryRow(`SELECT status FROM uploads WHERE id = ?`, rc.UploadId).Scan(&status)
		if status != "received" && status != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the upload was not processed after the restart (job %q)", jobState())
		}
		time.Sleep(20 * time.Millisecond)
	}
	completed := "UPLOAD_COMPLETED " + rc.LoginId
	for {
		mu.Lock()
		n := hooks[completed]
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no completed webhook: %v", hooks)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The documents: the statement read, the crowded page failed with its reason.
	rows, err := db.Query(`SELECT data FROM login_documents WHERE login_id = ? ORDER BY position`, rc.LoginId)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for rows.Next() {
		var d string
		rows.Scan(&d)
		docs = append(docs, d)
	}
	rows.Close()
	if len(docs) != 2 || !strings.Contains(docs[0], `"Status":"read"`) || !strings.Contains(docs[1], "too complex to read") {
		t.Fatalf("documents after the restart: %v", docs)
	}
	// Two janitor runs later: the committed files are all there, and nothing else is.
	time.Sleep(2500 * time.Millisecond)
	if got := strings.Join(leftovers(t, blobs), " "); got != strings.Join(committed, " ") {
		t.Fatalf("files after the janitor: %s, want %s", got, strings.Join(committed, " "))
	}
	tmp, _ := filepath.Glob(filepath.Join(data, "*.tmp"))
	if len(tmp) > 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
	mu.Lock()
	defer mu.Unlock()
	// The "received" event may come twice: its delivery can be the job the kill interrupted
	// (deliveries are at least once; the EventId is the same, for the receiver to see it).
	if hooks[completed] != 1 || hooks["UPLOAD_RECEIVED "+rc.LoginId] < 1 || len(hooks) != 2 {
		t.Fatalf("webhooks: %v; want the received event and one completed", hooks)
	}
}
