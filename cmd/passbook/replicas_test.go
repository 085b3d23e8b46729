package main

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/passbookhq/passbook/internal/testenv"
	"github.com/passbookhq/passbook/upload/uploadtest"
	"github.com/passbookhq/passbook/webhook"
)

// TestReplicas runs the scale path end to end: two `passbook serve` processes (the real binary,
// each with a data directory of its own) on one PostgreSQL database and one S3 bucket, sharing
// only the credentials key. The default customer is created once; an upload sent to one replica
// is read back through GetAccountsDetail and the Dashboard of the other; the replica running a
// processing job is killed with SIGKILL and the other finishes the job; and every webhook event
// id reaches the receiver once, none lost.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	database, blobs := testenv.PostgresURL(t), testenv.S3(t)
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
	received := func(id string) int {
		mu.Lock()
		defer mu.Unlock()
		return counts[id]
	}

	var key [32]byte
	rand.Read(key[:])
	replica := func(name string) *proc {
		return startBinary(t, bin, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, name), "--log-level", "warn",
			"--database", database, "--blobs", blobs, "--credentials-key", base64.StdEncoding.EncodeToString(key[:]),
			"--allow-private-webhooks", "--webhook-url", rcv.URL+"/hook", "--demo-receiver=false", "--replica-check", "200ms")
	}
	// Both start at once: one of them creates the default customer and registers the endpoint.
	a, b := replica("a"), replica("b")
	baseA, baseB := a.find(t, reListening), b.find(t, reListening)
	// Everything a replica prints at start comes before it listens: one created the default
	// customer, one (maybe the other) registered the endpoint, one made the admin's link.
	printed := func(re *regexp.Regexp) string {
		t.Helper()
		var found []string
		for _, p := range []*proc{a, b} {
			p.mu.Lock()
			m := re.FindStringSubmatch(strings.Join(p.lines, "\n"))
			p.mu.Unlock()
			if m != nil {
				found = append(found, m[1])
			}
		}
		if len(found) != 1 {
			t.Fatalf("%d replicas printed %s, want 1", len(found), re)
		}
		return found[0]
	}
	keys := printedKeys{printed(reCustomerID), printed(reAPIKey), printed(reAuthKey)}
	mu.Lock()
	secret = printed(reSecret)
	mu.Unlock()
	setup := a.find(t, reSetupLink)

	db, err := sql.Open("pgx", database)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	state := func(q string, args ...any) string {
		var s string
		db.QueryRow(q, args...).Scan(&s)
		return s
	}
	if n := state(`SELECT count(*) FROM webhook_endpoints`); n != "1" {
		t.Fatalf("%s webhook endpoints registered, want 1", n)
	}

	// 1. An upload sent to A is read through B's API once processed (by either).
	loginID := postUpload(t, baseA, keys.CustomerID, keys.APIKey, namedFile{"march.pdf", uploadtest.New("00777-1234567", time.March, 30).PDF(45)})
	detail := readAccounts(t, baseB, keys, loginID)
	if accts, _ := detail["Accounts"].([]any); len(accts) != 1 {
		t.Fatalf("GetAccountsDetail from the other replica: %v", detail)
	}
	// The first admin, created on A, is signed in on B: sessions live in the database.
	cookie := createAdminHTTP(t, baseA, setup)
	if st, page := getWithCookie(t, baseB+"/dashboard/logins/"+loginID, cookie); st != 200 || !strings.Contains(page, "march.pdf") {
		t.Fatalf("the Dashboard of the other replica: %d %.300s", st, page)
	}

	// 2. A heavy upload; the replica whose worker takes it is killed mid-job; the other finishes.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := range 12 {
		w, _ := mw.CreateFormFile("files", fmt.Sprintf("statement-%02d.pdf", i))
		w.Write(uploadtest.New(fmt.Sprintf("00%d-55501", i), time.Month(1+i%12), 120).PDF(45))
	}
	mw.Close()
	heavy := postMultipart(t, baseB, keys, &buf, mw.FormDataContentType())
	uploadID := state(`SELECT id FROM uploads WHERE login_id = $1`, heavy)
	deadline := time.Now().Add(30 * time.Second)
	var runner string
	for {
		runner = state(`SELECT attempted_by[array_length(attempted_by, 1)] FROM river_job WHERE kind = 'upload_process' AND state = 'running'
			AND args->>'upload_id' = $1`, uploadID)
		if runner != "" && state(`SELECT status FROM webhook_deliveries WHERE event_id = $1`, "evt_"+uploadID+"_received") == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the processing job never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	victim, survivorBase := a, baseB
	if pid := pidOf(runner); pid == b.cmd.Process.Pid {
		victim, survivorBase = b, baseA
	} else if pid != a.cmd.Process.Pid {
		t.Fatalf("job run by %q, neither replica (pids %d, %d)", runner, a.cmd.Process.Pid, b.cmd.Process.Pid)
	}
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	if s := state(`SELECT status FROM uploads WHERE id = $1`, uploadID); s != "received" {
		t.Fatalf("the job finished before the kill (status %q): make the upload heavier", s)
	}
	completed := "evt_" + uploadID + "_completed"
	for deadline := time.Now().Add(50 * time.Second); received(completed) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the surviving replica did not finish the job; upload %q", state(`SELECT status FROM uploads WHERE id = $1`, uploadID))
		}
	}
	detail = readAccounts(t, survivorBase, keys, heavy)
	if accts, _ := detail["Accounts"].([]any); len(accts) != 12 {
		t.Fatalf("%d accounts after the rescue, want 12", len(accts))
	}
	time.Sleep(500 * time.Millisecond) // room for a duplicate to show up
	mu.Lock()
	defer mu.Unlock()
	var events []string
	rows, err := db.Query(`SELECT id FROM webhook_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		events = append(events, id)
	}
	rows.Close()
	if len(events) < 4 {
		t.Errorf("events: %v", events)
	}
	for _, id := range events {
		if counts[id] != 1 {
			t.Errorf("event %s received %d times", id, counts[id])
		}
	}
	if bad != 0 || len(counts) != len(events) {
		t.Errorf("received %v for events %v, %d with bad signatures", counts, events, bad)
	}
}

// pidOf returns the process id in a River client id made by queue.NewClientID (host-pid-random).
func pidOf(clientID string) int {
	parts := strings.Split(clientID, "-")
	if len(parts) < 3 {
		return 0
	}
	pid, _ := strconv.Atoi(parts[len(parts)-2])
	return pid
}

// readAccounts authorizes with MostRecentCached and polls GetAccountsDetail until the login's
// data is ready.
func readAccounts(t *testing.T, base string, keys printedKeys, loginID string) map[string]any {
	t.Helper()
	call := func(path string, headers map[string]string, body string) (int, map[string]any) {
		t.Helper()
		var m map[string]any
		return postJSON(t, base+"/v3/"+keys.CustomerID+path, headers, body, &m), m
	}
	_, tok := call("/BankingServices/GenerateAuthorizeToken", map[string]string{"flinks-auth-key": keys.AuthKey}, "")
	token, _ := tok["Token"].(string)
	st, auth := call("/BankingServices/Authorize", map[string]string{"flinks-auth-key": token}, `{"LoginId":"`+loginID+`","MostRecentCached":true}`)
	rid, _ := auth["RequestId"].(string)
	if rid == "" || st >= 400 {
		t.Fatalf("Authorize: %d %v", st, auth)
	}
	for deadline := time.Now().Add(50 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		st, detail := call("/BankingServices/GetAccountsDetail", map[string]string{"x-api-key": keys.APIKey}, `{"RequestId":"`+rid+`"}`)
		if st != 202 {
			if st != 200 {
				t.Fatalf("GetAccountsDetail: %d %v", st, detail)
			}
			return detail
		}
	}
	t.Fatal("the upload was never read")
	return nil
}

// postMultipart sends a prepared multipart body to the API's upload intake and returns the new
// login's id.
func postMultipart(t *testing.T, base string, keys printedKeys, body io.Reader, contentType string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/v3/"+keys.CustomerID+"/upload", body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("x-api-key", keys.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	i := strings.Index(string(b), `"LoginId":"`)
	if resp.StatusCode != 200 || i < 0 {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	rest := string(b[i+len(`"LoginId":"`):])
	return rest[:strings.IndexByte(rest, '"')]
}

// createAdminHTTP follows the first admin's one-time link with a form post, as a browser would,
// and returns the session cookie it sets.
func createAdminHTTP(t *testing.T, base, setupPath string) *http.Cookie {
	t.Helper()
	form := url.Values{"name": {"Ada Admin"}, "email": {"ada@lender.example"}, "password": {"correct horse battery"}, "confirm": {"correct horse battery"}}
	req, _ := http.NewRequest("POST", base+setupPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "passbook_staff" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("setting up the first admin: %d, no session cookie", resp.StatusCode)
	return nil
}

func getWithCookie(t *testing.T, u string, c *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
